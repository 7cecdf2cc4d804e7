// Identity: staff accounts with scrypt passwords, applicant sign-in by one-time SMS code, and
// bearer sessions (only a hash of the token is stored).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database/schema.ts';
import { AppError } from '../platform/errors.ts';
import type { NotificationService } from '../notifications/notification.service.ts';
import { identityRepository as repo } from './identity.repository.ts';
import { generateOtp, NO_CODE_HASH, otpHash, otpMatches } from './otp.ts';
import { hashPassword, UNUSABLE_HASH, verifyPassword } from './passwords.ts';
import { STAFF_ROLES, type Principal, type StaffRole } from './roles.ts';

const OTP_TTL_MS = 2 * 60_000;
const OTP_MAX_TRIES = 5;
const OTP_WINDOW_MS = 10 * 60_000;
const OTP_MAX_PER_WINDOW = 3;
const APPLICANT_SESSION_MS = 2 * 3_600_000;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export type IdentityService = ReturnType<typeof createIdentityService>;

export function createIdentityService(deps: { db: Kysely<Database>; clock: Clock; notifications: NotificationService; sessionHours: number; otpSecret: string }) {
  const { db, clock, notifications } = deps;

  async function newSession(input: { subjectKind: 'staff' | 'applicant'; staffUserId?: string; mobile?: string; ttlMs: number }) {
    const token = randomBytes(32).toString('base64url');
    const now = clock.now();
    await repo.insertSession(db, {
      tokenHash: sha256(token),
      subjectKind: input.subjectKind,
      staffUserId: input.staffUserId ?? null,
      mobile: input.mobile ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.ttlMs),
    });
    return token;
  }

  return {
    /** Creates a staff or Pishkhan-operator account; USERNAME_TAKEN if the name exists. */
    async createStaffUser(input: { username: string; password: string; displayName: string; roles: StaffRole[]; officeCode?: string | null }) {
      for (const role of input.roles) if (!STAFF_ROLES.includes(role)) throw new AppError('VALIDATION_FAILED', `نقش «${role}» شناخته‌شده نیست.`);
      if (input.roles.includes('pishkhan-operator') && !input.officeCode) {
        throw new AppError('VALIDATION_FAILED', 'متصدی دفتر پیشخوان باید کد دفتر داشته باشد.');
      }
      const inserted = await repo.insertStaff(db, {
        id: randomUUID(),
        username: input.username,
        passwordHash: await hashPassword(input.password),
        displayName: input.displayName,
        roles: input.roles,
        officeCode: input.officeCode ?? null,
        createdAt: clock.now(),
      });
      if (!inserted) throw new AppError('USERNAME_TAKEN');
      return inserted.id;
    },

    /** Staff sign-in; the same answer for an unknown user and a wrong password. */
    async login(username: string, password: string) {
      const user = await repo.findStaffByUsername(db, username);
      const ok = await verifyPassword(password, user?.passwordHash ?? UNUSABLE_HASH);
      if (!user || !ok || !user.active) throw new AppError('INVALID_CREDENTIALS');
      const token = await newSession({ subjectKind: 'staff', staffUserId: user.id, ttlMs: deps.sessionHours * 3_600_000 });
      return { token, roles: user.roles as StaffRole[], displayName: user.displayName, officeCode: user.officeCode };
    },

    /** Sends a one-time sign-in code by SMS; answers the same whether or not the mobile is known. */
    async startOtp(mobile: string) {
      const now = clock.now();
      const ids = await db.transaction().execute(async (trx) => {
        const recent = await repo.countRecentOtps(trx, mobile, new Date(now.getTime() - OTP_WINDOW_MS));
        if (recent.count >= OTP_MAX_PER_WINDOW) throw new AppError('TOO_MANY_REQUESTS');
        const code = generateOtp();
        await repo.insertOtp(trx, { id: randomUUID(), mobile, codeHash: otpHash(deps.otpSecret, mobile, code), createdAt: now, expiresAt: new Date(now.getTime() + OTP_TTL_MS) });
        return [await notifications.enqueueSms(trx, { to: mobile, template: 'otp', data: { code } })];
      });
      // A sign-in code is worth nothing late: send it now rather than on the worker's next tick.
      await notifications.sendNow(ids).catch(() => undefined);
    },

    /** Exchanges a valid one-time code for an applicant session token. */
    async verifyOtp(mobile: string, code: string) {
      const now = clock.now();
      const verdict = await db.transaction().execute(async (trx) => {
        const otp = await repo.findLiveOtpForUpdate(trx, mobile, now);
        const usable = otp !== undefined && otp.attempts < OTP_MAX_TRIES;
        // Compared even when there is no usable code, so that answer takes as long as a wrong code.
        const matches = otpMatches(deps.otpSecret, mobile, code, usable ? otp.codeHash : NO_CODE_HASH);
        if (!usable) return false;
        if (!matches) {
          await repo.countOtpAttempt(trx, otp.id);
          return false;
        }
        const consumed = await repo.consumeOtp(trx, otp.id, now);
        return Number(consumed.numUpdatedRows) === 1;
      });
      if (!verdict) throw new AppError('INVALID_OTP');
      return { token: await newSession({ subjectKind: 'applicant', mobile, ttlMs: APPLICANT_SESSION_MS }) };
    },

    /** Resolves a bearer token to who is calling, or null when it is unknown or expired. */
    async resolveToken(token: string): Promise<Principal | null> {
      const session = await repo.findSession(db, sha256(token), clock.now());
      if (!session) return null;
      if (session.subjectKind === 'applicant' && session.mobile) return { kind: 'applicant', mobile: session.mobile, roles: ['applicant'] };
      if (!session.staffUserId) return null;
      const user = await repo.findStaffById(db, session.staffUserId);
      if (!user || !user.active) return null;
      return { kind: 'staff', userId: user.id, username: user.username, displayName: user.displayName, roles: user.roles as StaffRole[], officeCode: user.officeCode };
    },

    async logout(token: string) {
      await repo.deleteSession(db, sha256(token));
    },

    listStaff: () => repo.listStaff(db),

    /** Deactivates a staff account and ends its sessions; NOT_FOUND if unknown, PRECONDITION_FAILED for one's own account. */
    async deactivateStaff(id: string, byUserId: string) {
      if (id === byUserId) throw new AppError('PRECONDITION_FAILED', 'حساب کاربری خودتان را نمی‌توانید غیرفعال کنید.');
      return db.transaction().execute(async (trx) => {
        const user = await repo.deactivateStaff(trx, id);
        if (!user) throw new AppError('NOT_FOUND', 'کاربری با این شناسه یافت نشد.');
        await repo.deleteStaffSessions(trx, id);
        return user;
      });
    },
  };
}
