// Top floor: builds the Fastify app — adapters (real clients or local twins), domain services,
// routes — without listening, so tests drive it through inject() and the CLI serves it.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyLoggerOptions } from 'fastify';
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
import { notificationRoutes } from './notifications/notification.routes.ts';
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
import { createSurveyService } from './feedback/survey.service.ts';
import { surveyRoutes } from './feedback/survey.routes.ts';
import { createReportService } from './reports/report.service.ts';
import { createAuditService } from './reports/audit.service.ts';
import { reportRoutes } from './reports/report.routes.ts';
import { reportRepository } from './reports/report.repository.ts';
import { createMetrics } from './platform/metrics.ts';
import { ROLE_TITLES_FA } from './identity/roles.ts';
import { STATE_INFO, TRANSITIONS } from './requests/transitions.ts';
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
  logger?: boolean | { stream: NodeJS.WritableStream };
}

z.config(z.locales.fa());

/** Builds the whole app; the caller listens (or injects) and closes it. */
export async function buildApp(options: BuildOptions) {
  const { config, database } = options;
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger: options.logger === false ? false : typeof options.logger === 'object' ? { ...(loggerOptions(config.logLevel) as FastifyLoggerOptions), stream: options.logger.stream } : loggerOptions(config.logLevel),
    genReqId: (req) => (typeof req.headers['x-request-id'] === 'string' && /^[\w-]{8,64}$/.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID()),
    requestIdHeader: false,
    bodyLimit: 1_048_576,
    trustProxy: config.production,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  const metrics = createMetrics({ db: options.database.db, clock });
  metrics.installHttpHooks(app);
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
  const notifications = createNotificationService({ db, clock, outbox, sms, log: app.log });
  const identity = createIdentityService({ db, clock, notifications, sessionHours: config.sessionHours, otpSecret: config.otpSecret });
  const payments = createPaymentService({ db, clock, gateway, billing, outbox, companyCode: config.companyCode, callbackUrl: () => `${listenUrl}/api/v1/payments/callback`, receiptUrl: (id) => `${publicBase()}/api/v1/receipts/${id}`, log: app.log });
  const agreements = createAgreementService({ db, clock });
  const calendar = createCalendarService({ db, clock, openStates: OPEN_STATES });
  const catalog = createCatalogService({ db, clock, payments, agreements });
  const sla = createSlaService({ db, clock, calendar, agreements, notifications, links, openStates: OPEN_STATES, log: app.log });
  const requests = createRequestService({
    db, clock, billing, payments, notifications, outbox, links, sla, versions: catalog, log: app.log,
    answerDays: async (row) => (await agreements.get(row.service, row.agreementVersion)).targets.applicantDays.acceptance,
    paymentDays: async (row, stage) => (await agreements.get(row.service, row.agreementVersion)).targets.applicantDays[stage === 'quote' ? 'payment' : 'settlement'],
  });
  sla.connect(requests.slaLifecycle);
  // Issue 7: per-step SLA facts and the survey invitation are written in the transition's transaction.
  const stateTitles = Object.fromEntries(Object.entries(STATE_INFO).map(([k, v]) => [k, v.titleFa]));
  const reports = createReportService({
    db, clock, openStates: OPEN_STATES, stateTitles, eventsOf: requests.slaLifecycle.eventsOf, picture: sla.picture,
    targetsInForce: () => agreements.inForce('temporary-removal'),
  });
  const surveys = createSurveyService({ db, clock, notifications, link: (token) => `${publicBase()}/survey/${token}`, eventsOf: requests.slaLifecycle.eventsOf, picture: sla.picture });
  const audit = createAuditService({ db, actionTitles: { submit: 'ثبت درخواست', escalate: 'ارجاع به سرپرست (تأخیر)', ...Object.fromEntries(Object.entries(TRANSITIONS).map(([k, v]) => [k, v.titleFa])) }, roleTitles: ROLE_TITLES_FA });
  requests.onTransition(async (trx, change) => {
    metrics.transitions.inc({ action: change.action, to: change.to });
    await reports.recordFacts(trx, change);
    return change.terminal ? surveys.onRequestEnded(trx, change.row, change.to) : [];
  });
  metrics.databaseCounter('barq_sla_alerts_total', 'SLA alerts fired (warning-50, warning-75, breach, reminders, deadlines), read from the database', 'kind', async () =>
    (await reportRepository.slaAlertTotals(db)).map((r) => ({ label: r.kind, value: r.n })));
  notifications.connect(requests.contactLifecycle);
  payments.connectRequests({ resolve: requests.resolve });
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

  metrics.installRoutes(app);
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
      await api.register(surveyRoutes(surveys));
      await api.register(reportRoutes({ reports, audit, clock }));
      await api.register(notificationRoutes({ notifications, requestIdOf: requests.requestIdOf }));
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

  // ---- Web app (issue 6): the built React app from web/dist, with the SPA's routes answered by
  // index.html. Only the files present at start are served (wildcard off), so /api, /__twins and
  // /health are never shadowed. Without a build, the server-rendered landing page stays at /.
  const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');
  if (existsSync(path.join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: false,
      index: false,
      setHeaders: (reply, filePath) => {
        reply.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    for (const route of ['/', '/track', '/requests', '/requests/*', '/survey', '/survey/*', '/pishkhan', '/pishkhan/*', '/staff', '/staff/*', '/admin', '/admin/*']) {
      app.get(route, { schema: { hide: true } }, async (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
    }
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(landingPage(await catalog.form('temporary-removal'))));
  }
  // ---- end of the web app

  /** Publishes what a fresh database needs: the service definition, agreement v1, the official holidays. */
  const prepare = async () => {
    await catalog.ensureDefaults();
    await calendar.seedOfficialHolidays();
  };
  const services = { prepare, db, clock, outbox, notifications, identity, payments, catalog, agreements, calendar, sla, requests, billing, links, reports, surveys, audit, metrics, twins: { billing: billingTwin, sms: smsTwin } };
  app.decorate('barq', services);
  return app as unknown as FastifyInstance & { barq: typeof services };
}

export type BarqApp = Awaited<ReturnType<typeof buildApp>>;
