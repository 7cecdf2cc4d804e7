// SQL for staff accounts, sessions and one-time codes.
import type { Db } from '../platform/database/database.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/database/schema.ts';

type Executor = Db | Transaction<Database> | Kysely<Database>;

export const identityRepository = {
  findStaffByUsername(db: Executor, username: string) {
    return db.selectFrom('staffUsers').selectAll().where('username', '=', username).executeTakeFirst();
  },

  findStaffById(db: Executor, id: string) {
    return db.selectFrom('staffUsers').selectAll().where('id', '=', id).executeTakeFirst();
  },

  insertStaff(
    db: Executor,
    row: { id: string; username: string; passwordHash: string; displayName: string; roles: string[]; officeCode: string | null; createdAt: Date },
  ) {
    return db.insertInto('staffUsers').values(row).onConflict((oc) => oc.column('username').doNothing()).returning('id').executeTakeFirst();
  },

  listStaff(db: Executor) {
    return db.selectFrom('staffUsers').select(['id', 'username', 'displayName', 'roles', 'officeCode', 'active', 'createdAt']).orderBy('username').execute();
  },

  /** Marks an account inactive; its sessions stop resolving at once (resolveToken checks `active`). */
  deactivateStaff(db: Executor, id: string) {
    return db.updateTable('staffUsers').set({ active: false }).where('id', '=', id).returning(['id', 'username', 'displayName', 'roles', 'officeCode', 'active', 'createdAt']).executeTakeFirst();
  },

  deleteStaffSessions(db: Executor, staffUserId: string) {
    return db.deleteFrom('sessions').where('staffUserId', '=', staffUserId).execute();
  },

  insertSession(db: Executor, row: { tokenHash: string; subjectKind: 'staff' | 'applicant'; staffUserId: string | null; mobile: string | null; createdAt: Date; expiresAt: Date }) {
    return db.insertInto('sessions').values(row).execute();
  },

  findSession(db: Executor, tokenHash: string, now: Date) {
    return db.selectFrom('sessions').selectAll().where('tokenHash', '=', tokenHash).where('expiresAt', '>', now).executeTakeFirst();
  },

  deleteSession(db: Executor, tokenHash: string) {
    return db.deleteFrom('sessions').where('tokenHash', '=', tokenHash).execute();
  },

  countRecentOtps(db: Executor, mobile: string, since: Date) {
    return db
      .selectFrom('otpCodes')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('mobile', '=', mobile)
      .where('createdAt', '>', since)
      .executeTakeFirstOrThrow();
  },

  insertOtp(db: Executor, row: { id: string; mobile: string; codeHash: string; createdAt: Date; expiresAt: Date }) {
    return db.insertInto('otpCodes').values(row).execute();
  },

  /** The newest live code of a mobile, locked so two verifications cannot both use it. */
  findLiveOtpForUpdate(db: Executor, mobile: string, now: Date) {
    return db
      .selectFrom('otpCodes')
      .selectAll()
      .where('mobile', '=', mobile)
      .where('consumedAt', 'is', null)
      .where('expiresAt', '>', now)
      .orderBy('createdAt', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
  },

  countOtpAttempt(db: Executor, id: string) {
    return db.updateTable('otpCodes').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', id).execute();
  },

  consumeOtp(db: Executor, id: string, now: Date) {
    return db.updateTable('otpCodes').set({ consumedAt: now }).where('id', '=', id).where('consumedAt', 'is', null).executeTakeFirst();
  },
};
