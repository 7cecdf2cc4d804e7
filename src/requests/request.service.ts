// The lifecycle use cases: submit, act, read, track, list. Every transition has the same shape:
// load, decide (pure), gather outside facts, then one transaction with a compare-and-set on the
// request's version, one event row and the outbox rows; side effects run after commit.
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction, Updateable } from 'kysely';
import type { BillingSubscriber, BillingSystem } from '../billing/billing.adapter.ts';
import { actorId, STAFF_READERS, type Principal, type Role } from '../identity/roles.ts';
import type { NotificationService, SmsMessage } from '../notifications/notification.service.ts';
import type { PaymentService } from '../payments/payment.service.ts';
import { quoteLines, settlementLines, type QuoteLine } from '../payments/tariffs.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, RequestRow, RequestsTable } from '../platform/database/schema.ts';
import { formatRials } from '../platform/digits.ts';
import { AppError } from '../platform/errors.ts';
import { formatJalaliDate, formatJalaliDateTime } from '../platform/jalali.ts';
import type { Outbox } from '../platform/outbox.ts';
import { ACTION_PAYLOADS, type ActionBody, type CreateRequestBody } from './request.schemas.ts';
import { requestRepository as repo } from './request.repository.ts';
import { applicantName, toRequestView, toSummary, toTrackView, type SlaSummary } from './request.view.ts';
import { generateTrackingCode } from './tracking-code.ts';
import { decide, OPEN_STATES, PRECONDITION_FA, STATE_INFO, TRANSITIONS, type RequestAction, type RequestState, type TransitionFacts, type TransitionRule } from './transitions.ts';

const NO_REFUND_FA = 'وجوه پرداخت‌شده در صورت انصراف یا عدم پذیرش شرایط بازگردانده نمی‌شود (بند ۴ توافقنامه سطح خدمت).';
const METER_RESULT_FA = { ok: 'سالم', faulty: 'معیوب', tampered: 'دست‌کاری‌شده', damaged: 'آسیب‌دیده' } as const;

export interface Links {
  base(): string;
  track(trackingCode: string): string;
  request(trackingCode: string): string;
}

export interface SlaPort {
  /** The SLA picture of a request, computed from its events (DESIGN §2). */
  summarize(row: RequestRow, events: Awaited<ReturnType<typeof repo.eventsOf>>, executor?: Kysely<Database> | Trx): Promise<SlaSummary>;
  /** Each step's timeline with its pauses and reasons, and the breaches with their units. */
  explain(row: RequestRow, events: Awaited<ReturnType<typeof repo.eventsOf>>): Promise<{ steps: Array<Record<string, unknown>> }>;
}

export interface VersionsPort {
  current(service: string): Promise<{ serviceVersion: number; agreementVersion: number }>;
}

type Trx = Transaction<Database>;
type Actor = { kind: 'staff' | 'applicant' | 'system'; id: string | null; role: Role; channel: string | null };

/** A change just written inside `trx` (event row included): what other domains may react to. */
export interface TransitionChange {
  row: RequestRow;
  action: RequestAction;
  from: RequestState;
  to: RequestState;
  at: Date;
  terminal: boolean;
}
/** Reacts to a transition inside its transaction (SLA facts, surveys, metrics); returns outbox ids to dispatch after commit. */
export type TransitionObserver = (trx: Trx, change: TransitionChange) => Promise<string[] | void>;

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string; detail?: string };
  return e?.code === '23505' && (e.constraint === constraint || String(e.message ?? '').includes(constraint) || String(e.detail ?? '').includes(constraint));
}

function upstream(error: unknown, log: FastifyBaseLogger): never {
  log.error({ err: error }, 'billing system unavailable');
  throw new AppError('UPSTREAM_UNAVAILABLE');
}

export type RequestService = ReturnType<typeof createRequestService>;

