// Sign-in routes: staff username/password, applicant one-time SMS code, who am I, sign out.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Mobile } from '../requests/request.schemas.ts';
import { toAsciiDigits } from '../platform/digits.ts';
import { ErrorResponse } from '../platform/http/openapi.ts';
import { requirePrincipal, requireRole } from './auth.ts';
import type { IdentityService } from './identity.service.ts';
import { STAFF_ROLES } from './roles.ts';

export const LoginBody = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) });
export const OtpBody = z.object({ mobile: Mobile });
// Any code up to 64 characters reaches the comparison: a wrong code of any length gets the same 401.
export const OtpVerifyBody = z.object({ mobile: Mobile, code: z.string().max(64).transform((v) => toAsciiDigits(v).trim()) });

// ---- Administration of staff accounts (admin only) ----
export const StaffUserView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  officeCode: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});
export type StaffUserView = z.infer<typeof StaffUserView>;
export const StaffUserList = z.object({ users: z.array(StaffUserView) });
export const CreateStaffUserBody = z.object({
  username: z.string().trim().toLowerCase().regex(/^[a-z][a-z0-9._-]{2,39}$/, 'نام کاربری باید ۳ تا ۴۰ نویسه لاتین باشد و با حرف آغاز شود.').describe('نام کاربری (لاتین)'),
  displayName: z.string().trim().min(2).max(80).describe('نام نمایشی'),
  password: z.string().min(10, 'گذرواژه باید دست‌کم ۱۰ نویسه باشد.').max(200),
  roles: z.array(z.enum(STAFF_ROLES)).min(1, 'دست‌کم یک نقش انتخاب کنید.').max(STAFF_ROLES.length),
  officeCode: z.string().max(20).transform((v) => toAsciiDigits(v).trim()).pipe(z.string().regex(/^\d{4,12}$/, 'کد دفتر پیشخوان باید ۴ تا ۱۲ رقم باشد.')).optional(),
});
export type CreateStaffUserBody = z.output<typeof CreateStaffUserBody>;
export const StaffUserParams = z.object({ id: z.uuid() });

const toStaffUserView = (u: { id: string; username: string; displayName: string; roles: string[]; officeCode: string | null; active: boolean; createdAt: Date }): StaffUserView => ({
  id: u.id, username: u.username, displayName: u.displayName, roles: u.roles, officeCode: u.officeCode, active: u.active, createdAt: u.createdAt.toISOString(),
});
const adminErrors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export function identityRoutes(identity: IdentityService) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post('/auth/login', {
      schema: { tags: ['sign-in'], summary: 'ورود کارکنان و متصدیان پیشخوان', body: LoginBody,
        response: { 200: z.object({ token: z.string(), roles: z.array(z.string()), displayName: z.string(), officeCode: z.string().nullable() }) } },
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    }, async (request) => identity.login(request.body.username, request.body.password));

    r.post('/auth/otp', {
      schema: { tags: ['sign-in'], summary: 'ارسال کد یکبارمصرف ورود متقاضی با پیامک', body: OtpBody, response: { 202: z.object({ sent: z.literal(true), expiresInSeconds: z.number() }) } },
      config: { rateLimit: { max: 30, timeWindow: '10 minutes' } },
    }, async (request, reply) => {
      await identity.startOtp(request.body.mobile);
      return reply.status(202).send({ sent: true, expiresInSeconds: 120 });
    });

    r.post('/auth/otp/verify', {
      schema: { tags: ['sign-in'], summary: 'ورود متقاضی با کد یکبارمصرف', body: OtpVerifyBody, response: { 200: z.object({ token: z.string() }) } },
      config: { rateLimit: { max: 30, timeWindow: '10 minutes' } },
    }, async (request) => identity.verifyOtp(request.body.mobile, request.body.code));

    r.get('/auth/me', { schema: { tags: ['sign-in'], summary: 'کاربر فعلی' } }, async (request) => {
      const principal = requirePrincipal(request);
      return principal.kind === 'staff'
        ? { kind: 'staff', username: principal.username, displayName: principal.displayName, roles: principal.roles, officeCode: principal.officeCode }
        : { kind: 'applicant', mobile: principal.mobile, roles: principal.roles };
    });

    r.post('/auth/logout', { schema: { tags: ['sign-in'], summary: 'خروج' } }, async (request, reply) => {
      requirePrincipal(request);
      const token = request.headers.authorization?.replace(/^Bearer\s+/i, '');
      if (token) await identity.logout(token);
      return reply.status(204).send();
    });

    r.get('/admin/users', {
      schema: { tags: ['admin'], summary: 'کاربران کارکنان و نقش‌ها', response: { 200: StaffUserList, ...adminErrors } },
    }, async (request) => {
      requireRole(request, ['admin']);
      return { users: (await identity.listStaff()).map(toStaffUserView) };
    });

    r.post('/admin/users', {
      schema: { tags: ['admin'], summary: 'افزودن کاربر کارکنان یا متصدی پیشخوان', body: CreateStaffUserBody, response: { 201: StaffUserView, ...adminErrors } },
    }, async (request, reply) => {
      requireRole(request, ['admin']);
      const { officeCode, ...rest } = request.body;
      const id = await identity.createStaffUser({ ...rest, officeCode: officeCode ?? null });
      const created = (await identity.listStaff()).find((u) => u.id === id)!;
      return reply.status(201).send(toStaffUserView(created));
    });

    r.post('/admin/users/:id/deactivate', {
      schema: { tags: ['admin'], summary: 'غیرفعال کردن کاربر (نشست‌های او هم پایان می‌یابد)', params: StaffUserParams, response: { 200: StaffUserView, ...adminErrors } },
    }, async (request) => {
      const principal = requireRole(request, ['admin']);
      const byUserId = principal.kind === 'staff' ? principal.userId : '';
      return toStaffUserView(await identity.deactivateStaff(request.params.id, byUserId));
    });
  };
}
