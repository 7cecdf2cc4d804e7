// Agreement versions: published by administrators, valid between two dates, never edited once
// published. A request keeps the version it was filed under; an expired version goes on being
// applied (and is flagged) until a successor is published.
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database/schema.ts';
import { AppError } from '../platform/errors.ts';
import { formatJalaliDate, parseJalaliDate } from '../platform/jalali.ts';
import { DEFAULT_AGREEMENT, SLA_STEPS, type Agreement, type AgreementTargets } from './agreement.ts';
import { slaRepository as repo } from './sla.repository.ts';

const Minutes = z.number().int().min(1).max(100_000);
export const AgreementTargetsSchema = z.object({
  steps: z.object({ quote: Minutes, 'meter-test': Minutes, conditions: Minutes, removal: Minutes }),
  wholeRequestWorkingMinutes: Minutes,
  applicantDays: z.object({ payment: z.number().int().min(1).max(365), acceptance: z.number().int().min(1).max(365), settlement: z.number().int().min(1).max(365) }),
  reminderDaysBefore: z.array(z.number().int().min(1).max(60)).max(5),
  units: z.object({ quote: z.string().min(2), 'meter-test': z.string().min(2), conditions: z.string().min(2), removal: z.string().min(2) }),
});

export const PublishAgreementBody = z.object({
  validFrom: z.string().describe('آغاز اعتبار (شمسی)، مانند 1406-01-01'),
  validTo: z.string().describe('پایان اعتبار (شمسی)، مانند 1406-12-29'),
  approvedBy: z.string().trim().min(3).max(120),
  targets: AgreementTargetsSchema,
});

export const EXPIRY_WARNING_DAYS = 30;
const DAY = 86_400_000;
// A Jalali day ends at 24:00 Tehran = 20:30Z of the same Gregorian date.
const endOfDay = (isoDate: string) => new Date(`${isoDate}T20:30:00Z`);
const startOfDay = (isoDate: string) => new Date(new Date(`${isoDate}T00:00:00Z`).getTime() - 3.5 * 3_600_000);

export type AgreementService = ReturnType<typeof createAgreementService>;

export function createAgreementService(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps;
  const cache = new Map<string, Agreement>();

  const toAgreement = (row: Awaited<ReturnType<typeof repo.listAgreements>>[number]): Agreement => ({
    service: row.service, version: row.version, validFrom: row.validFrom, validTo: row.validTo, approvedBy: row.approvedBy,
    targets: row.targets as AgreementTargets,
  });

  async function all(service: string, executor: Kysely<Database> | Transaction<Database> = db): Promise<Agreement[]> {
    return (await repo.listAgreements(executor, service)).map(toAgreement);
  }

  function describe(a: Agreement, now: Date) {
    const expired = now > endOfDay(a.validTo);
    return {
      ...a,
      validFromJalali: formatJalaliDate(startOfDay(a.validFrom)),
      validToJalali: formatJalaliDate(new Date(`${a.validTo}T12:00:00Z`)),
      expired,
      expiresInDays: Math.ceil((endOfDay(a.validTo).getTime() - now.getTime()) / DAY),
    };
  }

  return {
    /** Publishes version 1 (the defaults of DESIGN §2) when the service has none. */
    async ensureDefault(service: string) {
      if ((await all(service)).length) return;
      await db
        .insertInto('slaAgreements')
        .values({ service, version: DEFAULT_AGREEMENT.version, validFrom: DEFAULT_AGREEMENT.validFrom, validTo: DEFAULT_AGREEMENT.validTo, targets: JSON.stringify(DEFAULT_AGREEMENT.targets), approvedBy: DEFAULT_AGREEMENT.approvedBy, publishedAt: clock.now() })
        .onConflict((oc) => oc.columns(['service', 'version']).doNothing())
        .execute();
    },

    /** A published version (immutable, so cached forever). */
    async get(service: string, version: number, executor: Kysely<Database> | Transaction<Database> = db): Promise<Agreement> {
      const key = `${service}@${version}`;
      if (!cache.has(key)) {
        const found = (await all(service, executor)).find((a) => a.version === version);
        if (!found) throw new AppError('NOT_FOUND', 'این نسخه توافقنامه یافت نشد.');
        cache.set(key, found);
      }
      return cache.get(key)!;
    },

    /** The version in force now: the newest whose validity has begun; an expired one stays in force until a successor. */
    async inForce(service: string) {
      const now = clock.now();
      const versions = await all(service);
      const started = versions.filter((a) => startOfDay(a.validFrom) <= now);
      const chosen = started.at(-1) ?? versions[0];
      if (!chosen) throw new AppError('UNKNOWN_SERVICE');
      return describe(chosen, now);
    },

    async list(service: string) {
      const now = clock.now();
      return (await all(service)).map((a) => describe(a, now));
    },

    /** Publishes a new version; dates are Jalali. */
    async publish(service: string, input: z.infer<typeof PublishAgreementBody>) {
      const from = parseJalaliDate(input.validFrom);
      const to = parseJalaliDate(input.validTo);
      if (!from) throw new AppError('VALIDATION_FAILED', 'تاریخ آغاز اعتبار درست نیست.', { field: 'validFrom' });
      if (!to || to.gregorian < from.gregorian) throw new AppError('VALIDATION_FAILED', 'تاریخ پایان اعتبار باید پس از آغاز آن باشد.', { field: 'validTo' });
      const versions = await all(service);
      const last = versions.at(-1);
      if (last && from.gregorian <= last.validFrom) {
        throw new AppError('VALIDATION_FAILED', 'آغاز اعتبار نسخه تازه باید پس از آغاز نسخه پیشین باشد.', { field: 'validFrom' });
      }
      const version = (last?.version ?? 0) + 1;
      await repo.insertAgreement(db, { service, version, validFrom: from.gregorian, validTo: to.gregorian, targets: input.targets, approvedBy: input.approvedBy, publishedAt: clock.now() });
      return describe(await this.get(service, version), clock.now());
    },

    /** The services' versions that expire within EXPIRY_WARNING_DAYS with no successor. */
    async expiringSoon(service: string) {
      const now = clock.now();
      const versions = await all(service);
      const current = versions.filter((a) => startOfDay(a.validFrom) <= now).at(-1);
      if (!current || versions.at(-1) !== current) return null;
      const info = describe(current, now);
      return info.expiresInDays <= EXPIRY_WARNING_DAYS ? info : null;
    },

    stepTitles: Object.fromEntries(Object.entries(SLA_STEPS).map(([k, v]) => [k, v.titleFa])),
  };
}
