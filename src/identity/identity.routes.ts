// Sign-in routes: staff username/password, applicant one-time SMS code, who am I, sign out.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Mobile } from '../requests/request.schemas.ts';
import { toAsciiDigits } from '../platform/digits.ts';
import { requirePrincipal } from './auth.ts';
import type { IdentityService } from './identity.service.ts';

export const LoginBody = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) });
export const OtpBody = z.object({ mobile: Mobile });
export const OtpVerifyBody = z.object({ mobile: Mobile, code: z.string().max(12).transform((v) => toAsciiDigits(v).trim()) });

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
  };
}
