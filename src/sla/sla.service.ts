// The SLA engine around the pure clock math: the picture of a request for its views, the
// explanation of every step ("why is this late, why was it paused?"), and the periodic job that
// warns at 50 % and 75 %, marks breaches and escalates at 100 %, reminds applicants and archives
// when their deadline passes — each alert exactly once, however many workers run.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { NotificationService } from '../notifications/notification.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, RequestEventRow, RequestRow } from '../platform/database/schema.ts';
import { AppError } from '../platform/errors.ts';
import { formatJalaliDate, formatJalaliDateTime } from '../platform/jalali.ts';
import { toPersianDigits } from '../platform/digits.ts';
import { SLA_STEPS } from './agreement.ts';
import type { AgreementService } from './agreement.service.ts';
import type { CalendarService } from './calendar.service.ts';
import { computeSla, explainStep, WARNING_THRESHOLDS, type SlaPicture, type SlaStep } from './clock.ts';
import { slaRepository as repo } from './sla.repository.ts';

const DAY = 86_400_000;

/** What the job asks of the lifecycle, inside the job's own transaction. */
export interface SlaLifecyclePort {
  archiveForDeadline(trx: Transaction<Database>, row: RequestRow, reason: string): Promise<string[]>;
  recordEscalation(trx: Transaction<Database>, row: RequestRow, payload: Record<string, unknown>): Promise<void>;
  eventsOf(executor: Kysely<Database> | Transaction<Database>, requestId: string): Promise<RequestEventRow[]>;
}

export type SlaService = ReturnType<typeof createSlaService>;

