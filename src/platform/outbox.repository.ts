// SQL for the outbox: messages written with the transition that causes them, claimed by the
// dispatcher with row locks so several workers never take the same message.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../platform/database/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export const outboxRepository = {
  insert(db: Executor, row: { id: string; kind: string; requestId: string | null; payload: unknown; availableAt: Date; createdAt: Date; giveUpAt: Date | null }) {
    return db.insertInto('outbox').values({ ...row, payload: JSON.stringify(row.payload) }).execute();
  },

  /** Takes up to `limit` due messages (pending, or `sending` whose lease ran out) and leases them. */
  async claim(db: Kysely<Database>, input: { now: Date; leaseUntil: Date; limit: number; ids?: string[] }) {
    return db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('outbox')
        .select('id')
        .where((eb) => eb.or([eb('status', '=', 'pending'), eb('status', '=', 'sending')]))
        .where('availableAt', '<=', input.now)
        .orderBy('availableAt')
        .limit(input.limit)
        .forUpdate()
        .skipLocked();
      if (input.ids) query = query.where('id', 'in', input.ids.length ? input.ids : ['00000000-0000-0000-0000-000000000000']);
      const due = await query.execute();
      if (due.length === 0) return [];
      return trx
        .updateTable('outbox')
        .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), availableAt: input.leaseUntil }))
        .where('id', 'in', due.map((d) => d.id))
        .returningAll()
        .execute();
    });
  },

  markSent(db: Executor, id: string, input: { sentAt: Date; providerMessageId: string | null }) {
    return db.updateTable('outbox').set({ status: 'sent', sentAt: input.sentAt, providerMessageId: input.providerMessageId, lastError: null }).where('id', '=', id).execute();
  },

  markRetry(db: Executor, id: string, input: { availableAt: Date; error: string }) {
    return db.updateTable('outbox').set({ status: 'pending', availableAt: input.availableAt, lastError: input.error }).where('id', '=', id).execute();
  },

  markFailed(db: Executor, id: string, error: string, at: Date) {
    return db.updateTable('outbox').set({ status: 'failed', lastError: error, availableAt: at }).where('id', '=', id).execute();
  },

  /** Removes keys from a message's payload (jsonb `- text[]`). */
  redact(db: Executor, id: string, keys: string[]) {
    return db.updateTable('outbox').set({ payload: sql<string>`payload - ${keys}::text[]` }).where('id', '=', id).execute();
  },

  findById(db: Executor, id: string) {
    return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  },

  listForRequest(db: Executor, requestId: string) {
    return db.selectFrom('outbox').selectAll().where('requestId', '=', requestId).orderBy('createdAt').execute();
  },
};
