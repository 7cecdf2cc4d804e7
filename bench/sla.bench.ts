// Benchmark: recompute the SLA of 100,000 open requests (what a calendar change triggers) — load
// each page of requests and their events, compute every step's clock against the working
// calendar, and write back when each request is next worth checking. Embedded PostgreSQL and,
// when reachable, the PostgreSQL server.
//
//   npm run bench:sla                  # BENCH_OPEN=100000 by default
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { migrateToLatest, openDatabase } from '../src/platform/database/database.ts';
import { ManualClock } from '../src/platform/clock.ts';

const OPEN = Number(process.env['BENCH_OPEN'] ?? 100_000);
const SERVER = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function run(label: string, databaseUrl?: string) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'barq-bench-sla-'));
  const database = await openDatabase({ ...(databaseUrl ? { databaseUrl } : {}), dataDir });
  await migrateToLatest(database.db);
  const clock = new ManualClock('2026-12-16T06:00:00Z');
  const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', BARQ_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' }), database, clock, logger: false });
  await app.barq.prepare();
  const db = app.barq.db;

  // Open requests submitted over the past ten days: a third still submitted, a third awaiting
  // payment, a third in the meter test (paid).
  const seedStarted = performance.now();
  await sql`insert into requests (id, tracking_code, service, service_version, agreement_version, channel, state, bill_id, relation,
      person_type, national_code, first_name, last_name, mobile, connection, created_at, updated_at)
    select gen_random_uuid(), (100000000000 + i)::text, 'temporary-removal', 1, 1, 'web',
      case i % 3 when 0 then 'submitted' when 1 then 'awaiting-payment' else 'meter-test' end,
      (2000000000000 + i)::text, 'owner', 'natural', '0499370899', 'نمونه', 'آزمایشی', '09120000000', '{"phase":1,"amperes":25}',
      timestamptz '2026-12-06 05:30Z' + (i % 14400) * interval '1 minute', now()
    from generate_series(1, ${OPEN}) as i`.execute(db);
  await sql`insert into request_events (request_id, action, from_state, to_state, actor_kind, actor_role, at, payload)
    select id, 'submit', null, 'submitted', 'applicant', 'applicant', created_at, '{}' from requests`.execute(db);
  await sql`insert into request_events (request_id, action, from_state, to_state, actor_kind, actor_role, at, payload)
    select id, 'quote', 'submitted', 'awaiting-payment', 'staff', 'clerk', created_at + interval '3 hours', '{}' from requests where state <> 'submitted'`.execute(db);
  await sql`insert into request_events (request_id, action, from_state, to_state, actor_kind, actor_role, at, payload)
    select id, 'confirm-payment', 'awaiting-payment', 'meter-test', 'system', 'system', created_at + interval '2 days', '{}' from requests where state = 'meter-test'`.execute(db);
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  const started = performance.now();
  const result = await app.barq.sla.recomputeAll({ pageSize: 2_000 });
  const seconds = (performance.now() - started) / 1000;
  const due = await db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('n')).where('slaNextCheckAt', '<=', clock.now()).executeTakeFirstOrThrow();
  console.log(
    `${label.padEnd(20)} ${result.recomputed.toLocaleString('en')} open requests recomputed in ${seconds.toFixed(1)} s` +
      ` = ${Math.round(result.recomputed / seconds).toLocaleString('en')}/s (seeded in ${seedSeconds.toFixed(1)} s; ${due.n.toLocaleString('en')} due for an alert now)`,
  );
  await app.close();
  await database.close();
  await fs.rm(dataDir, { recursive: true, force: true });
}

console.log(`Barq Desk SLA recompute benchmark — ${os.cpus().length} cores, Node ${process.version}`);
await run('embedded (PGlite)');
const admin = new pg.Client({ connectionString: SERVER });
try {
  await admin.connect();
  await admin.query('drop database if exists barq_bench_sla with (force)');
  await admin.query('create database barq_bench_sla');
  const url = new URL(SERVER);
  url.pathname = '/barq_bench_sla';
  await run('PostgreSQL server', url.toString());
  await admin.query('drop database if exists barq_bench_sla with (force)');
} catch (error) {
  console.log(`PostgreSQL server: skipped (${(error as Error).message})`);
} finally {
  await admin.end().catch(() => undefined);
}