export function createRequestService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  billing: BillingSystem;
  payments: PaymentService;
  notifications: NotificationService;
  outbox: Outbox;
  links: Links;
  sla: SlaPort;
  versions: VersionsPort;
  /** Calendar days the applicant has to answer the conditions, from the request's agreement. */
  answerDays: (row: RequestRow) => Promise<number>;
  /** Calendar days the applicant has to pay a quote or a final bill (the amounts' expiry), from the request's agreement; default 30. */
  paymentDays?: (row: RequestRow, stage: 'quote' | 'settlement') => Promise<number>;
  log: FastifyBaseLogger;
}) {
  const { db, clock, billing, payments, notifications, outbox, links, log } = deps;
  const observers: TransitionObserver[] = [];

  outbox.register('billing.connection-removed', async (message) => {
    const p = message.payload as { billId: string; finalReading: number; removedAt: string; trackingCode: string };
    await billing.recordConnectionRemoved(p.billId, { finalReading: p.finalReading, removedAt: p.removedAt, trackingCode: p.trackingCode });
  });

  /** Runs due outbox messages right after a commit; the worker retries whatever fails here. */
  function afterCommit(ids: string[]) {
    if (ids.length) void outbox.dispatch({ ids }).catch((error: unknown) => log.warn({ err: error }, 'post-commit dispatch failed'));
  }

  function canSee(principal: Principal, row: RequestRow): boolean {
    if (principal.kind === 'applicant') return row.mobile === principal.mobile;
    if (principal.roles.some((r) => STAFF_READERS.has(r))) return true;
    return principal.roles.includes('pishkhan-operator') && row.officeCode !== null && row.officeCode === principal.officeCode;
  }

  async function load(principal: Principal, trackingCode: string): Promise<RequestRow> {
    const row = await repo.findByTrackingCode(db, trackingCode);
    // A request the caller may not see answers exactly like one that does not exist.
    if (!row || !canSee(principal, row)) throw new AppError('NOT_FOUND', 'درخواستی با این کد رهگیری یافت نشد.');
    return row;
  }

  async function view(principal: Principal, row: RequestRow, executor: Kysely<Database> | Trx = db) {
    const [events, amounts] = await Promise.all([repo.eventsOf(executor, row.id), payments.amountsDueOf(executor, row.id)]);
    return toRequestView({ row, events, amounts, roles: principal.roles, sla: await deps.sla.summarize(row, events, executor) });
  }

  async function factsOf(executor: Kysely<Database> | Trx, row: RequestRow): Promise<TransitionFacts> {
    const amounts = await payments.amountsDueOf(executor, row.id);
    const quote = amounts.filter((a) => a.stage === 'quote');
    const settlement = amounts.filter((a) => a.stage === 'settlement');
    return {
      meterTestRecorded: row.meterTest !== null,
      quotePaid: quote.length > 0 && quote.every((a) => a.paid),
      settlementPaid: settlement.every((a) => a.paid),
    };
  }

  function smsFor(row: RequestRow, to: RequestState, extra: Record<string, string | number> = {}): SmsMessage | null {
    const base = { to: row.mobile, requestId: row.id };
    const trackingCode = row.trackingCode;
    switch (to) {
      case 'awaiting-payment':
        return { ...base, template: 'quote-issued', data: { trackingCode, total: extra['total'] ?? '', payUrl: links.request(trackingCode) } };
      case 'meter-test':
        return { ...base, template: 'payment-received', data: { trackingCode, amount: extra['amount'] ?? '', promisedAt: extra['promisedAt'] ?? '—' } };
      case 'awaiting-acceptance':
        return { ...base, template: 'conditions-announced', data: { trackingCode, meterResult: extra['meterResult'] ?? '', financial: extra['financial'] ?? '', deadline: extra['deadline'] ?? '', url: links.request(trackingCode) } };
      case 'removal-scheduled':
        return extra['date'] ? { ...base, template: 'removal-scheduled', data: { trackingCode, date: extra['date'] } } : null;
      case 'awaiting-settlement':
        return { ...base, template: 'final-bill', data: { trackingCode, total: extra['total'] ?? '', payUrl: links.request(trackingCode) } };
      case 'completed':
        return { ...base, template: 'completed', data: { trackingCode, url: links.request(trackingCode) } };
      case 'archived':
        return { ...base, template: 'archived', data: { trackingCode, reason: extra['reason'] ?? 'عدم پذیرش شرایط' } };
      case 'withdrawn':
        return { ...base, template: 'withdrawn', data: { trackingCode } };
      case 'rejected':
        return { ...base, template: 'rejected', data: { trackingCode, reason: extra['reason'] ?? '' } };
      case 'submitted':
        return null;
    }
  }

  /**
   * The one way a request changes: compare-and-set on its version, an event, outbox rows.
   * Throws INVALID_TRANSITION / CONCURRENT_UPDATE when another change won the race.
   */
  async function transition(
    trx: Trx,
    input: { row: RequestRow; action: RequestAction; to: RequestState; actor: Actor; reason: string | null; payload: Record<string, unknown>; patch?: Updateable<RequestsTable>; sms?: Record<string, string | number> },
  ): Promise<string[]> {
    const { row, to } = input;
    const now = clock.now();
    const ok = await repo.compareAndSet(trx, row.id, row.version, {
      ...input.patch,
      state: to,
      updatedAt: now,
      // The SLA job looks at the request again right away: a new step starts its clocks.
      slaNextCheckAt: STATE_INFO[to].terminal ? null : now,
      ...(STATE_INFO[to].terminal ? { closedAt: now } : {}),
    });
    if (!ok) {
      const current = await repo.findById(trx, row.id);
      const rule: TransitionRule = TRANSITIONS[input.action];
      const still = current && rule.from.includes(current.state as RequestState);
      throw new AppError(still ? 'CONCURRENT_UPDATE' : 'INVALID_TRANSITION');
    }
    await repo.insertEvent(trx, {
      requestId: row.id, action: input.action, fromState: row.state, toState: to,
      actorKind: input.actor.kind, actorId: input.actor.id, actorRole: input.actor.role, channel: input.actor.channel,
      at: now, reason: input.reason, payload: input.payload,
    });
    const ids: string[] = [];
    if (to === 'meter-test') {
      // The company clock starts again: the applicant is told the promise recomputed from here.
      const sla = await deps.sla.summarize({ ...row, state: to }, await repo.eventsOf(trx, row.id), trx);
      if (sla.promisedAt) input.sms = { ...input.sms, promisedAt: formatJalaliDate(sla.promisedAt) };
    }
    const sms = to !== row.state || input.action === 'schedule-removal' ? smsFor(row, to, { ...input.sms, ...(input.reason ? { reason: input.reason } : {}) }) : null;
    if (sms) ids.push(await notifications.enqueueSms(trx, sms));
    if (to === 'completed') {
      const removal = (input.patch?.removal ? JSON.parse(String(input.patch.removal)) : row.removal) as { finalReading: number; removedAt: string; meterDestination: string } | null;
      const connection = row.connection as { meterSerial?: string };
      await repo.upsertConnection(trx, {
        billId: row.billId, state: 'temporarily-removed', removedAt: removal ? new Date(removal.removedAt) : now,
        finalReading: removal?.finalReading ?? null, meterSerial: connection.meterSerial ?? null,
        meterDestination: removal?.meterDestination ?? null, requestId: row.id, updatedAt: now,
      });
      ids.push(await outbox.add(trx, { kind: 'billing.connection-removed', requestId: row.id, payload: { billId: row.billId, finalReading: removal?.finalReading ?? 0, removedAt: (removal ? new Date(removal.removedAt) : now).toISOString(), trackingCode: row.trackingCode } }));
    }
    for (const observe of observers) ids.push(...((await observe(trx, { row, action: input.action, from: row.state as RequestState, to, at: now, terminal: STATE_INFO[to].terminal })) ?? []));
    return ids;
  }

  /** The lifecycle's reaction to a verified payment, inside the payment's transaction. */
  payments.onPaid(async (trx, event) => {
    const row = await repo.findById(trx, event.requestId);
    if (!row) return;
    if (event.recordedBy) {
      // A payment taken at the counter: the event log shows auditors who recorded it.
      await repo.insertEvent(trx, {
        requestId: row.id, action: 'record-payment', fromState: row.state, toState: row.state, actorKind: 'staff', actorId: event.recordedBy, actorRole: 'finance',
        channel: 'counter', at: clock.now(), reason: null, payload: { amountDueId: event.amountDueId, method: event.method, amountRials: event.amountRials, reference: event.reference ?? null },
      });
    }
    const action: RequestAction = event.stage === 'quote' ? 'confirm-payment' : 'settle';
    const decision = decide({ state: row.state as RequestState, action, roles: ['system'], facts: await factsOf(trx, row) });
    if (!decision.ok) {
      // Not every amount is paid yet, or the request has moved on (withdrawn, archived): the money is
      // recorded on the amount due either way; finance reconciles what arrived late.
      if (decision.error !== 'precondition') log.warn({ trackingCode: row.trackingCode, state: row.state, action }, 'payment arrived for a request that no longer expects it');
      return;
    }
    const total = (await payments.amountsDueOf(trx, row.id)).filter((a) => a.stage === event.stage).reduce((s, a) => s + a.amountRials, 0);
    const ids = await transition(trx, {
      row, action, to: decision.to, actor: { kind: 'system', id: 'system:payments', role: 'system', channel: null }, reason: null,
      payload: { method: event.method, amountRials: total }, sms: { amount: formatRials(total) },
    });
    // The payment service dispatches these once the payment's transaction has committed.
    return ids;
  });

  function actorOf(principal: Principal, action: RequestAction, channel: string | null): Actor {
    const rule = TRANSITIONS[action];
    const role = principal.roles.find((r) => (rule.roles as readonly Role[]).includes(r)) ?? principal.roles[0]!;
    return { kind: principal.kind, id: actorId(principal), role, channel };
  }

  async function prepare(row: RequestRow, action: RequestAction, payload: Record<string, unknown>) {
    const out: { patch?: Updateable<RequestsTable>; lines?: QuoteLine[]; stage?: 'quote' | 'settlement'; tariffVersionId?: string; nothingDue?: boolean; sms?: Record<string, string | number>; eventPayload: Record<string, unknown> } = { eventPayload: payload };
    const connection = row.connection as { phase: number; amperes: number };
    const now = clock.now();
    switch (action) {
      case 'quote': {
        const subscriber = await billing.getSubscriber(row.billId).catch((e: unknown) => upstream(e, log));
        const tariff = await payments.tariffInForce(now);
        out.lines = quoteLines({ items: tariff.items, phase: connection.phase, amperes: connection.amperes, channel: row.channel, debtRials: subscriber?.debtRials ?? 0 });
        out.stage = 'quote';
        out.tariffVersionId = tariff.versionId;
        const total = out.lines.reduce((s, l) => s + l.amountRials, 0);
        out.sms = { total: formatRials(total) };
        out.eventPayload = { tariffVersionId: tariff.versionId, totalRials: total, lines: out.lines.map((l) => ({ purpose: l.purpose, amountRials: l.amountRials })) };
        return out;
      }
      case 'record-meter-test': {
        const record = { ...payload, testedAt: now.toISOString() };
        out.patch = { meterTest: JSON.stringify(record) };
        out.eventPayload = record;
        return out;
      }
      case 'announce-conditions': {
        const meterTest = row.meterTest as { result: keyof typeof METER_RESULT_FA; reading: number; damagedItems?: string[]; seals?: string[] };
        const tariff = await payments.tariffInForce(now);
        const damages = settlementLines({ items: tariff.items, damagedItems: meterTest.damagedItems ?? [], finalDebtRials: 0 });
        const damageTotal = damages.reduce((s, l) => s + l.amountRials, 0);
        const answerBy = new Date(now.getTime() + (await deps.answerDays(row)) * 86_400_000);
        const financial = damageTotal > 0
          ? `خسارت لوازم اندازه‌گیری: ${formatRials(damageTotal)}؛ بدهی مصرفی تا شماره نهایی کنتور هنگام جمع‌آوری اعلام می‌شود.`
          : 'بدهی مصرفی تا شماره نهایی کنتور هنگام جمع‌آوری محاسبه و اعلام می‌شود.';
        const conditions = {
          technical: `نتیجه آزمایش کنتور: ${METER_RESULT_FA[meterTest.result]}؛ شماره کنتور هنگام آزمایش: ${meterTest.reading}.`,
          financial,
          damages: damages.map((d) => ({ title: d.titleFa, amountRials: d.amountRials })),
          damageTotalRials: damageTotal,
          noRefund: NO_REFUND_FA,
          notes: (payload['notes'] as string | undefined) ?? null,
          announcedAt: now.toISOString(),
          answerBy: answerBy.toISOString(),
        };
        out.patch = { conditions: JSON.stringify(conditions) };
        out.sms = { meterResult: METER_RESULT_FA[meterTest.result], financial, deadline: formatJalaliDate(answerBy) };
        out.eventPayload = { damageTotalRials: damageTotal, answerBy: conditions.answerBy };
        return out;
      }
      case 'schedule-removal': {
        const at = new Date(String(payload['scheduledFor']));
        if (at.getTime() < now.getTime() - 3_600_000) throw new AppError('VALIDATION_FAILED', 'زمان جمع‌آوری نمی‌تواند در گذشته باشد.', { field: 'scheduledFor' });
        out.patch = { removalSchedule: JSON.stringify({ ...payload, scheduledFor: at.toISOString() }) };
        out.sms = { date: formatJalaliDateTime(at) };
        return out;
      }
      case 'record-removal': {
        const meterTest = row.meterTest as { reading: number; damagedItems?: string[] } | null;
        const finalReading = payload['finalReading'] as number;
        if (meterTest && finalReading < meterTest.reading) {
          throw new AppError('VALIDATION_FAILED', `شماره نهایی کنتور نمی‌تواند کمتر از شماره هنگام آزمایش (${meterTest.reading}) باشد.`, { field: 'finalReading' });
        }
        const damagedItems = payload['equipmentCondition'] === 'damaged' ? (payload['damagedItems'] as string[]) : [];
        if (payload['equipmentCondition'] === 'damaged' && damagedItems.length === 0) {
          throw new AppError('VALIDATION_FAILED', 'برای تجهیزات آسیب‌دیده، اقلام آسیب‌دیده را مشخص کنید.', { field: 'damagedItems' });
        }
        // Billing must know of every debt paid through us before it prices the final bill, or a
        // debt paid at quote time would be billed again: carry out this request's pending reports first.
        const pendingReports = (await outbox.listForRequest(row.id)).filter((m) => m.kind === 'billing.debt-paid' && m.status !== 'sent');
        if (pendingReports.length) {
          await outbox.dispatch({ ids: pendingReports.map((m) => m.id) });
          const stillPending = (await outbox.listForRequest(row.id)).some((m) => m.kind === 'billing.debt-paid' && m.status !== 'sent');
          if (stillPending) throw new AppError('UPSTREAM_UNAVAILABLE', 'سامانه مشترکین هنوز پرداخت بدهی را ثبت نکرده است؛ کمی بعد دوباره تلاش کنید.');
        }
        const finalDebt = await billing.getFinalDebt(row.billId, finalReading).catch((e: unknown) => upstream(e, log));
        const tariff = await payments.tariffInForce(now);
        out.lines = settlementLines({ items: tariff.items, damagedItems: [...(meterTest?.damagedItems ?? []), ...damagedItems], finalDebtRials: finalDebt.debtRials });
        out.stage = 'settlement';
        out.tariffVersionId = tariff.versionId;
        out.nothingDue = out.lines.length === 0;
        const total = out.lines.reduce((s, l) => s + l.amountRials, 0);
        const removal = { ...payload, removedAt: now.toISOString(), consumedKwh: finalDebt.consumedKwh, finalBillRials: total };
        out.patch = { removal: JSON.stringify(removal) };
        out.sms = { total: formatRials(total) };
        out.eventPayload = removal;
        return out;
      }
      case 'confirm-payment':
      case 'settle':
      case 'accept-conditions':
      case 'refuse-conditions':
      case 'withdraw':
      case 'reject':
      case 'archive':
        return out;
    }
  }

  /** What the SLA engine needs of the lifecycle, inside its job's transaction. */
  const slaLifecycle = {
    eventsOf: repo.eventsOf,
    async archiveForDeadline(trx: Trx, row: RequestRow, reason: string) {
      const decision = decide({ state: row.state as RequestState, action: 'archive', roles: ['system'], reason });
      if (!decision.ok) return [];
      return transition(trx, { row, action: 'archive', to: decision.to, actor: { kind: 'system', id: 'system:sla', role: 'system', channel: null }, reason, payload: { deadline: true } });
    },
    async recordEscalation(trx: Trx, row: RequestRow, payload: Record<string, unknown>) {
      await repo.insertEvent(trx, {
        requestId: row.id, action: 'escalate', fromState: row.state, toState: row.state, actorKind: 'system', actorId: 'system:sla', actorRole: 'system',
        channel: null, at: clock.now(), reason: 'گذشتن از موعد توافقنامه سطح خدمت', payload,
      });
    },
  };

  /** What notifications need of the lifecycle: contact with the applicant lost / restored, as in-state events. */
  const contactLifecycle = {
    async awaiting(trx: Trx, requestId: string, state: string) {
      const row = await repo.findById(trx, requestId);
      return row && row.state === state ? { trackingCode: row.trackingCode, mobile: row.mobile } : null;
    },
    async record(trx: Trx, requestId: string, action: 'contact-lost' | 'contact-restored', input: { reason: string; payload: Record<string, unknown>; actorId: string; actorRole: string }) {
      const row = await repo.findById(trx, requestId);
      if (!row || STATE_INFO[row.state as RequestState].terminal) return;
      const now = clock.now();
      // Compare-and-set like a transition, so the event never slips between another change's load and write;
      // the SLA job looks again at once (the applicant's deadline stops or runs on).
      if (!(await repo.compareAndSet(trx, row.id, row.version, { updatedAt: now, slaNextCheckAt: now }))) throw new AppError('CONCURRENT_UPDATE');
      await repo.insertEvent(trx, {
        requestId, action, fromState: row.state, toState: row.state, actorKind: input.actorRole === 'system' ? 'system' : 'staff', actorId: input.actorId,
        actorRole: input.actorRole, channel: null, at: now, reason: input.reason, payload: input.payload,
      });
    },
  };

  return {
    slaLifecycle,
    contactLifecycle,

    /** The id of a request the caller may see (404 otherwise), for other domains' per-request views. */
    async requestIdOf(principal: Principal, trackingCode: string) {
      return (await load(principal, trackingCode)).id;
    },

    /** Registers an observer of every transition (set at composition: SLA facts, surveys, metrics). */
    onTransition(observer: TransitionObserver) {
      observers.push(observer);
    },

    /** Files a new request after the eligibility checks; answers 201 with the request (or the first one for a repeated Idempotency-Key). */
    async submit(principal: Principal, body: CreateRequestBody, idempotencyKey?: string): Promise<{ status: 200 | 201; view: Awaited<ReturnType<typeof view>> }> {
      const scope = createHash('sha256').update(principal.kind === 'staff' ? `staff:${principal.userId}` : `applicant:${principal.mobile}`).digest('hex');
      const requestHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
      const replay = async (claim: { requestHash: string; responseBody: unknown } | undefined | null) => {
        if (!claim) return null;
        if (claim.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
        const code = (claim.responseBody as { trackingCode?: string } | null)?.trackingCode;
        if (!code) throw new AppError('CONCURRENT_UPDATE', 'درخواستی با همین کلید یکتایی در حال ثبت است؛ چند لحظه بعد دوباره تلاش کنید.');
        return { status: 201 as const, view: await view(principal, await load(principal, code)) };
      };
      if (idempotencyKey) {
        const earlier = await replay(await repo.findIdempotencyKey(db, scope, idempotencyKey));
        if (earlier) return earlier;
      }

      // Channel and identity rules.
      const allowed: Record<string, readonly string[]> = { applicant: ['web', 'app'], 'pishkhan-operator': ['pishkhan'], clerk: ['counter'], supervisor: ['counter'] };
      if (!principal.roles.some((r) => allowed[r]?.includes(body.channel))) throw new AppError('CHANNEL_NOT_ALLOWED');
      if (principal.kind === 'applicant' && body.applicant.mobile !== principal.mobile) throw new AppError('MOBILE_MISMATCH', undefined, { field: 'applicant.mobile' });
      const officeCode = body.channel === 'pishkhan' && principal.kind === 'staff' ? principal.officeCode : null;

      // Eligibility against the billing system and our own records.
      const subscriber: BillingSubscriber | null = await billing.getSubscriber(body.billId).catch((e: unknown) => upstream(e, log));
      if (!subscriber) throw new AppError('UNKNOWN_BILL_ID', undefined, { field: 'billId' });
      const removedHere = await repo.findConnection(db, body.billId);
      if (subscriber.connection.state !== 'active' || removedHere?.state === 'temporarily-removed') throw new AppError('CONNECTION_ALREADY_REMOVED');
      const applicantId = body.applicant.personType === 'natural' ? body.applicant.nationalCode : body.applicant.nationalId;
      const ownerId = subscriber.owner.personType === 'natural' ? subscriber.owner.nationalCode : subscriber.owner.nationalId;
      if (body.relation === 'owner' && applicantId !== ownerId) throw new AppError('NOT_OWNER', undefined, { field: 'relation' });
      if (body.relation === 'attorney' && !body.powerOfAttorney) throw new AppError('POWER_OF_ATTORNEY_REQUIRED', undefined, { field: 'powerOfAttorney' });
      if (subscriber.connection.shared) {
        const consenting = new Set([applicantId, ...(body.consents ?? []).map((c) => c.nationalCode)]);
        const missing = (subscriber.connection.users ?? []).filter((u) => !consenting.has(u.nationalCode));
        if (missing.length > 0) throw new AppError('CONSENT_MISSING', undefined, { field: 'consents', missing: missing.length, required: subscriber.connection.users?.length ?? 0 });
      }
      // A request that lost the race to its own twin (same Idempotency-Key) answers with the winner's request.
      const openRequestExists = async () => {
        if (idempotencyKey) {
          const earlier = await replay(await repo.findIdempotencyKey(db, scope, idempotencyKey));
          if (earlier) return earlier;
        }
        throw new AppError('OPEN_REQUEST_EXISTS');
      };
      if (await repo.findOpenByBillId(db, body.billId, OPEN_STATES)) return openRequestExists();

      const versions = await deps.versions.current(body.service);
      const now = clock.now();
      for (let attempt = 1; ; attempt += 1) {
        const trackingCode = generateTrackingCode();
        const id = randomUUID();
        try {
          const outcome = await db.transaction().execute(async (trx) => {
            if (idempotencyKey) {
              const claim = await repo.claimIdempotencyKey(trx, { scope, key: idempotencyKey, requestHash, createdAt: now });
              if (claim) return { replay: claim };
            }
            const row = {
              id, trackingCode, service: body.service, serviceVersion: versions.serviceVersion, agreementVersion: versions.agreementVersion,
              channel: body.channel, officeCode, state: 'submitted', billId: body.billId, accountNumber: subscriber.accountNumber,
              relation: body.relation, personType: body.applicant.personType,
              nationalCode: body.applicant.personType === 'natural' ? body.applicant.nationalCode : (body.applicant.representative?.nationalCode ?? null),
              nationalId: body.applicant.personType === 'legal' ? body.applicant.nationalId : null,
              firstName: body.applicant.personType === 'natural' ? body.applicant.firstName : (body.applicant.representative?.firstName ?? null),
              lastName: body.applicant.personType === 'natural' ? body.applicant.lastName : (body.applicant.representative?.lastName ?? null),
              legalName: body.applicant.personType === 'legal' ? body.applicant.name : null,
              mobile: body.applicant.mobile, reason: body.reason ?? null,
              connection: JSON.stringify({ ...subscriber.connection, accountNumber: subscriber.accountNumber, address: subscriber.address }),
              powerOfAttorney: body.powerOfAttorney ? JSON.stringify(body.powerOfAttorney) : null,
              consents: body.consents ? JSON.stringify(body.consents) : null,
              createdBy: actorId(principal), createdAt: now, updatedAt: now, slaNextCheckAt: now,
            };
            await repo.insert(trx, row);
            const actor: Actor = { kind: principal.kind, id: actorId(principal), role: principal.roles.find((r) => allowed[r]?.includes(body.channel)) ?? principal.roles[0]!, channel: body.channel };
            await repo.insertEvent(trx, {
              requestId: id, action: 'submit', fromState: null, toState: 'submitted', actorKind: actor.kind, actorId: actor.id, actorRole: actor.role,
              channel: body.channel, at: now, reason: null, payload: { relation: body.relation, officeCode },
            });
            const name = body.applicant.personType === 'natural' ? `${body.applicant.firstName} ${body.applicant.lastName}` : body.applicant.name;
            const promise = (await deps.sla.summarize({ ...(row as unknown as RequestRow), version: 1, escalatedAt: null, closedAt: null } as RequestRow, await repo.eventsOf(trx, id), trx)).promisedAt;
            const smsId = await notifications.enqueueSms(trx, { to: body.applicant.mobile, requestId: id, template: 'request-registered', data: { name, billId: body.billId, trackingCode, trackUrl: links.track(trackingCode), promisedAt: promise ? formatJalaliDate(promise) : '—' } });
            if (idempotencyKey) await repo.completeIdempotencyKey(trx, scope, idempotencyKey, { status: 201, body: { trackingCode } });
            return { ids: [smsId] };
          });
          if ('replay' in outcome) return (await replay(outcome.replay))!;
          afterCommit(outcome.ids);
          const created = await repo.findById(db, id);
          log.info({ trackingCode, channel: body.channel }, 'request submitted');
          return { status: 201, view: await view(principal, created!) };
        } catch (error) {
          if (isUniqueViolation(error, 'requests_one_open_per_connection')) return openRequestExists();
          if (isUniqueViolation(error, 'requests_tracking_code_key') && attempt < 3) continue;
          throw error;
        }
      }
    },

    /** The request as the caller may see it; 404 for a request that is not theirs. */
    async get(principal: Principal, trackingCode: string) {
      return view(principal, await load(principal, trackingCode));
    },

    /** Takes one lifecycle action for the caller. */
    async act(principal: Principal, trackingCode: string, body: ActionBody) {
      const row = await load(principal, trackingCode);
      const reason = body.reason?.trim() || null;
      const first = decide({ state: row.state as RequestState, action: body.action, roles: principal.roles, facts: await factsOf(db, row), reason });
      if (!first.ok) {
        switch (first.error) {
          case 'unknown-action': throw new AppError('UNKNOWN_ACTION', undefined, { action: body.action });
          case 'role-forbidden': throw new AppError('FORBIDDEN', 'نقش شما اجازه این اقدام را ندارد.', { action: body.action });
          case 'invalid-transition': throw new AppError('INVALID_TRANSITION', undefined, { action: body.action, state: row.state });
          case 'reason-required': throw new AppError('REASON_REQUIRED', undefined, { field: 'reason' });
          case 'precondition': throw new AppError('PRECONDITION_FAILED', PRECONDITION_FA[first.precondition], { precondition: first.precondition });
        }
      }
      const action = body.action as RequestAction;
      const schema = ACTION_PAYLOADS[action as keyof typeof ACTION_PAYLOADS];
      let payload: Record<string, unknown> = {};
      if (schema) {
        const parsed = schema.safeParse(body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const field = issue.path.join('.');
          throw new AppError('VALIDATION_FAILED', `مقدار «${field}» درست نیست: ${issue.message}`, { field, issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) });
        }
        payload = parsed.data as Record<string, unknown>;
      }
      const prepared = await prepare(row, action, payload);
      const decision = decide({ state: row.state as RequestState, action, roles: principal.roles, facts: { ...(await factsOf(db, row)), nothingDue: prepared.nothingDue ?? false }, reason });
      if (!decision.ok) throw new AppError('INVALID_TRANSITION');
      const actor = actorOf(principal, action, row.channel === 'pishkhan' && (principal.roles as readonly Role[]).includes('pishkhan-operator') ? 'pishkhan' : principal.kind === 'applicant' ? 'web' : 'staff');
      // The amounts' payment deadline: the agreement's applicant days for paying (money after it is still recorded, and flagged).
      const expiresAt = prepared.stage ? new Date(clock.now().getTime() + (deps.paymentDays ? await deps.paymentDays(row, prepared.stage) : 30) * 86_400_000) : null;
      const ids = await db.transaction().execute(async (trx) => {
        const written = await transition(trx, { row, action, to: decision.to, actor, reason, payload: prepared.eventPayload, ...(prepared.patch ? { patch: prepared.patch } : {}), ...(prepared.sms ? { sms: prepared.sms } : {}) });
        if (prepared.lines?.length && prepared.stage) await payments.addAmountsDue(trx, { requestId: row.id, stage: prepared.stage, lines: prepared.lines, expiresAt, tariffVersionId: prepared.tariffVersionId ?? null });
        return written;
      });
      afterCommit(ids);
      log.info({ trackingCode, action, from: row.state, to: decision.to, role: actor.role }, 'request transition');
      return view(principal, (await repo.findById(db, row.id))!);
    },

    /** The SLA explained: each step's clock runs and pauses with reasons, due dates, breaches and their units. */
    async explainSla(principal: Principal, trackingCode: string) {
      const row = await load(principal, trackingCode);
      return deps.sla.explain(row, await repo.eventsOf(db, row.id));
    },

    /** Public tracking: the same 404 for a wrong code and for a wrong national code or ID. */
    async track(trackingCode: string, identity: { nationalCode?: string; nationalId?: string }) {
      const row = await repo.findByTrackingCode(db, trackingCode);
      const given = identity.nationalCode ?? identity.nationalId;
      const matches = row && given && (row.personType === 'legal' ? row.nationalId === given : row.nationalCode === given);
      if (!row || !matches) throw new AppError('NOT_FOUND', 'درخواستی با این کد رهگیری و کد/شناسه ملی یافت نشد.');
      const [events, amounts] = await Promise.all([repo.eventsOf(db, row.id), payments.amountsDueOf(db, row.id)]);
      return toTrackView({ row, events, amounts, sla: await deps.sla.summarize(row, events) });
    },

    /** A page of requests the caller may see: staff all, an operator their office's, an applicant their own. */
    async list(principal: Principal, filter: { state?: string[]; billId?: string; page: number; pageSize: number; sort?: 'created' | 'urgency' }) {
      const scope =
        principal.kind === 'applicant'
          ? { mobile: principal.mobile }
          : principal.roles.some((r) => STAFF_READERS.has(r))
            ? {}
            : { officeCode: principal.officeCode ?? '—' };
      // Urgency depends on each request's clocks, so it is sorted here over the first 2,000 matches
      // (a work queue, not an archive); creation order pages in SQL.
      const byUrgency = filter.sort === 'urgency';
      const { items, total } = await repo.page(db, {
        ...scope, ...(filter.state ? { states: filter.state } : {}), ...(filter.billId ? { billId: filter.billId } : {}),
        page: byUrgency ? 1 : filter.page, pageSize: byUrgency ? 2_000 : filter.pageSize,
      });
      const events = await repo.eventsOfMany(db, items.map((r) => r.id));
      const eventsById = new Map<string, typeof events>();
      for (const e of events) eventsById.set(e.requestId, [...(eventsById.get(e.requestId) ?? []), e]);
      const slas = new Map(await Promise.all(items.map(async (r) => [r.id, await deps.sla.summarize(r, eventsById.get(r.id) ?? [])] as const)));
      let rows = items;
      if (byUrgency) {
        const key = (r: RequestRow) => {
          const current = slas.get(r.id)!.steps.find((s) => !s.endedAt);
          return current ? [current.clock === 'company' ? 0 : 1, current.dueAt.getTime()] : [2, Number.MAX_SAFE_INTEGER];
        };
        rows = [...items].sort((a, b) => { const [ka, da] = key(a); const [kb, dbb] = key(b); return ka! - kb! || da! - dbb!; })
          .slice((filter.page - 1) * filter.pageSize, filter.page * filter.pageSize);
      }
      const amounts = await payments.amountsDueOfMany(rows.map((r) => r.id));
      return { items: rows.map((r) => toSummary(r, amounts.get(r.id) ?? [], slas.get(r.id)!)), page: filter.page, pageSize: filter.pageSize, total };
    },

    /** The request behind a tracking code for money use cases, by the same visibility rules (404 otherwise). */
    async resolve(principal: Principal, trackingCode: string) {
      const row = await load(principal, trackingCode);
      return { id: row.id, state: row.state, mobile: row.mobile, trackingCode: row.trackingCode };
    },

    /** Starts an online payment of one amount due of a request the caller may see. */
    async startPayment(principal: Principal, trackingCode: string, amountDueId: string) {
      const row = await load(principal, trackingCode);
      return payments.startOnlinePayment({ requestId: row.id, requestState: row.state, mobile: row.mobile, amountDueId });
    },

    applicantName,
  };
}
