// Top floor: builds the Fastify app — adapters (real clients or local twins), domain services,
// routes — without listening, so tests drive it through inject() and the CLI serves it.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { createHttpBillingClient } from './billing/billing.adapter.ts';
import { createBillingTwin, type BillingTwin } from './billing/billing.twin.ts';
import { createCatalogService } from './catalog/catalog.service.ts';
import { catalogRoutes } from './catalog/catalog.routes.ts';
import { installAuth } from './identity/auth.ts';
import { createIdentityService } from './identity/identity.service.ts';
import { identityRoutes } from './identity/identity.routes.ts';
import { createNotificationService } from './notifications/notification.service.ts';
import { createKavenegarClient } from './notifications/sms.adapter.ts';
import { createSmsTwin, type SmsTwin, type SmsTwinOptions } from './notifications/sms.twin.ts';
import { createSepClient } from './payments/gateway.adapter.ts';
import { createGatewayTwin } from './payments/gateway.twin.ts';
import { createPaymentService } from './payments/payment.service.ts';
import { paymentRoutes } from './payments/payment.routes.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import type { DatabaseHandle } from './platform/database/database.ts';
import { installErrorHandler } from './platform/http/error-handler.ts';
import { registerOpenApi } from './platform/http/openapi.ts';
import { loggerOptions } from './platform/logging.ts';
import { createOutbox } from './platform/outbox.ts';
import { createRequestService } from './requests/request.service.ts';
import { requestRoutes } from './requests/request.routes.ts';
import { createAgreementService } from './sla/agreement.service.ts';
import { createCalendarService } from './sla/calendar.service.ts';
import { createSlaService } from './sla/sla.service.ts';
import { slaRoutes } from './sla/sla.routes.ts';
import { OPEN_STATES } from './requests/transitions.ts';
import { landingPage } from './catalog/landing.ts';

export const API_VERSION = '1.0.0';

export interface BuildOptions {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  /** Twin options (tests make SMS delivery fail for chosen numbers, etc.). */
  twins?: { sms?: SmsTwinOptions; billingSeed?: number; billingCount?: number };
  /** Pino destination override (tests keep the console quiet). */
  logger?: boolean;
}

z.config(z.locales.fa());

