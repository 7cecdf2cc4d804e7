// Dashboards, the agreement review (JSON, xlsx, CSV) and the audit view of the event log.
// Supervisors, administrators and auditors read reports; auditors and administrators the audit log.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../identity/auth.ts';
import type { Role } from '../identity/roles.ts';
import { AppError } from '../platform/errors.ts';
import { ErrorResponse } from '../platform/http/openapi.ts';
import type { AuditService } from './audit.service.ts';
import { defaultPeriod, parsePeriod, type Period } from './period.ts';
import { AgreementReviewQuery, AuditEventsQuery, AuditExportQuery, DashboardQuery } from './report.schemas.ts';
import type { ReportService } from './report.service.ts';
import type { Clock } from '../platform/clock.ts';

const REPORT_READERS: Role[] = ['supervisor', 'admin', 'auditor'];
const AUDITORS: Role[] = ['auditor', 'admin'];
const responses = { 200: z.any(), 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };
const MAX_PERIOD_DAYS = 3 * 366;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function reportRoutes(deps: { reports: ReportService; audit: AuditService; clock: Clock }) {
  const { reports, audit, clock } = deps;

  /** The period asked for (both ends default to the current Jalali month up to today). */
  function period(from: string | undefined, to: string | undefined): Period {
    const fallback = defaultPeriod(clock.now());
    const p = parsePeriod(from ?? fallback.from, to ?? fallback.to);
    if (!p) throw new AppError('VALIDATION_FAILED', 'بازه تاریخ درست نیست: هر دو تاریخ باید شمسی و معتبر باشند و پایان پیش از آغاز نباشد.', { field: 'from' });
    if (p.end.getTime() - p.start.getTime() > MAX_PERIOD_DAYS * 86_400_000) throw new AppError('VALIDATION_FAILED', 'بازه گزارش حداکثر سه سال است.', { field: 'to' });
    return p;
  }

  function auditFilter(q: { from?: string | undefined; to?: string | undefined; action?: string | undefined; actorRole?: string | undefined; trackingCode?: string | undefined }) {
    // Either end may be left open; each given date is a whole Tehran day.
    const day = (d: string, field: string) => {
      const p = parsePeriod(d, d);
      if (!p) throw new AppError('VALIDATION_FAILED', 'تاریخ را شمسی و معتبر بنویسید، مانند ۱۴۰۵-۰۹-۰۱.', { field });
      return p;
    };
    return { start: q.from ? day(q.from, 'from').start : undefined, end: q.to ? day(q.to, 'to').end : undefined, action: q.action, actorRole: q.actorRole, trackingCode: q.trackingCode };
  }

  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get('/reports/dashboard', {
      schema: { tags: ['reports'], summary: 'داشبورد پایش توافقنامه: حجم، رعایت موعد، زمان‌ها، تأخیرها، کارهای مانده، رضایت، روندها', querystring: DashboardQuery, response: responses },
    }, async (request) => {
      requireRole(request, REPORT_READERS);
      const q = request.query;
      return reports.dashboard({ period: period(q.from, q.to), channel: q.channel, office: q.office });
    });

    r.get('/reports/agreement-review', {
      schema: { tags: ['reports'], summary: 'گزارش بازنگری توافقنامه: هدف، زمان واقعی، تأخیر، رضایت و هدف پیشنهادی هر مرحله (json، xlsx، csv)', querystring: AgreementReviewQuery, response: responses },
    }, async (request, reply) => {
      requireRole(request, REPORT_READERS);
      const q = request.query;
      const query = { period: period(q.from, q.to), channel: q.channel, office: q.office };
      const name = `agreement-review_${query.period.from}_${query.period.to}`;
      switch (q.format) {
        case 'json':
          return reports.review(query);
        case 'xlsx':
          return reply.type(XLSX).header('content-disposition', `attachment; filename="${name}.xlsx"`).send(await reports.reviewXlsx(query));
        case 'csv':
          return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(await reports.reviewCsv(query));
      }
    });

    r.get('/audit/events', {
      schema: { tags: ['audit'], summary: 'رویدادهای همه درخواست‌ها برای حسابرسی (تازه‌ترین نخست)', querystring: AuditEventsQuery, response: responses },
    }, async (request) => {
      requireRole(request, AUDITORS);
      const q = request.query;
      return audit.list(auditFilter(q), q.page, q.pageSize);
    });

    r.get('/audit/events/export', {
      schema: { tags: ['audit'], summary: 'خروجی همه رویدادهای منطبق با فیلترها (csv یا xlsx)', querystring: AuditExportQuery, response: responses },
    }, async (request, reply) => {
      requireRole(request, AUDITORS);
      const q = request.query;
      const filter = auditFilter(q);
      if (q.format === 'xlsx') return reply.type(XLSX).header('content-disposition', 'attachment; filename="audit-events.xlsx"').send(await audit.xlsx(filter));
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit-events.csv"').send(audit.csv(filter));
    });
  };
}
