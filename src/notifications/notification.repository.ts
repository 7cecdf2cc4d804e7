// SQL for notifications: each SMS's delivery state, administrators' template texts and their
// history, and staff tasks (phone an applicant whom an SMS did not reach).
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, SmsMessagesTable, StaffTasksTable } from '../platform/database/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type SmsMessageRow = Selectable<SmsMessagesTable>;
export type StaffTaskRow = Selectable<StaffTasksTable>;
export type SmsStatusValue = SmsMessageRow['status'];

export const notificationRepository = {
  insertMessage(db: Executor, row: { id: string; requestId: string | null; trackingCode: string | null; mobile: string; template: string; text: string | null; mustAct: boolean; createdAt: Date; retryOf?: string | null }) {
    return db.insertInto('smsMessages').values(row).execute();
  },

  findMessage(db: Executor, id: string) {
    return db.selectFrom('smsMessages').selectAll().where('id', '=', id).executeTakeFirst();
  },

  findMessageForUpdate(db: Transaction<Database>, id: string) {
    return db.selectFrom('smsMessages').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },

  /** The provider accepted the message: it is `sent`, and its receipt is asked for from `nextCheckAt`. */
  markAccepted(db: Executor, id: string, input: { providerMessageId: string | null; at: Date; nextCheckAt: Date }) {
    return db
      .updateTable('smsMessages')
      .set({ status: 'sent', providerMessageId: input.providerMessageId, sentAt: input.at, nextStatusCheckAt: input.nextCheckAt })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .execute();
  },

  /** Marks a message failed (once); answers the row when this call did it. */
  markFailed(db: Executor, id: string, input: { at: Date; reason: string }) {
    return db
      .updateTable('smsMessages')
      .set({ status: 'failed', failedAt: input.at, failureReason: input.reason, nextStatusCheckAt: null, statusCheckedAt: input.at })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'sent'])
      .returningAll()
      .executeTakeFirst();
  },

  markDelivered(db: Executor, id: string, at: Date) {
    return db
      .updateTable('smsMessages')
      .set({ status: 'delivered', deliveredAt: at, nextStatusCheckAt: null, statusCheckedAt: at })
      .where('id', '=', id)
      .where('status', '=', 'sent')
      .execute();
  },

  /** Still in flight at the provider: ask again at `nextCheckAt` (null: stop asking). */
  markChecked(db: Executor, id: string, input: { at: Date; nextCheckAt: Date | null }) {
    return db.updateTable('smsMessages').set({ statusCheckedAt: input.at, nextStatusCheckAt: input.nextCheckAt }).where('id', '=', id).execute();
  },

  /** Messages whose receipt is due, leased until `leaseUntil` so another worker skips them. */
  async claimReceiptChecks(db: Kysely<Database>, input: { now: Date; leaseUntil: Date; limit: number }) {
    return db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('smsMessages')
        .select(['id', 'providerMessageId', 'sentAt'])
        .where('nextStatusCheckAt', '<=', input.now)
        .where('status', '=', 'sent')
        .where('providerMessageId', 'is not', null)
        .orderBy('nextStatusCheckAt')
        .limit(input.limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (due.length) await trx.updateTable('smsMessages').set({ nextStatusCheckAt: input.leaseUntil }).where('id', 'in', due.map((d) => d.id)).execute();
      return due;
    });
  },

  messagesOfRequest(db: Executor, requestId: string) {
    return db.selectFrom('smsMessages').selectAll().where('requestId', '=', requestId).orderBy('createdAt').orderBy('id').execute();
  },

  /** Messages by status, newest first; the failed queue leaves out those already retried. */
  messagesByStatus(db: Executor, input: { status?: SmsStatusValue; limit: number }) {
    let q = db.selectFrom('smsMessages').selectAll();
    if (input.status) q = q.where('status', '=', input.status);
    if (input.status === 'failed') q = q.where('retriedAt', 'is', null);
    return q.orderBy('createdAt', 'desc').limit(input.limit).execute();
  },

  markRetried(db: Executor, id: string, input: { at: Date; by: string }) {
    return db.updateTable('smsMessages').set({ retriedAt: input.at, retriedBy: input.by }).where('id', '=', id).where('retriedAt', 'is', null).executeTakeFirst();
  },

  // ---- templates ----
  listTemplates(db: Executor) {
    return db.selectFrom('smsTemplates').selectAll().execute();
  },

  findTemplate(db: Executor, name: string) {
    return db.selectFrom('smsTemplates').selectAll().where('name', '=', name).executeTakeFirst();
  },

  async latestTemplateVersion(db: Executor, name: string) {
    const row = await db.selectFrom('smsTemplateVersions').select((eb) => eb.fn.max('version').as('version')).where('name', '=', name).executeTakeFirst();
    return Number(row?.version ?? 0);
  },

  insertTemplateVersion(db: Executor, row: { name: string; version: number; text: string | null; updatedBy: string; updatedAt: Date }) {
    return db.insertInto('smsTemplateVersions').values(row).execute();
  },

  upsertTemplate(db: Executor, row: { name: string; text: string; version: number; updatedBy: string; updatedAt: Date }) {
    return db.insertInto('smsTemplates').values(row).onConflict((oc) => oc.column('name').doUpdateSet({ text: row.text, version: row.version, updatedBy: row.updatedBy, updatedAt: row.updatedAt })).execute();
  },

  deleteTemplate(db: Executor, name: string) {
    return db.deleteFrom('smsTemplates').where('name', '=', name).execute();
  },

  templateHistory(db: Executor, name: string) {
    return db.selectFrom('smsTemplateVersions').selectAll().where('name', '=', name).orderBy('version', 'desc').execute();
  },

  // ---- staff tasks ----
  /** Opens a call task unless one is already open for the request; answers the new row or undefined. */
  insertCallTask(db: Executor, row: { id: string; role: string; requestId: string; trackingCode: string; mobile: string; smsMessageId: string; reasonFa: string; createdAt: Date }) {
    return db
      .insertInto('staffTasks')
      .values({ ...row, kind: 'call-applicant', updatedAt: row.createdAt })
      .onConflict((oc) => oc.column('requestId').where('status', '=', 'open').where('kind', '=', 'call-applicant').doNothing())
      .returningAll()
      .executeTakeFirst();
  },

  listTasks(db: Executor, input: { roles: readonly string[]; status?: 'open' | 'done'; limit: number }) {
    let q = db.selectFrom('staffTasks').selectAll().where('role', 'in', input.roles);
    if (input.status) q = q.where('status', '=', input.status);
    return q.orderBy('createdAt').limit(input.limit).execute();
  },

  findTaskForUpdate(db: Transaction<Database>, id: string) {
    return db.selectFrom('staffTasks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },

  recordTaskAttempt(db: Executor, id: string, input: { outcome: 'reached' | 'unreachable'; note: string | null; at: Date; by: string; close: boolean }) {
    return db
      .updateTable('staffTasks')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        outcome: input.outcome,
        note: input.note,
        updatedAt: input.at,
        resolvedBy: input.by,
        ...(input.close ? { status: 'done' as const, resolvedAt: input.at } : {}),
      }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },
};
