// Money on the request: tariff versions, amounts due with Iranian bill and payment identifiers,
// online payment through the gateway (Shaparak IPG flow: token, redirect, callback, server-side
// verify), counter payments (POS, cash), bank-channel payments reported by billing, receipts, the
// flags finance reviews and the daily reconciliation.
// Callbacks are idempotent: a repeated, late, forged or mismatched one changes nothing and is
// logged. Money that arrives late (quote expired, request withdrawn or archived) or twice is
// recorded and flagged for finance, never lost.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { BillingSystem } from '../billing/billing.adapter.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database/schema.ts';
import type { Principal } from '../identity/roles.ts';
import { AppError } from '../platform/errors.ts';
import { makeBillId, makePaymentId, parseBillId } from '../platform/identifiers.ts';
import { formatJalaliDate, formatJalaliDateTime, tehranDayBounds, toJalaliDateString } from '../platform/jalali.ts';
import type { Outbox } from '../platform/outbox.ts';
import { isSepCallbackSuccessful, type PaymentGateway } from './gateway.adapter.ts';
import { paymentRepository as repo } from './payment.repository.ts';
import { buildReconciliation, type Reconciliation } from './reconciliation.ts';
import { toReceipt, type Receipt } from './receipt.ts';
import { checkTariffItems, DEMO_TARIFF_1405, type ProposedTariffItem, type QuoteLine } from './tariffs.ts';

/** How a payment reached us: the gateway, a bank channel (reported by billing), a POS terminal or cash at the counter ('counter' is the old name of either). */
export type PaymentMethod = 'online' | 'counter' | 'bank' | 'pos' | 'cash';

export interface AmountDue {
  id: string;
  stage: 'quote' | 'settlement';
  purpose: string;
  titleFa: string;
  amountRials: number;
  billId: string;
  paymentId: string;
  paid: boolean;
  paidAt: Date | null;
  /** The payment deadline; null for amounts issued before quotes had one. */
  expiresAt: Date | null;
  tariffItems: unknown;
}

export interface PaidEvent {
  requestId: string;
  amountDueId: string;
  stage: 'quote' | 'settlement';
  purpose: string;
  amountRials: number;
  method: PaymentMethod;
  /** The staff member who recorded a counter payment (audit), e.g. 'staff:finance'; absent for the gateway and banks. */
  recordedBy?: string | null;
  reference?: string | null;
}

/** Who may see which request: the lifecycle answers, so money follows the same rules (404 for a request that is not the caller's). */
export interface RequestAccess {
  resolve(principal: Principal, trackingCode: string): Promise<{ id: string; state: string; mobile: string; trackingCode: string }>;
}

/** Called inside the transaction that records a verified payment (the lifecycle moves on there). */
export type PaidListener = (trx: Transaction<Database>, event: PaidEvent) => Promise<string[] | void>;

export interface CallbackFields {
  [field: string]: string | undefined;
  State?: string;
  Status?: string;
  RefNum?: string;
  ResNum?: string;
  Token?: string;
  Amount?: string;
  TraceNo?: string;
  RRN?: string;
}

export type PaymentService = ReturnType<typeof createPaymentService>;

const toAmountDue = (row: Awaited<ReturnType<typeof repo.amountsDueOf>>[number]): AmountDue => ({
  id: row.id,
  stage: row.stage,
  purpose: row.purpose,
  titleFa: row.titleFa,
  amountRials: row.amountRials,
  billId: row.billId,
  paymentId: row.paymentId,
  paid: row.paidAt !== null,
  paidAt: row.paidAt,
  expiresAt: row.expiresAt ?? null,
  tariffItems: row.tariffItems,
});

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

type VerifiedInput = { id: string; amountDueId: string; requestId: string; method: PaymentMethod; recordedBy?: string | null };
type FlagKind = 'after-expiry' | 'request-closed' | 'double-payment' | 'amount-mismatch' | 'unmatched-bank-payment';

