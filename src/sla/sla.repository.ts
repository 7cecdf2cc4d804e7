// SQL for the SLA engine: holidays, closures, calendar settings, agreements, alerts, staff inbox.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../platform/database/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export const slaRepository = {
  listHolidays(db: Executor, range?: { from: string; to: string }) {
    let q = db.selectFrom('holidays').selectAll();
    if (range) q = q.where('date', '>=', range.from).where('date', '<=', range.to);
    return q.orderBy('date').orderBy('title').execute();
  },
  countOfficialHolidays(db: Executor) {
    return db.selectFrom('holidays').select((eb) => eb.fn.countAll<number>().as('count')).where('source', '=', 'official').executeTakeFirstOrThrow();
  },
  insertHolidays(db: Executor, rows: Array<{ id: string; date: string; jalali: string; title: string; kind: 'solar' | 'lunar' | 'ad-hoc'; source: 'official' | 'admin'; createdBy: string; createdAt: Date }>) {
    return db.insertInto('holidays').values(rows).onConflict((oc) => oc.columns(['date', 'title']).doNothing()).returningAll().execute();
  },
  deleteHoliday(db: Executor, id: string) {
    return db.deleteFrom('holidays').where('id', '=', id).returningAll().executeTakeFirst();
  },
  listClosures(db: Executor) {
    return db.selectFrom('calendarClosures').selectAll().orderBy('startsAt').execute();
  },
  insertClosure(db: Executor, row: { id: string; startsAt: Date; endsAt: Date; title: string; createdBy: string; createdAt: Date }) {
    return db.insertInto('calendarClosures').values(row).returningAll().executeTakeFirstOrThrow();
  },
  deleteClosure(db: Executor, id: string) {
    return db.deleteFrom('calendarClosures').where('id', '=', id).returningAll().executeTakeFirst();
  },
  getSetting(db: Executor, key: string) {
    return db.selectFrom('settings').selectAll().where('key', '=', key).executeTakeFirst();
  },
  putSetting(db: Executor, row: { key: string; value: unknown; updatedBy: string; updatedAt: Date }) {
    const values = { ...row, value: JSON.stringify(row.value) };
    return db.insertInto('settings').values(values).onConflict((oc) => oc.column('key').doUpdateSet(values)).execute();
  },
  listAgreements(db: Executor, service: string) {
    return db.selectFrom('slaAgreements').selectAll().where('service', '=', service).orderBy('version').execute();
  },
  insertAgreement(db: Executor, row: { service: string; version: number; validFrom: string; validTo: string; targets: unknown; approvedBy: string; publishedAt: Date }) {
    return db.insertInto('slaAgreements').values({ ...row, targets: JSON.stringify(row.targets) }).execute();
  },
  /** Open requests due for an SLA check, locked so another worker skips them. */
  claimDue(trx: Transaction<Database>, now: Date, openStates: readonly string[], limit: number) {
    return trx
      .selectFrom('requests')
      .selectAll()
      .where('slaNextCheckAt', '<=', now)
      .where('state', 'in', openStates)
      .orderBy('slaNextCheckAt')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  },
  /** A page of open requests (keyset on id) for a bulk recompute. */
  openPage(db: Executor, openStates: readonly string[], afterId: string | null, limit: number) {
    let q = db.selectFrom('requests').selectAll().where('state', 'in', openStates);
    if (afterId) q = q.where('id', '>', afterId);
    return q.orderBy('id').limit(limit).execute();
  },
  eventsOfMany(db: Executor, requestIds: string[]) {
    if (requestIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('requestEvents').selectAll().where('requestId', 'in', requestIds).orderBy('requestId').orderBy('id').execute();
  },
  countOpen(db: Executor, openStates: readonly string[]) {
    return db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('count')).where('state', 'in', openStates).executeTakeFirstOrThrow();
  },
  /** Sets many next-check instants in one statement. */
  async setNextChecks(db: Executor, rows: Array<{ id: string; at: Date | null }>) {
    if (rows.length === 0) return;
    await sql`update requests as r set sla_next_check_at = v.at::timestamptz
      from (values ${sql.join(rows.map((row) => sql`(${row.id}::uuid, ${row.at ? row.at.toISOString() : null})`))}) as v(id, at)
      where r.id = v.id`.execute(db);
  },
  setNextCheck(db: Executor, id: string, at: Date | null) {
    return db.updateTable('requests').set({ slaNextCheckAt: at }).where('id', '=', id).execute();
  },
  markEscalated(db: Executor, id: string, at: Date) {
    return db.updateTable('requests').set({ escalatedAt: at }).where('id', '=', id).where('escalatedAt', 'is', null).execute();
  },
  /** Records an alert once; returns false when it had already fired (another worker, an earlier run). */
  async recordAlert(db: Executor, row: { id: string; requestId: string | null; step: string; stepStartedAt: Date; kind: string; firedAt: Date; details: unknown }) {
    const inserted = await db
      .insertInto('slaAlerts')
      .values({ ...row, details: JSON.stringify(row.details) })
      .onConflict((oc) => oc.columns(['requestId', 'step', 'stepStartedAt', 'kind']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return Boolean(inserted);
  },
  alertsOf(db: Executor, requestId: string) {
    return db.selectFrom('slaAlerts').selectAll().where('requestId', '=', requestId).orderBy('firedAt').execute();
  },
  insertStaffNotification(db: Executor, row: { id: string; role: string; requestId: string | null; kind: string; textFa: string; createdAt: Date }) {
    return db.insertInto('staffNotifications').values(row).execute();
  },
  staffNotifications(db: Executor, roles: readonly string[], limit: number) {
    return db
      .selectFrom('staffNotifications as n')
      .leftJoin('requests as r', 'r.id', 'n.requestId')
      .selectAll('n')
      .select('r.trackingCode')
      .where('n.role', 'in', roles)
      .orderBy('n.createdAt', 'desc')
      .limit(limit)
      .execute();
  },
  /** Marks one notification of the given roles read; false when there is none such. */
  async markNotificationRead(db: Executor, id: string, roles: readonly string[], input: { at: Date; by: string }) {
    const result = await db
      .updateTable('staffNotifications')
      .set({ readAt: input.at, readBy: input.by })
      .where('id', '=', id)
      .where('role', 'in', roles)
      .where('readAt', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return true;
    return Boolean(await db.selectFrom('staffNotifications').select('id').where('id', '=', id).where('role', 'in', roles).executeTakeFirst());
  },
};
