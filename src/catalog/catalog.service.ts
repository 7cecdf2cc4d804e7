// The service catalogue: service definitions (versioned) and the public service information form
// (SLA §4) generated from the definition, the tariff in force and the agreement in force.
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database/schema.ts';
import { AppError } from '../platform/errors.ts';
import { formatJalaliDate } from '../platform/jalali.ts';
import type { PaymentService } from '../payments/payment.service.ts';
import { DEFAULT_AGREEMENT } from '../sla/agreement.ts';
import { TEMPORARY_REMOVAL_DEFINITION, type ServiceDefinition } from './temporary-removal.ts';

export type CatalogService = ReturnType<typeof createCatalogService>;

export function createCatalogService(deps: { db: Kysely<Database>; clock: Clock; payments: PaymentService }) {
  const { db, clock, payments } = deps;

  async function latestDefinition(service: string) {
    return db.selectFrom('serviceDefinitions').selectAll().where('service', '=', service).orderBy('version', 'desc').limit(1).executeTakeFirst();
  }
  async function latestAgreement(service: string) {
    return db.selectFrom('slaAgreements').selectAll().where('service', '=', service).orderBy('version', 'desc').limit(1).executeTakeFirst();
  }

  return {
    /** Publishes version 1 of the service definition and of its agreement when none exists. */
    async ensureDefaults() {
      const now = clock.now();
      await db
        .insertInto('serviceDefinitions')
        .values({ service: TEMPORARY_REMOVAL_DEFINITION.code, version: 1, content: JSON.stringify(TEMPORARY_REMOVAL_DEFINITION), publishedAt: now })
        .onConflict((oc) => oc.columns(['service', 'version']).doNothing())
        .execute();
      await db
        .insertInto('slaAgreements')
        .values({
          service: TEMPORARY_REMOVAL_DEFINITION.code, version: DEFAULT_AGREEMENT.version, validFrom: DEFAULT_AGREEMENT.validFrom,
          validTo: DEFAULT_AGREEMENT.validTo, targets: JSON.stringify(DEFAULT_AGREEMENT.targets), approvedBy: DEFAULT_AGREEMENT.approvedBy, publishedAt: now,
        })
        .onConflict((oc) => oc.columns(['service', 'version']).doNothing())
        .execute();
    },

    /** The versions a request filed now is pinned to. */
    async current(service: string) {
      const [definition, agreement] = await Promise.all([latestDefinition(service), latestAgreement(service)]);
      if (!definition || !agreement) throw new AppError('UNKNOWN_SERVICE');
      return { serviceVersion: definition.version, agreementVersion: agreement.version };
    },

    /** Codes and titles of the services offered. */
    async list() {
      const rows = await db.selectFrom('serviceDefinitions').select(['service', 'version', 'content']).orderBy('service').orderBy('version', 'desc').execute();
      const latest = new Map<string, ServiceDefinition>();
      for (const row of rows) if (!latest.has(row.service)) latest.set(row.service, row.content as ServiceDefinition);
      return [...latest.values()].map((d) => ({ code: d.code, title: d.title, description: d.description, deliveryWorkingDays: d.deliveryWorkingDays, href: `/api/v1/services/${d.code}` }));
    },

    /** The public service information form, with the fees in force and the agreement's validity. */
    async form(service: string) {
      const [definition, agreement] = await Promise.all([latestDefinition(service), latestAgreement(service)]);
      if (!definition || !agreement) throw new AppError('UNKNOWN_SERVICE');
      const content = definition.content as ServiceDefinition;
      const tariff = await payments.tariffInForce(clock.now()).catch(() => null);
      const validTo = new Date(`${agreement.validTo}T12:00:00Z`);
      const today = clock.now();
      return {
        ...content,
        version: definition.version,
        fees: tariff
          ? {
              tariffEffectiveFrom: tariff.effectiveFrom.toISOString(),
              tariffEffectiveFromJalali: formatJalaliDate(tariff.effectiveFrom),
              isDemo: tariff.isDemo,
              items: tariff.items
                .filter((i) => i.kind !== 'reconnection-fee')
                .map((i) => ({ code: i.code, kind: i.kind, title: i.titleFa, amountRials: i.amountRials })),
              consumptionDebt: 'بدهی مصرفی تا روز پرداخت و تا شماره نهایی کنتور، طبق صورتحساب سامانه مشترکین',
            }
          : null,
        agreement: {
          version: agreement.version,
          validFrom: agreement.validFrom,
          validTo: agreement.validTo,
          validToJalali: formatJalaliDate(validTo),
          approvedBy: agreement.approvedBy,
          // Valid through the whole last day, Tehran time (23:59:59 +03:30 is 20:29:59 UTC).
          expired: today.getTime() > validTo.getTime() + 8.5 * 3_600_000,
          targets: agreement.targets,
        },
      };
    },
  };
}
