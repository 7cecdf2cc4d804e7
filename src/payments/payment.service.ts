// Money on the request: amounts due with Iranian bill and payment identifiers, and online
// payment through the gateway (Shaparak IPG flow: token, redirect, callback, server-side verify).
// Callbacks are idempotent: a repeated, late, forged or mismatched one changes nothing.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { BillingSystem } from '../billing/billing.adapter.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database/schema.ts';
import { AppError } from '../platform/errors.ts';
import { makeBillId, makePaymentId } from '../platform/identifiers.ts';
import { toJalaliDateString } from '../platform/jalali.ts';
import type { Outbox } from '../platform/outbox.ts';
import { isSepCallbackSuccessful, type PaymentGateway } from './gateway.adapter.ts';
import { paymentRepository as repo } from './payment.repository.ts';
import { DEMO_TARIFF_1405, type QuoteLine } from './tariffs.ts';

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
  tariffItems: unknown;
}

export interface PaidEvent {
  requestId: string;
  amountDueId: string;
  stage: 'quote' | 'settlement';
  purpose: string;
  amountRials: number;
  method: 'online' | 'counter' | 'bank';
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
  tariffItems: row.tariffItems,
});

export function createPaymentService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  gateway: PaymentGateway;
  billing: BillingSystem;
  outbox: Outbox;
  companyCode: string;
  callbackUrl: () => string;
  log: FastifyBaseLogger;
}) {
  const { db, clock, gateway, billing, outbox, log } = deps;
  let paidListener: PaidListener = async () => undefined;

  outbox.register('billing.debt-paid', async (message) => {
    const p = message.payload as { billId: string; amountRials: number; reference: string };
    await billing.recordDebtPaid(p.billId, p.amountRials, p.reference);
  });

  async function recordVerified(trx: Transaction<Database>, payment: { id: string; amountDueId: string; requestId: string; method: 'online' | 'counter' | 'bank' }, reference: string | null) {
    const now = clock.now();
    const due = await repo.findAmountDue(trx, payment.amountDueId);
    if (!due) throw new Error(`amount due ${payment.amountDueId} vanished`);
    if (!(await repo.markAmountPaid(trx, due.id, now))) return null;
    const request = await trx.selectFrom('requests').select(['billId']).where('id', '=', due.requestId).executeTakeFirstOrThrow();
    const ids: string[] = [];
    if (due.purpose === 'consumption-debt' || due.purpose === 'final-consumption-debt') {
      ids.push(await outbox.add(trx, { kind: 'billing.debt-paid', requestId: due.requestId, payload: { billId: request.billId, amountRials: due.amountRials, reference: reference ?? payment.id } }));
    }
    ids.push(...((await paidListener(trx, { requestId: due.requestId, amountDueId: due.id, stage: due.stage, purpose: due.purpose, amountRials: due.amountRials, method: payment.method })) ?? []));
    // Outbox messages to carry out once the caller's transaction has committed.
    return ids;
  }

  return {
    /** Registers the lifecycle's reaction to a verified payment. */
    onPaid(listener: PaidListener) {
      paidListener = listener;
    },

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
        await repo.insertTariffVersion(trx, { id: versionId, effectiveFrom: new Date('2026-03-20T20:30:00Z'), note: 'تعرفه نمایشی ۱۴۰۵ — ارقام واقعی شرکت نیست', isDemo: true, createdBy, createdAt: clock.now() });
        await repo.insertTariffItems(trx, DEMO_TARIFF_1405.map((item) => ({ ...item, id: randomUUID(), versionId })));
      });
      return true;
    },

    /** Writes amounts due for quote or settlement lines, each with its own bill and payment ID. */
    async addAmountsDue(trx: Transaction<Database>, input: { requestId: string; stage: 'quote' | 'settlement'; lines: QuoteLine[] }) {
      const now = clock.now();
      const [jy, jm] = toJalaliDateString(now).split('-').map(Number) as [number, number];
      for (const line of input.lines) {
        const billId = makeBillId(await repo.nextFileNumber(trx), deps.companyCode, 2);
        const paymentId = makePaymentId({ billId, amountRials: line.amountRials, jalaliYear: jy, period: jm });
        await repo.insertAmountDue(trx, {
          id: randomUUID(), requestId: input.requestId, stage: input.stage, purpose: line.purpose, titleFa: line.titleFa,
          amountRials: line.amountRials, billId, paymentId, tariffItems: line.tariffItems, createdAt: now,
        });
      }
    },

    /** Amounts due of a request, oldest first. */
    async amountsDueOf(executor: Kysely<Database> | Transaction<Database>, requestId: string): Promise<AmountDue[]> {
      return (await repo.amountsDueOf(executor, requestId)).map(toAmountDue);
    },

    async amountsDueOfMany(requestIds: string[]): Promise<Map<string, AmountDue[]>> {
      const rows = await repo.amountsDueOfMany(db, requestIds);
      const map = new Map<string, AmountDue[]>();
      for (const row of rows) map.set(row.requestId, [...(map.get(row.requestId) ?? []), toAmountDue(row)]);
      return map;
    },

    /** Opens an online payment for one amount due; answers the gateway page to send the payer to. */
    async startOnlinePayment(input: { requestId: string; requestState: string; mobile: string; amountDueId: string }) {
      const due = await repo.findAmountDue(db, input.amountDueId);
      if (!due || due.requestId !== input.requestId) throw new AppError('AMOUNT_DUE_NOT_FOUND');
      if (due.paidAt) throw new AppError('ALREADY_PAID');
      const expected = due.stage === 'quote' ? 'awaiting-payment' : 'awaiting-settlement';
      if (input.requestState !== expected) throw new AppError('PAYMENT_NOT_EXPECTED');
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

    async processCallback(fields: CallbackFields): Promise<{ outcome: 'paid' | 'duplicate' | 'failed' | 'unknown' | 'mismatch'; requestId?: string }> {
      const payment = fields.Token ? await repo.findPaymentByToken(db, fields.Token) : undefined;
      if (!payment) {
        log.warn({ resNum: fields.ResNum }, 'payment callback for an unknown token');
        return { outcome: 'unknown' };
      }
      if (payment.status === 'verified') return { outcome: 'duplicate', requestId: payment.requestId };
      // A `failed` mark comes from an unverified callback (anyone can post one with a token seen in the
      // payment URL), so it is not final: a later callback the gateway verifies still records the money.
      if (!isSepCallbackSuccessful(fields) || !fields.RefNum) {
        await repo.settlePayment(db, payment.id, { status: 'failed', reference: fields.RefNum ?? null, at: clock.now() });
        return { outcome: 'failed', requestId: payment.requestId };
      }
      const verified = await gateway.verify({ refNum: fields.RefNum, token: payment.gatewayToken! }).catch((error: unknown) => {
        log.error({ err: error, paymentId: payment.id }, 'gateway verify failed; the payment stays pending');
        return null;
      });
      if (!verified) return { outcome: 'failed', requestId: payment.requestId };
      if (!verified.ok || verified.amountRials !== payment.amountRials || (verified.resNum && verified.resNum !== payment.id)) {
        log.warn({ paymentId: payment.id, resultCode: verified.resultCode, amount: verified.amountRials }, 'payment verification refused or mismatched');
        await repo.settlePayment(db, payment.id, { status: 'failed', reference: fields.RefNum, at: clock.now() });
        return { outcome: 'mismatch', requestId: payment.requestId };
      }
      const paid = await db.transaction().execute(async (trx) => {
        if (!(await repo.settlePayment(trx, payment.id, { status: 'verified', reference: fields.RefNum!, at: clock.now() }))) return null;
        return recordVerified(trx, payment, fields.RefNum!);
      });
      // Now that the payment's transaction has committed, its SMS and billing calls can go (the worker is the safety net).
      if (paid?.length) void outbox.dispatch({ ids: paid }).catch((error: unknown) => log.warn({ err: error }, 'post-commit dispatch failed'));
      return { outcome: paid ? 'paid' : 'duplicate', requestId: payment.requestId };
    },
  };
}
