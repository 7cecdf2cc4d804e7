#!/usr/bin/env -S npx tsx
// Barq Desk command line: serve, worker, migrate, seed-demo, user create.
import cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import { buildApp, type BarqApp } from '../app.ts';
import { STAFF_ROLES, type StaffRole } from '../identity/roles.ts';
import { startingAt, systemClock } from '../platform/clock.ts';
import { ConfigError, loadConfig, type Config } from '../platform/config.ts';
import { migrateToLatest, openDatabase } from '../platform/database/database.ts';
import { AppError } from '../platform/errors.ts';
import { startWorker, type WorkerJob } from '../platform/worker.ts';
import { DEMO_OFFICE_CODE, seedDemo } from './demo.ts';

function config(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function open(cfg: Config, options: { logger?: boolean } = {}) {
  const database = await openDatabase({ ...(cfg.databaseUrl ? { databaseUrl: cfg.databaseUrl } : {}), dataDir: cfg.dataDir });
  await migrateToLatest(database.db);
  const clock = cfg.fakeNow ? startingAt(cfg.fakeNow) : systemClock;
  const app = await buildApp({ config: cfg, database, clock, ...(options.logger === false ? { logger: false } : {}) });
  await app.barq.prepare();
  return { app, database };
}

/** The periodic jobs besides the outbox: SLA alerts, reminders and deadlines; the agreement's expiry; SMS delivery receipts. */
function slaJobs(app: BarqApp): WorkerJob[] {
  // Catch up on anything a stopped worker or a calendar change left uncomputed.
  void app.barq.sla.recomputeAll().catch((error: unknown) => app.log.error({ err: error }, 'SLA recompute at start failed'));
  return [
    { name: 'sla-alerts', everyMs: 15_000, run: async () => { while ((await app.barq.sla.runDue({ limit: 200 })) === 200); } },
    { name: 'agreement-expiry', everyMs: 3_600_000, run: () => app.barq.sla.checkAgreementExpiry('temporary-removal') },
    // Delivery receipts: ask the SMS provider about messages in flight (queued → sent → delivered | failed).
    { name: 'sms-receipts', everyMs: 30_000, run: async () => { while ((await app.barq.notifications.pollReceipts({ limit: 500 })) === 500); } },
  ];
}

/** Money's periodic job: take in the bank-channel payments billing reports (matched by bill ID + payment ID). */
function moneyJobs(app: BarqApp): WorkerJob[] {
  return [{ name: 'bank-payments', everyMs: 60_000, run: async () => { while ((await app.barq.payments.pollBankPayments({ limit: 200 })).received === 200); } }];
}

function refuseInProduction(cfg: Config, what: string) {
  if (cfg.production) {
    console.error(`${what} is refused in production (NODE_ENV=production).`);
    process.exit(1);
  }
}

function onShutdown(close: () => Promise<void>) {
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      close().then(() => process.exit(0), () => process.exit(1));
    });
  }
}

const program = new Command().name('barq').description('Barq Desk — میز خدمت برق');

program
  .command('serve')
  .description('serve the API (and the inline worker unless BARQ_WORKER=off)')
  .option('--demo', 'seed the demo accounts and tariff first (refused in production)')
  .action(async (options: { demo?: boolean }) => {
    const cfg = config();
    const started = Date.now();
    const { app, database } = await open(cfg);
    if (options.demo) {
      refuseInProduction(cfg, 'demo data');
      await seedDemo(app, cfg.demoPassword);
    }
    await app.listen({ port: cfg.port, host: cfg.host });
    const worker = cfg.worker === 'inline' ? startWorker(app, { log: app.log, jobs: [...slaJobs(app), ...moneyJobs(app)], monitor: app.barq.metrics.workerMonitor }) : undefined;
    const url = cfg.publicUrl ?? `http://${cfg.host === '0.0.0.0' ? '127.0.0.1' : cfg.host}:${cfg.port}`;
    const lines = [
      '',
      `Barq Desk is serving at ${url}  (ready in ${((Date.now() - started) / 1000).toFixed(1)} s, database: ${database.kind}${cfg.twins ? ', local twins on' : ''})`,
      `  API docs:        ${url}/api/docs`,
      `  OpenAPI:         ${url}/api/v1/openapi.json`,
    ];
    if (cfg.twins) lines.push(`  demo subscribers: ${url}/__twins/billing/subscribers`, `  SMS sent:        ${url}/__twins/sms/messages`);
    if (options.demo) {
      lines.push(`  demo staff accounts (password: ${cfg.demoPassword}): ${STAFF_ROLES.join(', ')}`, `  the pishkhan-operator account files for office ${DEMO_OFFICE_CODE}`);
    }
    console.log(lines.join('\n') + '\n');
    onShutdown(async () => {
      await worker?.stop();
      await app.close();
      await database.close();
    });
  });