/** Persian names of the flags finance reviews. */
export const FLAG_TITLES_FA = {
  'after-expiry': 'پرداخت پس از پایان مهلت پرداخت',
  'request-closed': 'پرداخت برای درخواست بسته‌شده (انصراف، بایگانی یا رد)',
  'double-payment': 'پرداخت دوباره مبلغی که پیش‌تر پرداخت شده بود',
  'amount-mismatch': 'مبلغ پرداخت با مبلغ قابل پرداخت یکی نیست',
  'unmatched-bank-payment': 'پرداخت بانکی بدون شناسه قبض و پرداخت شناخته‌شده',
} as const satisfies Record<FlagKind, string>;

export function createPaymentService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  gateway: PaymentGateway;
  billing: BillingSystem;
  outbox: Outbox;
  companyCode: string;
  callbackUrl: () => string;
  /** Where a receipt's printable page answers, for links in receipts. */
  receiptUrl: (paymentRowId: string) => string;
  log: FastifyBaseLogger;
}) {
  const { db, clock, gateway, billing, outbox, log } = deps;
  let paidListener: PaidListener = async () => undefined;

  outbox.register('billing.debt-paid', async (message) => {
    const p = message.payload as { billId: string; amountRials: number; reference: string };
    await billing.recordDebtPaid(p.billId, p.amountRials, p.reference);
  });

  let requestAccess: RequestAccess | null = null;
  const access = () => {
    if (!requestAccess) throw new Error('payments: request access not connected');
    return requestAccess;
  };

  async function flag(trx: Transaction<Database>, input: { kind: FlagKind; requestId: string | null; amountDueId: string | null; paymentRowId: string | null; bankPaymentId?: string | null; amountRials: number; details: Record<string, unknown> }) {
    log.warn({ flag: input.kind, paymentRowId: input.paymentRowId, amountDueId: input.amountDueId, ...input.details }, 'payment flagged for finance');
    await repo.insertFlag(trx, { id: randomUUID(), bankPaymentId: null, ...input, createdAt: clock.now() });
  }

  /**
   * Records what a verified payment paid, inside the caller's transaction: the amount due marked
   * paid once, late or double money flagged, the debt reported to billing, the lifecycle told.
   * Answers the outbox ids to dispatch after commit and whether the amount was paid by this payment.
   */
  async function recordVerified(trx: Transaction<Database>, payment: VerifiedInput, reference: string | null): Promise<{ ids: string[]; first: boolean }> {
    const now = clock.now();
    const due = await repo.findAmountDue(trx, payment.amountDueId);
    if (!due) throw new Error(`amount due ${payment.amountDueId} vanished`);
    // Read before the lifecycle moves: was the request already closed when the money came?
    const request = await repo.requestFacts(trx, due.requestId);
    const base = { requestId: due.requestId, amountDueId: due.id, paymentRowId: payment.id, amountRials: due.amountRials };
    if (!(await repo.markAmountPaid(trx, due.id, now))) {
      // Money received twice for one amount: the payment stays recorded; finance decides.
      await flag(trx, { ...base, kind: 'double-payment', details: { method: payment.method, reference, trackingCode: request.trackingCode } });
      return { ids: [], first: false };
    }
    if (request.closedAt) {
      await flag(trx, { ...base, kind: 'request-closed', details: { method: payment.method, reference, state: request.state, trackingCode: request.trackingCode } });
    } else if (due.expiresAt && due.expiresAt.getTime() < now.getTime()) {
      await flag(trx, { ...base, kind: 'after-expiry', details: { method: payment.method, reference, expiresAt: due.expiresAt.toISOString(), trackingCode: request.trackingCode } });
    }
    const ids: string[] = [];
    if (due.purpose === 'consumption-debt' || due.purpose === 'final-consumption-debt') {
      ids.push(await outbox.add(trx, { kind: 'billing.debt-paid', requestId: due.requestId, payload: { billId: request.billId, amountRials: due.amountRials, reference: reference ?? payment.id } }));
    }
    ids.push(
      ...((await paidListener(trx, {
        requestId: due.requestId, amountDueId: due.id, stage: due.stage, purpose: due.purpose, amountRials: due.amountRials, method: payment.method,
        recordedBy: payment.recordedBy ?? null, reference,
      })) ?? []),
    );
    // Outbox messages to carry out once the caller's transaction has committed.
    return { ids, first: true };
  }

  function afterCommit(ids: string[]) {
    if (ids.length) void outbox.dispatch({ ids }).catch((error: unknown) => log.warn({ err: error }, 'post-commit dispatch failed'));
  }

  async function logCallback(fields: CallbackFields, outcome: string, paymentRowId: string | null) {
    const cut = (v: string | undefined) => (v === undefined || v === '' ? null : String(v).slice(0, 200));
    await repo
      .insertCallback(db, { id: randomUUID(), receivedAt: clock.now(), outcome, paymentRowId, token: cut(fields.Token), refNum: cut(fields.RefNum), resNum: cut(fields.ResNum), amount: cut(fields.Amount), state: cut(fields.State) })
      .catch((error: unknown) => log.error({ err: error }, 'could not log a payment callback'));
    if (outcome !== 'paid') log.warn({ outcome, resNum: fields.ResNum, state: fields.State }, 'payment callback changed nothing');
  }

  const receiptOf = async (paymentRowId: string): Promise<Receipt> => {
    const row = await repo.receipt(db, paymentRowId);
    if (!row) throw new AppError('NOT_FOUND', 'رسیدی با این شناسه یافت نشد.');
    return toReceipt(row, deps.receiptUrl(row.id));
  };

  const versionView = (v: Awaited<ReturnType<typeof repo.tariffVersions>>[number], inForceId: string | null) => ({
    id: v.id,
    effectiveFrom: v.effectiveFrom.toISOString(),
    effectiveFromJalali: formatJalaliDate(v.effectiveFrom),
    note: v.note,
    isDemo: v.isDemo,
    inForce: v.id === inForceId,
    scheduled: v.effectiveFrom.getTime() > clock.now().getTime(),
    createdBy: v.createdBy,
    createdAt: v.createdAt.toISOString(),
    items: v.items.map((i) => ({ code: i.code, kind: i.kind, phase: i.phase, amperes: i.amperes, title: i.titleFa, amountRials: i.amountRials })),
  });

  return {
    /** Registers the lifecycle's reaction to a verified payment. */
    onPaid(listener: PaidListener) {
      paidListener = listener;
    },

    /** Connects the lifecycle's visibility rules (who may see which request). */
    connectRequests(port: RequestAccess) {
      requestAccess = port;
    },

    // ---- tariffs --------------------------------------------------------------------------------

    /** The tariff in force now; throws when none was ever published. */
    async tariffInForce(at: Date = clock.now()) {
      const tariff = await repo.tariffInForce(db, at);
      if (!tariff) throw new AppError('PRECONDITION_FAILED', 'هیچ تعرفه‌ای در سامانه ثبت نشده است.');
      return tariff;
    },

    /** Seeds the demo tariff of 1405 when the database has none (demo and tests only). */
    async seedDemoTariff(createdBy = 'seed-demo') {
      const { count } = await repo.countTariffVersions(db);
      if (count > 0) return false;
      const versionId = randomUUID();
      await db.transaction().execute(async (trx) => {
        await repo.insertTariffVersion(trx, { id: versionId, effectiveFrom: new Date('2026-03-20T20:30:00Z'), note: 'تعرفه نمایشی ۱۴۰۵ — ارقام نمایشی است، نه ارقام مصوب شرکت', isDemo: true, createdBy, createdAt: clock.now() });
        await repo.insertTariffItems(trx, DEMO_TARIFF_1405.map((item) => ({ ...item, id: randomUUID(), versionId })));
      });
      return true;
    },

    /** Every tariff version, newest first, marking the one in force now. */
    async listTariffVersions() {
      const [versions, inForce] = await Promise.all([repo.tariffVersions(db), repo.tariffInForce(db, clock.now())]);
      return { versions: versions.map((v) => versionView(v, inForce?.versionId ?? null)) };
    },

    /**
     * Publishes a new tariff version from a Jalali effective date (Tehran midnight). Refused, with
     * nothing written: a date not in the future (a version in force is never edited), a date not
     * after every existing version, unknown kinds or rows, bad amounts, an incomplete table.
     */
    async publishTariffVersion(input: { effectiveFrom: string; note: string | null; items: ProposedTariffItem[] }, createdBy: string) {
      const day = tehranDayBounds(input.effectiveFrom);
      if (!day) throw new AppError('INVALID_DATE', undefined, { field: 'effectiveFrom' });
      const now = clock.now();
      if (day.start.getTime() <= now.getTime()) throw new AppError('TARIFF_IN_FORCE', 'تاریخ اجرای نسخه تازه تعرفه باید از فردا یا پس از آن باشد؛ نسخه‌ای که اجرا شده تغییر نمی‌کند.', { field: 'effectiveFrom' });
      const problem = checkTariffItems(input.items);
      if (problem) throw new AppError(problem.code, problem.messageFa, { field: problem.field, ...problem.details });
      const versionId = randomUUID();
      try {
        await db.transaction().execute(async (trx) => {
          await repo.lockTariffVersions(trx);
          const latest = await repo.latestTariffStart(trx);
          if (latest && day.start.getTime() <= latest.getTime()) {
            throw new AppError('TARIFF_OVERLAP', `تاریخ اجرای نسخه تازه باید پس از ${formatJalaliDate(latest)} (آخرین نسخه موجود) باشد.`, { field: 'effectiveFrom', latestEffectiveFrom: latest.toISOString() });
          }
          await repo.insertTariffVersion(trx, { id: versionId, effectiveFrom: day.start, note: input.note, isDemo: false, createdBy, createdAt: now });
          await repo.insertTariffItems(trx, input.items.map((i) => ({ id: randomUUID(), versionId, code: i.code, kind: i.kind as TariffItemKind, phase: i.phase, amperes: i.amperes, titleFa: i.title, amountRials: i.amountRials })));
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('TARIFF_OVERLAP', undefined, { field: 'effectiveFrom' });
        throw error;
      }
      log.info({ versionId, effectiveFrom: day.start.toISOString(), createdBy }, 'tariff version published');
      const version = (await repo.tariffVersions(db)).find((v) => v.id === versionId)!;
      const inForce = await repo.tariffInForce(db, clock.now());
      return versionView(version, inForce?.versionId ?? null);
    },

    /** Withdraws a version whose effective date has not come (nothing has used it); a version in force is never touched. */
    async deleteScheduledTariffVersion(id: string) {
      const deleted = await db.transaction().execute(async (trx) => repo.deleteScheduledTariffVersion(trx, id, clock.now()));
      if (deleted) return;
      if (await repo.findTariffVersion(db, id)) throw new AppError('TARIFF_IN_FORCE');
      throw new AppError('NOT_FOUND', 'نسخه‌ای از تعرفه با این شناسه یافت نشد.');
    },

    // ---- amounts due ------------------------------------------------------------------------------

    /** Writes amounts due for quote or settlement lines, each with its own bill and payment ID and the payment deadline. */
    async addAmountsDue(trx: Transaction<Database>, input: { requestId: string; stage: 'quote' | 'settlement'; lines: QuoteLine[]; expiresAt?: Date | null; tariffVersionId?: string | null }) {
      const now = clock.now();
      const [jy, jm] = toJalaliDateString(now).split('-').map(Number) as [number, number];
      for (const line of input.lines) {
        const billId = makeBillId(await repo.nextFileNumber(trx), deps.companyCode, 2);
        const paymentId = makePaymentId({ billId, amountRials: line.amountRials, jalaliYear: jy, period: jm });
        await repo.insertAmountDue(trx, {
          id: randomUUID(), requestId: input.requestId, stage: input.stage, purpose: line.purpose, titleFa: line.titleFa,
          amountRials: line.amountRials, billId, paymentId, tariffItems: line.tariffItems, createdAt: now,
          expiresAt: input.expiresAt ?? null, tariffVersionId: input.tariffVersionId ?? null,
        });
      }
    },

    /** Amounts due of a request, oldest first. */
    async amountsDueOf(executor: Kysely<Database> | Transaction<Database>, requestId: string): Promise<AmountDue[]> {
      return (await repo.amountsDueOf(executor, requestId)).map(toAmountDue);
    },

    /** Amounts due of many requests, by request id (work queues). */
    async amountsDueOfMany(requestIds: string[]): Promise<Map<string, AmountDue[]>> {
      const rows = await repo.amountsDueOfMany(db, requestIds);
      const map = new Map<string, AmountDue[]>();
      for (const row of rows) map.set(row.requestId, [...(map.get(row.requestId) ?? []), toAmountDue(row)]);
      return map;
    },

    // ---- online payment -----------------------------------------------------------------------

    /** Opens an online payment for one amount due; answers the gateway page to send the payer to. */
    async startOnlinePayment(input: { requestId: string; requestState: string; mobile: string; amountDueId: string }) {
      const due = await repo.findAmountDue(db, input.amountDueId);
      if (!due || due.requestId !== input.requestId) throw new AppError('AMOUNT_DUE_NOT_FOUND');
      if (due.paidAt) throw new AppError('ALREADY_PAID');
      const expected = due.stage === 'quote' ? 'awaiting-payment' : 'awaiting-settlement';
      if (input.requestState !== expected) throw new AppError('PAYMENT_NOT_EXPECTED');
      if (due.expiresAt && due.expiresAt.getTime() < clock.now().getTime()) throw new AppError('QUOTE_EXPIRED', undefined, { expiresAt: due.expiresAt.toISOString() });
      const paymentRowId = randomUUID();
      const { token, paymentUrl } = await gateway
        .requestToken({ amountRials: due.amountRials, resNum: paymentRowId, callbackUrl: deps.callbackUrl(), cellNumber: input.mobile })
        .catch((error: unknown) => {
          log.error({ err: error }, 'gateway token request failed');
          throw new AppError('UPSTREAM_UNAVAILABLE');
        });
      await repo.insertPayment(db, {
        id: paymentRowId, amountDueId: due.id, requestId: due.requestId, method: 'online', amountRials: due.amountRials,
        status: 'pending', gatewayToken: token, reference: null, createdAt: clock.now(), verifiedAt: null, recordedBy: null,
      });
      return { paymentUrl, paymentId: paymentRowId, amountRials: due.amountRials };
    },

    /**
     * Handles the gateway's callback: verifies server-side before anything is marked paid.
     * Returns what happened; never throws for a bad callback (it is logged instead).
     */
    async handleCallback(fields: CallbackFields): Promise<{ outcome: 'paid' | 'duplicate' | 'failed' | 'unknown' | 'mismatch'; requestId?: string; trackingCode?: string }> {
      const result = await this.processCallback(fields);
      return { ...result, ...(result.requestId ? { trackingCode: await repo.trackingCodeOf(db, result.requestId) } : {}) };
    },

    /** The callback's work (see handleCallback): every callback is logged with what it did. */
    async processCallback(fields: CallbackFields): Promise<{ outcome: 'paid' | 'duplicate' | 'failed' | 'unknown' | 'mismatch'; requestId?: string }> {
      const payment = fields.Token ? await repo.findPaymentByToken(db, fields.Token) : undefined;
      if (!payment) {
        await logCallback(fields, 'unknown', null);
        return { outcome: 'unknown' };
      }
      const answer = async (outcome: 'paid' | 'duplicate' | 'failed' | 'mismatch', logged: string = outcome) => {
        await logCallback(fields, logged, payment.id);
        return { outcome, requestId: payment.requestId };
      };
      if (payment.status === 'verified') return answer('duplicate');
      // A `failed` mark comes from an unverified callback (anyone can post one with a token seen in the
      // payment URL), so it is not final: a later callback the gateway verifies still records the money.
      if (!isSepCallbackSuccessful(fields) || !fields.RefNum) {
        await repo.settlePayment(db, payment.id, { status: 'failed', reference: fields.RefNum ?? null, at: clock.now() });
        return answer('failed');
      }
      // A reference the gateway already settled for another payment of ours is a replay, not new money.
      const taken = await repo.findVerifiedByReference(db, 'online', fields.RefNum);
      if (taken && taken.id !== payment.id) return answer('mismatch', 'duplicate-reference');
      const verified = await gateway.verify({ refNum: fields.RefNum, token: payment.gatewayToken! }).catch((error: unknown) => {
        log.error({ err: error, paymentId: payment.id }, 'gateway verify failed; the payment stays pending');
        return null;
      });
      if (!verified) return answer('failed', 'verify-unavailable');
      if (!verified.ok) {
        await repo.settlePayment(db, payment.id, { status: 'failed', reference: fields.RefNum, at: clock.now() });
        return answer('mismatch', 'refused');
      }
      if (verified.amountRials !== payment.amountRials || (verified.resNum && verified.resNum !== payment.id)) {
        log.warn({ paymentId: payment.id, resultCode: verified.resultCode, amount: verified.amountRials }, 'payment verification mismatched');
        await db.transaction().execute(async (trx) => {
          await repo.settlePayment(trx, payment.id, { status: 'failed', reference: fields.RefNum!, at: clock.now() });
          // Money the gateway settled for another amount (same invoice number): finance must see it.
          if (!verified.resNum || verified.resNum === payment.id) {
            await flag(trx, {
              kind: 'amount-mismatch', requestId: payment.requestId, amountDueId: payment.amountDueId, paymentRowId: payment.id, amountRials: payment.amountRials,
              details: { method: 'online', refNum: fields.RefNum, verifiedAmountRials: verified.amountRials ?? null, expectedAmountRials: payment.amountRials },
            });
          }
        });
        return answer('mismatch');
      }
      let recorded: { ids: string[]; first: boolean } | null;
      try {
        recorded = await db.transaction().execute(async (trx) => {
          const settled = await repo.settlePayment(trx, payment.id, { status: 'verified', reference: fields.RefNum!, at: clock.now(), traceNo: verified.traceNo ?? fields.TraceNo ?? null, rrn: verified.rrn ?? fields.RRN ?? null, maskedPan: verified.maskedPan ?? null });
          if (!settled) return null;
          return recordVerified(trx, payment, fields.RefNum!);
        });
      } catch (error) {
        // Two payments racing to claim one gateway reference: the unique index lets one win.
        if (isUniqueViolation(error)) return answer('mismatch', 'duplicate-reference');
        throw error;
      }
      // Now that the payment's transaction has committed, its SMS and billing calls can go (the worker is the safety net).
      if (recorded) afterCommit(recorded.ids);
      return answer(recorded ? 'paid' : 'duplicate');
    },

    // ---- counter and bank payments --------------------------------------------------------------

    /**
     * Finance records a POS or cash payment taken at the counter, with its reference; answers the
     * receipt. Refused, with nothing written: an amount of another request, one already paid, a
     * stage that expects no payment, an expired quote, a reference already recorded.
     */
    async recordCounterPayment(principal: Principal, recordedBy: string, input: { trackingCode: string; amountDueId: string; method: 'pos' | 'cash'; reference: string }): Promise<Receipt> {
      const request = await access().resolve(principal, input.trackingCode);
      const due = await repo.findAmountDue(db, input.amountDueId);
      if (!due || due.requestId !== request.id) throw new AppError('AMOUNT_DUE_NOT_FOUND', undefined, { field: 'amountDueId' });
      if (due.paidAt) throw new AppError('ALREADY_PAID', undefined, { field: 'amountDueId' });
      const expected = due.stage === 'quote' ? 'awaiting-payment' : 'awaiting-settlement';
      if (request.state !== expected) throw new AppError('PAYMENT_NOT_EXPECTED', undefined, { state: request.state });
      if (due.expiresAt && due.expiresAt.getTime() < clock.now().getTime()) throw new AppError('QUOTE_EXPIRED', undefined, { expiresAt: due.expiresAt.toISOString() });
      if (await repo.findVerifiedByReference(db, input.method, input.reference)) throw new AppError('DUPLICATE_PAYMENT_REFERENCE', undefined, { field: 'reference' });
      const id = randomUUID();
      const now = clock.now();
      let ids: string[];
      try {
        ids = await db.transaction().execute(async (trx) => {
          await repo.insertPayment(trx, {
            id, amountDueId: due.id, requestId: due.requestId, method: input.method, amountRials: due.amountRials, status: 'verified',
            gatewayToken: null, reference: input.reference, createdAt: now, verifiedAt: now, recordedBy,
          });
          const recorded = await recordVerified(trx, { id, amountDueId: due.id, requestId: due.requestId, method: input.method, recordedBy }, input.reference);
          // Another officer recorded it a moment ago: undo ours (the flag too) rather than take the money twice.
          if (!recorded.first) throw new AppError('ALREADY_PAID', undefined, { field: 'amountDueId' });
          return recorded.ids;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('DUPLICATE_PAYMENT_REFERENCE', undefined, { field: 'reference' });
        throw error;
      }
      afterCommit(ids);
      log.info({ trackingCode: request.trackingCode, method: input.method, amountRials: due.amountRials, recordedBy }, 'counter payment recorded');
      return receiptOf(id);
    },

    /**
     * Takes in the bank-channel payments billing reports since the last one seen, matching each
     * by bill ID + payment ID; a matched one is recorded as a `bank` payment and moves the
     * lifecycle like an online one. Idempotent (billing's reference is unique) and safe with
     * several workers. Unknown identifiers or another amount are recorded and flagged.
     */
    async pollBankPayments(options: { limit?: number } = {}): Promise<{ received: number; matched: number; flagged: number }> {
      const since = await repo.lastBankSequence(db);
      const { payments: reports } = await billing.listBankPayments(since, options.limit ?? 200);
      const outcome = { received: 0, matched: 0, flagged: 0 };
      for (const report of reports) {
        const billId = parseBillId(report.billId)?.billId ?? report.billId;
        const paymentId = report.paymentId.replace(/^0+/, '');
        const result = await db.transaction().execute(async (trx) => {
          const now = clock.now();
          const due = await repo.findAmountDueByIds(trx, billId, paymentId);
          const bankPaymentId = randomUUID();
          const status = !due ? 'unmatched' : due.amountRials !== report.amountRials ? 'amount-mismatch' : 'matched';
          const row = { id: bankPaymentId, sequence: report.sequence, reference: report.reference, billId, paymentId, amountRials: report.amountRials, paidAt: new Date(report.paidAt), receivedAt: now, status, amountDueId: due?.id ?? null, paymentRowId: null } as const;
          if (!(await repo.insertBankPayment(trx, row))) return null; // already taken in
          if (!due || status !== 'matched') {
            await flag(trx, {
              kind: due ? 'amount-mismatch' : 'unmatched-bank-payment', requestId: due?.requestId ?? null, amountDueId: due?.id ?? null, paymentRowId: null, bankPaymentId, amountRials: report.amountRials,
              details: { method: 'bank', reference: report.reference, billId, paymentId, reportedAmountRials: report.amountRials, expectedAmountRials: due?.amountRials ?? null },
            });
            return { ids: [] as string[], matched: false };
          }
          const paymentRowId = randomUUID();
          await repo.insertPayment(trx, {
            id: paymentRowId, amountDueId: due.id, requestId: due.requestId, method: 'bank', amountRials: report.amountRials, status: 'verified',
            gatewayToken: null, reference: report.reference, createdAt: now, verifiedAt: now, recordedBy: null,
          });
          await repo.linkBankPayment(trx, bankPaymentId, paymentRowId);
          const recorded = await recordVerified(trx, { id: paymentRowId, amountDueId: due.id, requestId: due.requestId, method: 'bank' }, report.reference);
          return { ids: recorded.ids, matched: true };
        });
        if (!result) continue;
        outcome.received += 1;
        if (result.matched) outcome.matched += 1;
        else outcome.flagged += 1;
        afterCommit(result.ids);
      }
      if (outcome.received) log.info(outcome, 'bank payments taken in');
      return outcome;
    },

    // ---- receipts, flags, reconciliation ----------------------------------------------------------

    /** The receipts of a request the caller may see (404 otherwise), oldest first. */
    async receiptsOf(principal: Principal, trackingCode: string): Promise<Receipt[]> {
      const request = await access().resolve(principal, trackingCode);
      return (await repo.receiptsOf(db, request.id)).map((row) => toReceipt(row, deps.receiptUrl(row.id)));
    },

    /** One receipt, for the applicant who owns the request or staff who may see it (404 otherwise). */
    async receipt(principal: Principal, paymentRowId: string): Promise<Receipt> {
      const row = await repo.receipt(db, paymentRowId);
      if (!row) throw new AppError('NOT_FOUND', 'رسیدی با این شناسه یافت نشد.');
      await access().resolve(principal, row.trackingCode).catch(() => {
        throw new AppError('NOT_FOUND', 'رسیدی با این شناسه یافت نشد.');
      });
      return toReceipt(row, deps.receiptUrl(row.id));
    },

    /** Payment flags for finance, newest first (open ones unless `all`). */
    async listFlags(input: { all: boolean }) {
      const rows = await repo.flags(db, { all: input.all, limit: 500 });
      return {
        flags: rows.map((f) => ({
          id: f.id, kind: f.kind, title: FLAG_TITLES_FA[f.kind], amountRials: f.amountRials,
          trackingCode: f.trackingCode, requestState: f.requestState, billId: f.billId, paymentId: f.paymentId, purpose: f.purpose,
          method: f.method, reference: f.reference, paymentRowId: f.paymentRowId, bankPaymentId: f.bankPaymentId,
          details: (f.details ?? {}) as Record<string, unknown>,
          createdAt: f.createdAt.toISOString(), createdAtJalali: formatJalaliDateTime(f.createdAt),
          resolvedAt: f.resolvedAt ? f.resolvedAt.toISOString() : null, resolvedBy: f.resolvedBy, resolutionNote: f.resolutionNote,
        })),
      };
    },

    /** Marks a flag reviewed, with finance's note; 404 for an unknown flag, 409 for one already resolved. */
    async resolveFlag(id: string, input: { note: string }, by: string) {
      if (await repo.resolveFlag(db, id, { by, note: input.note, at: clock.now() })) return;
      const exists = await repo.findFlag(db, id);
      throw exists ? new AppError('INVALID_TRANSITION', 'این مورد پیش‌تر بررسی و بسته شده است.') : new AppError('NOT_FOUND', 'موردی با این شناسه یافت نشد.');
    },

    /** The reconciliation of one Tehran day (Jalali date): amounts due issued, payments by channel with references, mismatches. */
    async reconciliation(jalaliDate: string): Promise<Reconciliation> {
      const day = tehranDayBounds(jalaliDate);
      if (!day) throw new AppError('INVALID_DATE', undefined, { field: 'date' });
      const [payments, amountsDue, flags, callbacks] = await Promise.all([
        repo.paymentsBetween(db, day.start, day.end),
        repo.amountsDueBetween(db, day.start, day.end),
        repo.flagsBetween(db, day.start, day.end),
        repo.oddCallbacksBetween(db, day.start, day.end),
      ]);
      return buildReconciliation({ date: day.jalali, from: day.start, to: day.end, payments, amountsDue, flags, callbacks });
    },
  };
}

type TariffItemKind = Parameters<typeof repo.insertTariffItems>[1][number]['kind'];
