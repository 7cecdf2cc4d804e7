// The service catalogue: service definitions (versioned) and the public service information form
// (SLA §4) generated from the definition, the tariff in force and the agreement in force.
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database/schema.ts';
import { AppError } from '../platform/errors.ts';
import { formatJalaliDate } from '../platform/jalali.ts';
import type { PaymentService } from '../payments/payment.service.ts';
import type { AgreementService } from '../sla/agreement.service.ts';
import { catalogRepository as repo } from './catalog.repository.ts';
import { TEMPORARY_REMOVAL_DEFINITION, type ServiceDefinition } from './temporary-removal.ts';

export type CatalogService = ReturnType<typeof createCatalogService>;

export function createCatalogService(deps: { db: Kysely<Database>; clock: Clock; payments: PaymentService; agreements: AgreementService }) {
  const { db, clock, payments, agreements } = deps;

  return {
    /** Publishes version 1 of the service definition and of its agreement when none exists. */
    async ensureDefaults() {
      await repo.insert(db, { service: TEMPORARY_REMOVAL_DEFINITION.code, version: 1, content: TEMPORARY_REMOVAL_DEFINITION, publishedAt: clock.now() });
      await agreements.ensureDefault(TEMPORARY_REMOVAL_DEFINITION.code);
    },

    /** The versions a request filed now is pinned to. */
    async current(service: string) {
      const definition = await repo.latest(db, service);
      if (!definition) throw new AppError('UNKNOWN_SERVICE');
      const agreement = await agreements.inForce(service);
      return { serviceVersion: definition.version, agreementVersion: agreement.version };
    },

    /** Codes and titles of the services offered. */
    async list() {
      const latest = new Map<string, ServiceDefinition>();
      for (const row of await repo.all(db)) if (!latest.has(row.service)) latest.set(row.service, row.content as ServiceDefinition);
      return [...latest.values()].map((d) => ({ code: d.code, title: d.title, description: d.description, deliveryWorkingDays: d.deliveryWorkingDays, href: `/api/v1/services/${d.code}` }));
    },

    /** The public service information form, with the fees in force and the agreement's validity. */
    async form(service: string) {
      const definition = await repo.latest(db, service);
      if (!definition) throw new AppError('UNKNOWN_SERVICE');
      const content = definition.content as ServiceDefinition;
      const agreement = await agreements.inForce(service);
      const tariff = await payments.tariffInForce(clock.now()).catch(() => null);
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
          validToJalali: agreement.validToJalali,
          approvedBy: agreement.approvedBy,
          expired: agreement.expired,
          expiresInDays: agreement.expiresInDays,
          targets: agreement.targets,
        },
      };
    },
  };
}