program
  .command('worker')
  .description('run the background worker (outbox dispatch, SLA jobs) without serving HTTP')
  .action(async () => {
    const cfg = config();
    const { app, database } = await open(cfg);
    await app.ready();
    const worker = startWorker(app, { log: app.log, jobs: [...slaJobs(app), ...moneyJobs(app)], monitor: app.barq.metrics.workerMonitor });
    app.log.info('worker started');
    onShutdown(async () => {
      await worker.stop();
      await app.close();
      await database.close();
    });
  });

program
  .command('migrate')
  .description('bring the database schema to the newest migration')
  .action(async () => {
    const cfg = config();
    const database = await openDatabase({ ...(cfg.databaseUrl ? { databaseUrl: cfg.databaseUrl } : {}), dataDir: cfg.dataDir });
    const result = await migrateToLatest(database.db);
    for (const r of result.results ?? []) console.log(`${r.status}: ${r.migrationName}`);
    if (!result.results?.length) console.log('already up to date');
    await database.close();
  });

program
  .command('seed-demo')
  .description('create the demo staff accounts and the demo tariff (refused in production)')
  .action(async () => {
    const cfg = config();
    refuseInProduction(cfg, 'demo data');
    const { app, database } = await open(cfg, { logger: false });
    const created = await seedDemo(app, cfg.demoPassword);
    console.log(created.length ? `created: ${created.join(', ')}` : 'demo accounts already exist');
    await app.close();
    await database.close();
  });

program
  .command('reports')
  .description('reports: rebuild-facts recomputes the per-step SLA facts of every request from its events')
  .argument('<task>', 'rebuild-facts')
  .action(async (task: string) => {
    if (task !== 'rebuild-facts') {
      console.error(`unknown reports task: ${task} (known: rebuild-facts)`);
      process.exit(1);
    }
    const cfg = config();
    const { app, database } = await open(cfg, { logger: false });
    const bar = new cliProgress.SingleBar({ format: 'SLA facts {bar} {value} requests' }, cliProgress.Presets.shades_classic);
    bar.start(0, 0);
    const result = await app.barq.reports.rebuildFacts({ onProgress: (done) => bar.update(done) });
    bar.stop();
    console.log(`facts rebuilt for ${result.requests} requests`);
    await app.close();
    await database.close();
  });

const user = program.command('user').description('staff accounts');
user
  .command('create')
  .description('create a staff or Pishkhan-operator account')
  .requiredOption('--username <name>')
  .requiredOption('--name <display name>')
  .addOption(new Option('--role <role...>', 'one or more roles').choices([...STAFF_ROLES]).makeOptionMandatory())
  .option('--office <code>', 'Pishkhan office code (pishkhan-operator)')
  .option('--password <password>', 'password (default: read from BARQ_NEW_PASSWORD)')
  .action(async (options: { username: string; name: string; role: StaffRole[]; office?: string; password?: string }) => {
    const cfg = config();
    const password = options.password ?? process.env['BARQ_NEW_PASSWORD'];
    if (!password || password.length < 10) {
      console.error('a password of at least 10 characters is required (--password or BARQ_NEW_PASSWORD)');
      process.exit(1);
    }
    const { app, database } = await open(cfg, { logger: false });
    try {
      await app.barq.identity.createStaffUser({ username: options.username, password, displayName: options.name, roles: options.role, officeCode: options.office ?? null });
      console.log(`created ${options.username} (${options.role.join(', ')})`);
    } catch (error) {
      console.error(error instanceof AppError ? `${error.code}: ${error.message}` : error);
      process.exitCode = 1;
    } finally {
      await app.close();
      await database.close();
    }
  });

await program.parseAsync(process.argv);
export type { BarqApp };
