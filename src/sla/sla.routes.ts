// Administration of the SLA engine: holidays, closures, working hours, agreement versions; and
// the staff inbox of SLA warnings, breaches and reminders.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../identity/auth.ts';
import { actorId, type Role } from '../identity/roles.ts';
import { ErrorResponse } from '../platform/http/openapi.ts';
import { toAsciiDigits } from '../platform/digits.ts';
import { PublishAgreementBody, type AgreementService } from './agreement.service.ts';
import { WorkingHours, type CalendarService } from './calendar.service.ts';
import type { SlaService } from './sla.service.ts';

const errors = { 200: z.looseObject({}), 201: z.looseObject({}), 204: z.null().describe('نتیجه‌ای ندارد'), 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const READERS: Role[] = ['admin', 'supervisor', 'auditor'];
const HolidayBody = z.object({
  date: z.string().max(20).transform((v) => toAsciiDigits(v).trim()).describe('تاریخ شمسی، مانند 1405-09-15'),
  title: z.string().trim().min(2).max(120),
  kind: z.enum(['solar', 'lunar', 'ad-hoc']).optional(),
});
const ClosureBody = z.object({ startsAt: z.iso.datetime({ offset: true }), endsAt: z.iso.datetime({ offset: true }), title: z.string().trim().min(2).max(120) });
const IdParams = z.object({ id: z.uuid() });

export function slaRoutes(deps: { calendar: CalendarService; agreements: AgreementService; sla: SlaService }) {
  const { calendar, agreements, sla } = deps;
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get('/admin/calendar/holidays', {
      schema: { tags: ['admin'], summary: 'تعطیلات رسمی و موردی', querystring: z.object({ year: z.coerce.number().int().min(1390).max(1500).optional() }), response: errors },
    }, async (request) => {
      requireRole(request, READERS);
      return { holidays: await calendar.listHolidays(request.query.year) };
    });

    r.post('/admin/calendar/holidays', {
      schema: { tags: ['admin'], summary: 'افزودن تعطیل (تاریخ شمسی)؛ درخواست‌های باز دوباره محاسبه می‌شوند', body: HolidayBody, response: errors },
    }, async (request, reply) => {
      const principal = requireRole(request, ['admin']);
      return reply.status(201).send(await calendar.addHoliday(request.body, actorId(principal)));
    });

    r.delete('/admin/calendar/holidays/:id', { schema: { tags: ['admin'], summary: 'حذف تعطیل', params: IdParams, response: errors } }, async (request, reply) => {
      requireRole(request, ['admin']);
      await calendar.deleteHoliday(request.params.id);
      return reply.status(204).send(null);
    });

    r.get('/admin/calendar/closures', { schema: { tags: ['admin'], summary: 'تعطیلی‌های موردی', response: errors } }, async (request) => {
      requireRole(request, READERS);
      return { closures: await calendar.listClosures() };
    });

    r.post('/admin/calendar/closures', { schema: { tags: ['admin'], summary: 'افزودن تعطیلی موردی (بازه زمانی)', body: ClosureBody, response: errors } }, async (request, reply) => {
      const principal = requireRole(request, ['admin']);
      return reply.status(201).send(await calendar.addClosure({ startsAt: new Date(request.body.startsAt), endsAt: new Date(request.body.endsAt), title: request.body.title }, actorId(principal)));
    });

    r.delete('/admin/calendar/closures/:id', { schema: { tags: ['admin'], summary: 'حذف تعطیلی موردی', params: IdParams, response: errors } }, async (request, reply) => {
      requireRole(request, ['admin']);
      await calendar.deleteClosure(request.params.id);
      return reply.status(204).send(null);
    });

    r.get('/admin/calendar/hours', { schema: { tags: ['admin'], summary: 'روزها و ساعات کاری', response: errors } }, async (request) => {
      requireRole(request, READERS);
      return calendar.hours();
    });

    r.put('/admin/calendar/hours', { schema: { tags: ['admin'], summary: 'تغییر روزها و ساعات کاری', body: WorkingHours, response: errors } }, async (request) => {
      const principal = requireRole(request, ['admin']);
      return calendar.setHours(request.body, actorId(principal));
    });

    r.get('/admin/sla/agreements', { schema: { tags: ['admin'], summary: 'نسخه‌های توافقنامه سطح خدمت', response: errors } }, async (request) => {
      requireRole(request, READERS);
      return { agreements: await agreements.list('temporary-removal'), inForce: await agreements.inForce('temporary-removal') };
    });

    r.post('/admin/sla/agreements', { schema: { tags: ['admin'], summary: 'انتشار نسخه تازه توافقنامه (تاریخ‌ها شمسی)', body: PublishAgreementBody, response: errors } }, async (request, reply) => {
      requireRole(request, ['admin']);
      return reply.status(201).send(await agreements.publish('temporary-removal', request.body));
    });

    r.get('/staff/notifications', { schema: { tags: ['sla'], summary: 'کارتابل هشدارها: هشدار ۵۰٪ و ۷۵٪، تأخیرها، یادآوری‌ها', response: errors } }, async (request) => {
      const principal = requireRole(request, ['clerk', 'finance', 'meter-tester', 'field-crew', 'supervisor', 'admin']);
      const rows = await sla.staffNotifications(principal.roles);
      return {
        notifications: rows.map((n) => ({
          id: n.id, role: n.role, kind: n.kind, text: n.textFa, trackingCode: n.trackingCode ?? null,
          createdAt: n.createdAt.toISOString(), read: n.readAt !== null, readBy: n.readBy,
        })),
      };
    });

    r.post('/staff/notifications/:id/read', { schema: { tags: ['sla'], summary: 'علامت‌گذاری اعلان به‌عنوان خوانده‌شده', params: IdParams, response: errors } }, async (request, reply) => {
      const principal = requireRole(request, ['clerk', 'finance', 'meter-tester', 'field-crew', 'supervisor', 'admin']);
      await sla.markNotificationRead(request.params.id, principal.roles, actorId(principal));
      return reply.status(204).send(null);
    });
  };
}