export function createSlaService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  calendar: CalendarService;
  agreements: AgreementService;
  notifications: NotificationService;
  links: { request(code: string): string };
  openStates: readonly string[];
  log: FastifyBaseLogger;
}) {
  const { db, clock, calendar, agreements, notifications, links, log } = deps;
  let lifecycle: SlaLifecyclePort | null = null;

  /** Executor: pass the caller's transaction when inside one (embedded PostgreSQL has one session). */
  async function picture(row: RequestRow, events: RequestEventRow[], now = clock.now(), executor: Kysely<Database> | Transaction<Database> = db): Promise<SlaPicture> {
    const [cal, agreement] = await Promise.all([calendar.current(executor), agreements.get(row.service, row.agreementVersion, executor)]);
    return computeSla({ events, state: row.state, calendar: cal, targets: agreement.targets, now });
  }

  async function notifyStaff(trx: Transaction<Database>, role: string, row: RequestRow, kind: string, textFa: string) {
    await repo.insertStaffNotification(trx, { id: randomUUID(), role, requestId: row.id, kind, textFa, createdAt: clock.now() });
  }

  /** Fires whatever has come due for one request; returns outbox ids to dispatch after commit. */
  async function checkOne(trx: Transaction<Database>, row: RequestRow): Promise<string[]> {
    const now = clock.now();
    const events = await lifecycle!.eventsOf(trx, row.id);
    const sla = await picture(row, events, now, trx);
    const step = sla.steps.at(-1);
    const ids: string[] = [];
    const once = (s: SlaStep | { key: string; startedAt: Date }, kind: string, details: Record<string, unknown>) =>
      repo.recordAlert(trx, { id: randomUUID(), requestId: row.id, step: s.key, stepStartedAt: s.startedAt, kind, firedAt: now, details });
    const code = toPersianDigits(row.trackingCode);

    if (step && !step.endedAt && step.clock === 'company') {
      const assignee = SLA_STEPS[step.key].assignee;
      for (const fraction of WARNING_THRESHOLDS) {
        if (step.elapsedWorkingMinutes >= step.targetMinutes * fraction && (await once(step, `warning-${fraction * 100}`, { elapsed: step.elapsedWorkingMinutes, target: step.targetMinutes }))) {
          await notifyStaff(trx, assignee, row, `sla-warning-${fraction * 100}`, `درخواست ${code}: ${toPersianDigits(fraction * 100)}٪ زمان مرحله «${step.titleFa}» گذشته است؛ موعد: ${formatJalaliDateTime(step.dueAt)}.`);
        }
      }
      if (step.elapsedWorkingMinutes >= step.targetMinutes && (await once(step, 'breach', { unit: step.unit, dueAt: step.dueAt.toISOString() }))) {
        await notifyStaff(trx, assignee, row, 'sla-breach', `درخواست ${code}: موعد مرحله «${step.titleFa}» گذشت (${formatJalaliDateTime(step.dueAt)}).`);
        await notifyStaff(trx, 'supervisor', row, 'sla-breach', `تأخیر در درخواست ${code}: مرحله «${step.titleFa}»، واحد مسئول: ${step.unit ?? '—'}؛ درخواست به شما ارجاع شد.`);
        await repo.markEscalated(trx, row.id, now);
        await lifecycle!.recordEscalation(trx, row, { step: step.key, unit: step.unit, dueAt: step.dueAt.toISOString(), elapsedWorkingMinutes: step.elapsedWorkingMinutes });
        if (sla.promisedAt) {
          ids.push(await notifications.enqueueSms(trx, { to: row.mobile, requestId: row.id, template: 'sla-breach-apology', data: { trackingCode: row.trackingCode, step: step.titleFa, promisedAt: formatJalaliDate(sla.promisedAt) } }));
        }
      }
    }

    // While contact with the applicant is lost their deadline does not run: no reminders, no archiving.
    if (step && !step.endedAt && step.clock === 'applicant' && !step.contactLost) {
      const agreement = await agreements.get(row.service, row.agreementVersion, trx);
      const template = step.key === 'payment' ? 'payment-reminder' : step.key === 'acceptance' ? 'acceptance-reminder' : 'settlement-reminder';
      const due = step.dueAt.getTime();
      if (now.getTime() < due) {
        // Only the nearest reminder that has come due is sent (a late job does not send two at once).
        const dueReminder = [...agreement.targets.reminderDaysBefore].sort((a, b) => a - b).find((days) => now.getTime() >= due - days * DAY && due - days * DAY > step.startedAt.getTime());
        if (dueReminder !== undefined && (await once(step, `reminder-${dueReminder}d`, {}))) {
          ids.push(await notifications.enqueueSms(trx, { to: row.mobile, requestId: row.id, template, data: { trackingCode: row.trackingCode, deadline: formatJalaliDate(step.dueAt), payUrl: links.request(row.trackingCode), url: links.request(row.trackingCode) } }));
        }
      } else if (await once(step, 'deadline', {})) {
        if (step.key === 'settlement') {
          await notifyStaff(trx, 'finance', row, 'settlement-overdue', `درخواست ${code}: مهلت تسویه صورتحساب نهایی گذشت؛ پیگیری وصول از طریق سامانه مشترکین.`);
          await notifyStaff(trx, 'supervisor', row, 'settlement-overdue', `درخواست ${code}: مهلت تسویه صورتحساب نهایی گذشت.`);
        } else {
          const reason = step.key === 'payment' ? 'پرداخت در مهلت مقرر انجام نشد' : 'به شرایط در مهلت مقرر پاسخ داده نشد';
          ids.push(...(await lifecycle!.archiveForDeadline(trx, row, reason)));
        }
      }
    }
    const fresh = await trx.selectFrom('requests').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    const next = deps.openStates.includes(fresh.state) ? (await picture(fresh, await lifecycle!.eventsOf(trx, row.id), now, trx)).nextCheckAt : null;
    await repo.setNextCheck(trx, row.id, next);
    return ids;
  }

  return {
    /** Connects the lifecycle (archiving, escalation events); set once at composition. */
    connect(port: SlaLifecyclePort) {
      lifecycle = port;
    },

    picture,

    /** The SLA summary a request view carries. */
    async summarize(row: RequestRow, events: RequestEventRow[], executor: Kysely<Database> | Transaction<Database> = db) {
      const sla = await picture(row, events, clock.now(), executor);
      return { agreementVersion: row.agreementVersion, escalatedAt: row.escalatedAt, ...sla };
    },

    /** Each step's timeline (runs, pauses and why), due date, and the breach with its unit. */
    async explain(row: RequestRow, events: RequestEventRow[]) {
      const now = clock.now();
      const cal = await calendar.current();
      const sla = await picture(row, events, now);
      const alerts = await repo.alertsOf(db, row.id);
      return {
        ...sla,
        agreementVersion: row.agreementVersion,
        steps: sla.steps.map((s) => ({
          ...s,
          timeline: explainStep(s, cal, now),
          alerts: alerts.filter((a) => a.step === s.key && a.stepStartedAt.getTime() === s.startedAt.getTime()).map((a) => ({ kind: a.kind, firedAt: a.firedAt })),
        })),
        breaches: sla.steps.filter((s) => s.clock === 'company' && s.status === 'breached').map((s) => ({ step: s.key, title: s.titleFa, unit: s.unit, dueAt: s.dueAt, breachedAt: s.breachedAt })),
      };
    },

    /** One run of the alert job: claims due requests (SKIP LOCKED) and fires what came due. */
    async runDue(options: { limit?: number } = {}): Promise<number> {
      if (!lifecycle) throw new Error('the SLA engine is not connected to the lifecycle');
      const dispatch: string[] = [];
      const count = await db.transaction().execute(async (trx) => {
        const due = await repo.claimDue(trx, clock.now(), deps.openStates, options.limit ?? 100);
        for (const row of due) dispatch.push(...(await checkOne(trx, row)));
        return due.length;
      });
      if (dispatch.length) await notifications.sendNow(dispatch).catch((error: unknown) => log.warn({ err: error }, 'post-commit dispatch failed'));
      return count;
    },

    /**
     * Recomputes the SLA of every open request (after a calendar change, or on demand) and sets
     * when each is next worth checking; pages through them so memory stays flat.
     */
    async recomputeAll(options: { pageSize?: number; onProgress?: (done: number, total: number) => void } = {}) {
      const pageSize = options.pageSize ?? 2_000;
      const now = clock.now();
      const cal = await calendar.current();
      const { count: total } = await repo.countOpen(db, deps.openStates);
      let done = 0;
      let afterId: string | null = null;
      for (;;) {
        const rows = await repo.openPage(db, deps.openStates, afterId, pageSize);
        if (rows.length === 0) break;
        const events = await repo.eventsOfMany(db, rows.map((r) => r.id));
        const byRequest = new Map<string, RequestEventRow[]>();
        for (const e of events) byRequest.set(e.requestId, [...(byRequest.get(e.requestId) ?? []), e]);
        const updates: Array<{ id: string; at: Date | null }> = [];
        for (const row of rows) {
          const agreement = await agreements.get(row.service, row.agreementVersion);
          const sla = computeSla({ events: byRequest.get(row.id) ?? [], state: row.state, calendar: cal, targets: agreement.targets, now });
          // A threshold already passed but not yet alerted is due now; the job decides what fires.
          const overdue = sla.steps.some((s) => !s.endedAt && (s.clock === 'company' ? s.elapsedWorkingMinutes >= s.targetMinutes * WARNING_THRESHOLDS[0] : s.dueAt.getTime() - Math.max(...(agreement.targets.reminderDaysBefore), 0) * DAY <= now.getTime()));
          updates.push({ id: row.id, at: overdue ? now : sla.nextCheckAt });
        }
        await repo.setNextChecks(db, updates);
        done += rows.length;
        afterId = rows.at(-1)!.id;
        options.onProgress?.(done, total);
      }
      return { recomputed: done, seconds: (Date.now() - now.getTime()) / 1000 };
    },

    /** Warns administrators once when the agreement in force expires within 30 days. */
    async checkAgreementExpiry(service: string) {
      const expiring = await agreements.expiringSoon(service);
      if (!expiring) return false;
      return db.transaction().execute(async (trx) => {
        const fired = await repo.recordAlert(trx, { id: randomUUID(), requestId: null, step: `agreement-${service}-v${expiring.version}`, stepStartedAt: new Date(`${expiring.validFrom}T00:00:00Z`), kind: 'expiry-warning', firedAt: clock.now(), details: { validTo: expiring.validTo } });
        if (fired) {
          await repo.insertStaffNotification(trx, {
            id: randomUUID(), role: 'admin', requestId: null, kind: 'agreement-expiring', createdAt: clock.now(),
            textFa: expiring.expired
              ? `توافقنامه سطح خدمت (نسخه ${toPersianDigits(expiring.version)}) در ${expiring.validToJalali} منقضی شده و تا انتشار نسخه تازه همچنان اعمال می‌شود.`
              : `توافقنامه سطح خدمت (نسخه ${toPersianDigits(expiring.version)}) در ${expiring.validToJalali} منقضی می‌شود؛ نسخه تازه را منتشر کنید.`,
          });
        }
        return fired;
      });
    },

    staffNotifications: (roles: readonly string[], limit = 50) => repo.staffNotifications(db, roles, limit),

    /** Marks a notification of the caller's roles read (idempotent); NOT_FOUND for anyone else's. */
    async markNotificationRead(id: string, roles: readonly string[], by: string) {
      if (!(await repo.markNotificationRead(db, id, roles, { at: clock.now(), by }))) throw new AppError('NOT_FOUND', 'این اعلان یافت نشد.');
    },
  };
}