/** Builds the whole app; the caller listens (or injects) and closes it. */
export async function buildApp(options: BuildOptions) {
  const { config, database } = options;
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(config.logLevel),
    genReqId: (req) => (typeof req.headers['x-request-id'] === 'string' && /^[\w-]{8,64}$/.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID()),
    requestIdHeader: false,
    bodyLimit: 1_048_576,
    trustProxy: config.production,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await registerOpenApi(app, API_VERSION);
  await app.register(formbody);
  await app.register(rateLimit, { global: false });

  // Where this app answers: the public URL for links in SMS, the loopback URL for the twins.
  let listenUrl = `http://127.0.0.1:${config.port}`;
  app.addHook('onListen', async () => {
    const address = app.server.address();
    if (address && typeof address === 'object') listenUrl = `http://127.0.0.1:${address.port}`;
  });
  const publicBase = () => config.publicUrl ?? listenUrl;
  const links = {
    base: publicBase,
    track: (code: string) => `${publicBase()}/track?code=${code}`,
    request: (code: string) => `${publicBase()}/requests/${code}`,
  };

  // External systems: the real protocol clients, pointed at the local twins unless configured.
  let billingTwin: BillingTwin | undefined;
  let smsTwin: SmsTwin | undefined;
  const twinUrl = (name: string) => () => `${listenUrl}/__twins/${name}`;
  const billing = createHttpBillingClient({ baseUrl: config.billing.baseUrl ? () => config.billing.baseUrl! : twinUrl('billing'), apiKey: config.billing.apiKey });
  const sms = createKavenegarClient({ baseUrl: config.sms.baseUrl ? () => config.sms.baseUrl! : twinUrl('sms'), apiKey: config.sms.apiKey, sender: config.sms.sender });
  const gateway = createSepClient({ baseUrl: config.gateway.baseUrl ? () => config.gateway.baseUrl! : twinUrl('gateway'), terminalId: config.gateway.terminalId, paymentPage: config.gateway.paymentPage });

  const db = database.db;
  const outbox = createOutbox({ db, clock, log: app.log });
  const notifications = createNotificationService({ outbox, sms });
  const identity = createIdentityService({ db, clock, notifications, sessionHours: config.sessionHours });
  const payments = createPaymentService({ db, clock, gateway, billing, outbox, companyCode: config.companyCode, callbackUrl: () => `${listenUrl}/api/v1/payments/callback`, log: app.log });
  const agreements = createAgreementService({ db, clock });
  const calendar = createCalendarService({ db, clock, openStates: OPEN_STATES });
  const catalog = createCatalogService({ db, clock, payments, agreements });
  const sla = createSlaService({ db, clock, calendar, agreements, notifications, links, openStates: OPEN_STATES, log: app.log });
  const requests = createRequestService({
    db, clock, billing, payments, notifications, outbox, links, sla, versions: catalog, log: app.log,
    answerDays: async (row) => (await agreements.get(row.service, row.agreementVersion)).targets.applicantDays.acceptance,
  });
  sla.connect(requests.slaLifecycle);
  const background = new Set<Promise<unknown>>();
  calendar.onChange(() => {
    // In the background: 100,000 open requests take ~25 s (bench/sla.bench.ts); the worker also
    // recomputes at start, so a crash in between loses nothing.
    const run = sla.recomputeAll().then(
      (r) => app.log.info({ recomputed: r.recomputed }, 'SLA recomputed after a calendar change'),
      (error: unknown) => app.log.error({ err: error }, 'SLA recompute after a calendar change failed'),
    );
    background.add(run);
    void run.finally(() => background.delete(run));
  });
  app.addHook('onClose', async () => {
    await Promise.allSettled([...background]);
    await outbox.settled();
  });

  installAuth(app, identity);

  app.get('/health', { schema: { tags: ['health'], summary: 'سلامت سرویس' } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(db);
      return { status: 'ok' };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });

  await app.register(
    async (api) => {
      await api.register(identityRoutes(identity));
      await api.register(requestRoutes(requests));
      await api.register(paymentRoutes(payments, links));
      await api.register(catalogRoutes(catalog));
      await api.register(slaRoutes({ calendar, agreements, sla }));
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api/v1' },
  );

  if (config.twins) {
    billingTwin = createBillingTwin({
      companyCode: config.companyCode,
      seed: options.twins?.billingSeed ?? 1405,
      ...(options.twins?.billingCount ? { count: options.twins.billingCount } : {}),
      stateFile: path.join(config.dataDir, 'twins', 'billing.json'),
    });
    smsTwin = createSmsTwin({ now: () => clock.now(), ...options.twins?.sms });
    const gatewayTwin = createGatewayTwin({ merchantName: 'شرکت توزیع نیروی برق استان قم' });
    await app.register(billingTwin.plugin, { prefix: '/__twins/billing' });
    await app.register(smsTwin.plugin, { prefix: '/__twins/sms' });
    await app.register(gatewayTwin.plugin, { prefix: '/__twins/gateway' });
  }

  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(landingPage(await catalog.form('temporary-removal'))));

  /** Publishes what a fresh database needs: the service definition, agreement v1, the official holidays. */
  const prepare = async () => {
    await catalog.ensureDefaults();
    await calendar.seedOfficialHolidays();
  };
  const services = { prepare, db, clock, outbox, notifications, identity, payments, catalog, agreements, calendar, sla, requests, billing, links, twins: { billing: billingTwin, sms: smsTwin } };
  app.decorate('barq', services);
  return app as unknown as FastifyInstance & { barq: typeof services };
}

export type BarqApp = Awaited<ReturnType<typeof buildApp>>;
