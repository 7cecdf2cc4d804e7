// SQL for tariffs, amounts due and payments.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../platform/database/schema.ts';
import type { TariffItem } from './tariffs.ts';

type Executor = Kysely<Database> | Transaction<Database>;

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
    row: { id: string; requestId: string; stage: 'quote' | 'settlement'; purpose: string; titleFa: string; amountRials: number; billId: string; paymentId: string; tariffItems: unknown; createdAt: Date },
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
    row: { id: string; amountDueId: string; requestId: string; method: 'online' | 'counter' | 'bank'; amountRials: number; status: 'pending' | 'verified' | 'failed'; gatewayToken: string | null; reference: string | null; createdAt: Date; verifiedAt: Date | null; recordedBy: string | null },
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
  async settlePayment(db: Executor, id: string, input: { status: 'verified' | 'failed'; reference: string | null; at: Date }): Promise<boolean> {
    const result = await db
      .updateTable('payments')
      .set({ status: input.status, reference: input.reference, verifiedAt: input.status === 'verified' ? input.at : null })
      .where('id', '=', id)
      .where('status', 'in', input.status === 'verified' ? ['pending', 'failed'] : ['pending'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
};
