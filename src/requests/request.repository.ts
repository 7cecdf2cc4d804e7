// SQL for requests, their append-only events, connections we removed, and idempotency keys.
import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Database, NewRequestRow, RequestsTable } from '../platform/database/schema.ts';
import type { RequestState } from './transitions.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface NewEvent {
  requestId: string;
  action: string;
  fromState: string | null;
  toState: string;
  actorKind: 'staff' | 'applicant' | 'system';
  actorId: string | null;
  actorRole: string;
  channel: string | null;
  at: Date;
  reason: string | null;
  payload: unknown;
}

export const requestRepository = {
  insert(db: Executor, row: NewRequestRow) {
    return db.insertInto('requests').values(row).execute();
  },

  findByTrackingCode(db: Executor, trackingCode: string) {
    return db.selectFrom('requests').selectAll().where('trackingCode', '=', trackingCode).executeTakeFirst();
  },

  findById(db: Executor, id: string) {
    return db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
  },

  findOpenByBillId(db: Executor, billId: string, openStates: readonly RequestState[]) {
    return db.selectFrom('requests').select(['id', 'trackingCode']).where('billId', '=', billId).where('state', 'in', openStates).executeTakeFirst();
  },

  /**
   * Compare-and-set: applies `patch` only if the request is still at `expectedVersion`.
   * Returns false when someone else changed it first (the caller answers 409).
   */
  async compareAndSet(db: Executor, id: string, expectedVersion: number, patch: Updateable<RequestsTable>): Promise<boolean> {
    const result = await db
      .updateTable('requests')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  insertEvent(db: Executor, event: NewEvent) {
    return db.insertInto('requestEvents').values({ ...event, payload: JSON.stringify(event.payload ?? {}) }).execute();
  },

  eventsOfMany(db: Executor, requestIds: string[]) {
    if (requestIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('requestEvents').selectAll().where('requestId', 'in', requestIds).orderBy('requestId').orderBy('id').execute();
  },

  eventsOf(db: Executor, requestId: string) {
    return db.selectFrom('requestEvents').selectAll().where('requestId', '=', requestId).orderBy('id').execute();
  },

  async page(db: Executor, filter: { states?: string[]; mobile?: string; officeCode?: string; billId?: string; page: number; pageSize: number }) {
    let query = db.selectFrom('requests');
    if (filter.states?.length) query = query.where('state', 'in', filter.states);
    if (filter.mobile) query = query.where('mobile', '=', filter.mobile);
    if (filter.officeCode) query = query.where('officeCode', '=', filter.officeCode);
    if (filter.billId) query = query.where('billId', '=', filter.billId);
    const [items, total] = await Promise.all([
      query.selectAll().orderBy('createdAt', 'asc').orderBy('id').limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: total.count };
  },

  findConnection(db: Executor, billId: string) {
    return db.selectFrom('connections').selectAll().where('billId', '=', billId).executeTakeFirst();
  },

  upsertConnection(db: Executor, row: { billId: string; state: 'active' | 'temporarily-removed'; removedAt: Date | null; finalReading: number | null; meterSerial: string | null; meterDestination: string | null; requestId: string | null; updatedAt: Date }) {
    return db
      .insertInto('connections')
      .values(row)
      .onConflict((oc) => oc.column('billId').doUpdateSet(row))
      .execute();
  },

  /** Claims an idempotency key; returns the existing claim when the key was used before. */
  async claimIdempotencyKey(db: Executor, row: { scope: string; key: string; requestHash: string; createdAt: Date }) {
    const inserted = await db.insertInto('idempotencyKeys').values(row).onConflict((oc) => oc.columns(['scope', 'key']).doNothing()).returning('key').executeTakeFirst();
    if (inserted) return null;
    return db.selectFrom('idempotencyKeys').selectAll().where('scope', '=', row.scope).where('key', '=', row.key).executeTakeFirstOrThrow();
  },

  findIdempotencyKey(db: Executor, scope: string, key: string) {
    return db.selectFrom('idempotencyKeys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  },

  completeIdempotencyKey(db: Executor, scope: string, key: string, response: { status: number; body: unknown }) {
    return db
      .updateTable('idempotencyKeys')
      .set({ responseStatus: response.status, responseBody: JSON.stringify(response.body) })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
  },
};
