// SQL for tariffs, amounts due and payments.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, PaymentFlagsTable } from '../platform/database/schema.ts';
import type { TariffItem } from './tariffs.ts';

type Executor = Kysely<Database> | Transaction<Database>;
type PaymentMethod = 'online' | 'counter' | 'bank' | 'pos' | 'cash';
type FlagKind = PaymentFlagsTable['kind'];

export const paymentRepository = {
  /** Items of the tariff version in force at `at` (the newest whose effective date has come). */
  async tariffInForce(db: Executor, at: Date): Promise<{ versionId: string; effectiveFrom: Date; isDemo: boolean; items: TariffItem[] } | null> {
    const version = await db.selectFrom('tariffVersions').selectAll().where('effectiveFrom', '<=', at).orderBy('effectiveFrom', 'desc').limit(1).executeTakeFirst();
    if (!version) return null;
    const items = await db
      .selectFrom('tariffItems')
      .select(['id', 'code', 'kind', 'phase', 'amperes', 'titleFa', 'amountRials'])
      .where('versionId', '=', version.id)
      .orderBy('code')
      .execute();
    return { versionId: version.id, effectiveFrom: version.effectiveFrom, isDemo: version.isDemo, items };
  },

  insertTariffVersion(db: Executor, row: { id: string; effectiveFrom: Date; note: string | null; isDemo: boolean; createdBy: string; createdAt: Date }) {
    return db.insertInto('tariffVersions').values(row).execute();
  },

  insertTariffItems(db: Executor, rows: Array<Omit<TariffItem, never> & { versionId: string }>) {
    return db.insertInto('tariffItems').values(rows).execute();
  },

  countTariffVersions(db: Executor) {
    return db.selectFrom('tariffVersions').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  },

  async nextFileNumber(db: Executor): Promise<string> {
    const { rows } = await sql<{ n: number }>`select nextval('amount_due_file_number') as n`.execute(db);
    return String(rows[0]!.n);
  },

  insertAmountDue(
    db: Executor,
    row: { id: string; requestId: string; stage: 'quote' | 'settlement'; purpose: string; titleFa: string; amountRials: number; billId: string; paymentId: string; tariffItems: unknown; createdAt: Date; expiresAt?: Date | null; tariffVersionId?: string | null },
  ) {
    return db.insertInto('amountsDue').values({ ...row, tariffItems: JSON.stringify(row.tariffItems) }).execute();
  },

  amountsDueOf(db: Executor, requestId: string) {
    return db.selectFrom('amountsDue').selectAll().where('requestId', '=', requestId).orderBy('createdAt').orderBy('purpose').execute();
  },

  amountsDueOfMany(db: Executor, requestIds: string[]) {
    if (requestIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('amountsDue').selectAll().where('requestId', 'in', requestIds).execute();
  },

  findAmountDue(db: Executor, id: string) {
    return db.selectFrom('amountsDue').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Marks an amount paid once; returns false if it already was. */
  async markAmountPaid(db: Executor, id: string, at: Date): Promise<boolean> {
    const result = await db.updateTable('amountsDue').set({ paidAt: at }).where('id', '=', id).where('paidAt', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  insertPayment(
    db: Executor,
    row: {
      id: string; amountDueId: string; requestId: string; method: PaymentMethod; amountRials: number; status: 'pending' | 'verified' | 'failed';
      gatewayToken: string | null; reference: string | null; createdAt: Date; verifiedAt: Date | null; recordedBy: string | null;
      traceNo?: string | null; rrn?: string | null; maskedPan?: string | null;
    },
  ) {
    return db.insertInto('payments').values(row).execute();
  },

  findPaymentByToken(db: Executor, token: string) {
    return db.selectFrom('payments').selectAll().where('gatewayToken', '=', token).executeTakeFirst();
  },

  async trackingCodeOf(db: Executor, requestId: string): Promise<string | undefined> {
    const row = await db.selectFrom('requests').select('trackingCode').where('id', '=', requestId).executeTakeFirst();
    return row?.trackingCode;
  },

  findPayment(db: Executor, id: string) {
    return db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /**
   * Moves a pending payment to failed, or a pending or failed one to verified (only the gateway's
   * verification makes a payment verified, and it overrides an earlier unverified failure);
   * returns false when nothing changed.
   */
  async settlePayment(db: Executor, id: string, input: { status: 'verified' | 'failed'; reference: string | null; at: Date; traceNo?: string | null; rrn?: string | null; maskedPan?: string | null }): Promise<boolean> {
    const result = await db
      .updateTable('payments')
      .set({
        status: input.status, reference: input.reference, verifiedAt: input.status === 'verified' ? input.at : null,
        ...(input.status === 'verified' ? { traceNo: input.traceNo ?? null, rrn: input.rrn ?? null, maskedPan: input.maskedPan ?? null } : {}),
      })
      .where('id', '=', id)
      .where('status', 'in', input.status === 'verified' ? ['pending', 'failed'] : ['pending'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  // ---- tariff administration ------------------------------------------------------------------

  /** Every tariff version, newest effective date first, with its items. */
  async tariffVersions(db: Executor) {
    const versions = await db.selectFrom('tariffVersions').selectAll().orderBy('effectiveFrom', 'desc').execute();
    const items = versions.length
      ? await db.selectFrom('tariffItems').select(['id', 'versionId', 'code', 'kind', 'phase', 'amperes', 'titleFa', 'amountRials']).where('versionId', 'in', versions.map((v) => v.id)).orderBy('kind').orderBy('phase').orderBy('amperes').orderBy('code').execute()
      : [];
    return versions.map((v) => ({ ...v, items: items.filter((i) => i.versionId === v.id) }));
  },

  /** The newest effective date of any version (in force or scheduled), or null. */
  async latestTariffStart(db: Executor): Promise<Date | null> {
    const row = await db.selectFrom('tariffVersions').select('effectiveFrom').orderBy('effectiveFrom', 'desc').limit(1).executeTakeFirst();
    return row?.effectiveFrom ?? null;
  },

  findTariffVersion(db: Executor, id: string) {
    return db.selectFrom('tariffVersions').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Deletes a version not yet in force (nothing can have used it); false when it is in force or gone. */
  async deleteScheduledTariffVersion(db: Executor, id: string, now: Date): Promise<boolean> {
    const version = await db.selectFrom('tariffVersions').select('id').where('id', '=', id).where('effectiveFrom', '>', now).forUpdate().executeTakeFirst();
    if (!version) return false;
    await db.deleteFrom('tariffItems').where('versionId', '=', id).execute();
    await db.deleteFrom('tariffVersions').where('id', '=', id).execute();
    return true;
  },

  /** Serialises tariff publications so two administrators cannot both pass the overlap check. */
  async lockTariffVersions(db: Executor): Promise<void> {
    await sql`lock table tariff_versions in share row exclusive mode`.execute(db);
  },

  // ---- payments: lookups and recording ---------------------------------------------------------

  /** The facts about a request the money path needs (state, whether it is closed, whom it belongs to). */
  requestFacts(db: Executor, requestId: string) {
    return db.selectFrom('requests').select(['id', 'trackingCode', 'billId', 'state', 'closedAt', 'mobile']).where('id', '=', requestId).executeTakeFirstOrThrow();
  },

  findAmountDueByIds(db: Executor, billId: string, paymentId: string) {
    return db.selectFrom('amountsDue').selectAll().where('billId', '=', billId).where('paymentId', '=', paymentId).executeTakeFirst();
  },

  /** A verified payment already carrying this reference on this channel, if any. */
  findVerifiedByReference(db: Executor, method: PaymentMethod, reference: string) {
    return db.selectFrom('payments').select(['id', 'amountDueId']).where('method', '=', method).where('reference', '=', reference).where('status', '=', 'verified').executeTakeFirst();
  },

  insertCallback(db: Executor, row: { id: string; receivedAt: Date; outcome: string; paymentRowId: string | null; token: string | null; refNum: string | null; resNum: string | null; amount: string | null; state: string | null }) {
    return db.insertInto('paymentCallbacks').values(row).execute();
  },

  insertFlag(db: Executor, row: { id: string; kind: FlagKind; requestId: string | null; amountDueId: string | null; paymentRowId: string | null; bankPaymentId: string | null; amountRials: number; details: Record<string, unknown>; createdAt: Date }) {
    return db.insertInto('paymentFlags').values({ ...row, details: JSON.stringify(row.details) }).execute();
  },

  /** Flags for finance, newest first; open only unless `all`. */
  flags(db: Executor, input: { all: boolean; limit: number }) {
    let query = db
      .selectFrom('paymentFlags as f')
      .leftJoin('requests as r', 'r.id', 'f.requestId')
      .leftJoin('amountsDue as a', 'a.id', 'f.amountDueId')
      .leftJoin('payments as p', 'p.id', 'f.paymentRowId')
      .select([
        'f.id', 'f.kind', 'f.amountRials', 'f.details', 'f.createdAt', 'f.resolvedAt', 'f.resolvedBy', 'f.resolutionNote', 'f.paymentRowId', 'f.bankPaymentId',
        'r.trackingCode', 'r.state as requestState', 'a.billId', 'a.paymentId', 'a.purpose', 'p.method', 'p.reference',
      ])
      .orderBy('f.createdAt', 'desc')
      .limit(input.limit);
    if (!input.all) query = query.where('f.resolvedAt', 'is', null);
    return query.execute();
  },

  findFlag(db: Executor, id: string) {
    return db.selectFrom('paymentFlags').select(['id', 'resolvedAt']).where('id', '=', id).executeTakeFirst();
  },

  /** Marks a flag reviewed once; false when it was already resolved or does not exist. */
  async resolveFlag(db: Executor, id: string, input: { by: string; note: string; at: Date }): Promise<boolean> {
    const result = await db.updateTable('paymentFlags').set({ resolvedAt: input.at, resolvedBy: input.by, resolutionNote: input.note }).where('id', '=', id).where('resolvedAt', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** Verified payments of one request, oldest first, with what they paid. */
  receiptsOf(db: Executor, requestId: string) {
    return receiptQuery(db).where('p.requestId', '=', requestId).orderBy('p.verifiedAt').execute();
  },

  /** One verified payment with what it paid, for its receipt. */
  receipt(db: Executor, paymentRowId: string) {
    return receiptQuery(db).where('p.id', '=', paymentRowId).executeTakeFirst();
  },

  // ---- bank-channel payments reported by billing -----------------------------------------------

  /** The highest billing sequence already taken in (the cursor of the next poll). */
  async lastBankSequence(db: Executor): Promise<number> {
    const row = await db.selectFrom('bankPayments').select((eb) => eb.fn.max('sequence').as('last')).executeTakeFirst();
    return row?.last === null || row?.last === undefined ? 0 : Number(row.last);
  },

  /** Records a bank payment report once (by billing's reference); false when it was already taken in. */
  async insertBankPayment(db: Executor, row: { id: string; sequence: number; reference: string; billId: string; paymentId: string; amountRials: number; paidAt: Date; receivedAt: Date; status: 'matched' | 'unmatched' | 'amount-mismatch'; amountDueId: string | null; paymentRowId: string | null }): Promise<boolean> {
    const inserted = await db.insertInto('bankPayments').values(row).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
    return inserted !== undefined;
  },

  /** Points a matched bank payment at the payment row it became. */
  linkBankPayment(db: Executor, bankPaymentId: string, paymentRowId: string) {
    return db.updateTable('bankPayments').set({ paymentRowId }).where('id', '=', bankPaymentId).execute();
  },

  // ---- daily reconciliation ---------------------------------------------------------------------

  /** Verified payments of [from, to). */
  paymentsBetween(db: Executor, from: Date, to: Date) {
    return receiptQuery(db).where('p.verifiedAt', '>=', from).where('p.verifiedAt', '<', to).orderBy('p.verifiedAt').execute();
  },

  /** Amounts due issued in [from, to). */
  amountsDueBetween(db: Executor, from: Date, to: Date) {
    return db
      .selectFrom('amountsDue as a')
      .innerJoin('requests as r', 'r.id', 'a.requestId')
      .select(['a.id', 'a.stage', 'a.purpose', 'a.titleFa', 'a.amountRials', 'a.billId', 'a.paymentId', 'a.createdAt', 'a.paidAt', 'a.expiresAt', 'r.trackingCode'])
      .where('a.createdAt', '>=', from)
      .where('a.createdAt', '<', to)
      .orderBy('a.createdAt')
      .execute();
  },

  /** Flags raised in [from, to). */
  flagsBetween(db: Executor, from: Date, to: Date) {
    return db
      .selectFrom('paymentFlags as f')
      .leftJoin('requests as r', 'r.id', 'f.requestId')
      .leftJoin('amountsDue as a', 'a.id', 'f.amountDueId')
      .leftJoin('payments as p', 'p.id', 'f.paymentRowId')
      .select(['f.id', 'f.kind', 'f.amountRials', 'f.details', 'f.createdAt', 'r.trackingCode', 'a.billId', 'a.paymentId', 'p.method', 'p.reference'])
      .where('f.createdAt', '>=', from)
      .where('f.createdAt', '<', to)
      .orderBy('f.createdAt')
      .execute();
  },

  /** Gateway callbacks of [from, to) that recorded no money (forged, refused, mismatched, repeated). */
  oddCallbacksBetween(db: Executor, from: Date, to: Date) {
    return db
      .selectFrom('paymentCallbacks')
      .selectAll()
      .where('receivedAt', '>=', from)
      .where('receivedAt', '<', to)
      .where('outcome', 'in', ['unknown', 'mismatch', 'refused', 'duplicate-reference'])
      .orderBy('receivedAt')
      .execute();
  },
};

function receiptQuery(db: Executor) {
  return db
    .selectFrom('payments as p')
    .innerJoin('amountsDue as a', 'a.id', 'p.amountDueId')
    .innerJoin('requests as r', 'r.id', 'p.requestId')
    .select([
      'p.id', 'p.method', 'p.amountRials', 'p.reference', 'p.traceNo', 'p.rrn', 'p.maskedPan', 'p.verifiedAt', 'p.recordedBy',
      'a.id as amountDueId', 'a.stage', 'a.purpose', 'a.titleFa', 'a.amountRials as amountDueRials', 'a.billId', 'a.paymentId',
      'r.trackingCode', 'r.mobile', 'r.personType', 'r.firstName', 'r.lastName', 'r.legalName', 'r.billId as subscriberBillId',
    ])
    .where('p.status', '=', 'verified');
}
