// Benchmark: the supervisors' dashboard and the agreement review over 1,000,000 requests filed
// through Jalali year 1405 — seeded with SQL generate_series (requests, per-step SLA facts as the
// transitions write them, surveys with step scores), then the dashboard built for the whole year,
// for one month and for one channel, and the review exported to xlsx. Embedded PostgreSQL and,
// when reachable, the PostgreSQL server.
//
//   npx tsx bench/reports.bench.ts          # BENCH_REQUESTS=1000000 by default
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { migrateToLatest, openDatabase } from '../src/platform/database/database.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { parsePeriod } from '../src/reports/period.ts';

const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 1_000_000);
const SERVER = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ONLY = process.env['BENCH_ONLY']; // 'pglite' | 'postgres'

async function time<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, (performance.now() - started) / 1000];
}

async function run(label: string, databaseUrl?: string) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'barq-bench-reports-'));
  const database = await openDatabase({ ...(databaseUrl ? { databaseUrl } : {}), dataDir });
  await migrateToLatest(database.db);
  const clock = new ManualClock('2027-03-20T06:00:00Z');
  const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', BARQ_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' }), database, clock, logger: false });
  await app.barq.prepare();
  const db = app.barq.db;

  // Requests filed evenly through 1405 (one every 31.5 s): 85 % closed (completed, archived,
  // withdrawn in 70:10:5), 15 % open; a quarter per channel; Pishkhan requests across 50 offices.
  const [, seedSeconds] = await time(async () => {
    await sql`insert into requests (id, tracking_code, service, service_version, agreement_version, channel, office_code, state, bill_id, relation,
        person_type, national_code, first_name, last_name, mobile, connection, created_at, updated_at, closed_at)
      select gen_random_uuid(), (100000000000 + i)::text, 'temporary-removal', 1, 1,
        (array['web', 'app', 'pishkhan', 'counter'])[1 + i % 4],
        case when i % 4 = 2 then '371' || lpad((i % 50)::text, 5, '0') end,
        case when i % 20 < 14 then 'completed' when i % 20 < 16 then 'archived' when i % 20 = 16 then 'withdrawn'
             else (array['submitted', 'awaiting-payment', 'meter-test'])[1 + i % 3] end,
        (2000000000000 + i)::text, 'owner', 'natural', '0499370899', 'نمونه', 'آزمایشی', '09120000000', '{"phase":1,"amperes":25}',
        timestamptz '2026-03-20 20:30Z' + i * interval '31.5 seconds', now(),
        case when i % 20 < 17 then timestamptz '2026-03-20 20:30Z' + i * interval '31.5 seconds' + interval '9 days' end
      from generate_series(1, ${REQUESTS}) as i`.execute(db);
    // Facts as the transitions write them: quote for every closed request, the meter test,
    // conditions and removal for completed ones, the whole request for every closed one.
    const fact = (step: string, unit: string | null, target: number, minutes: RawMinutes, offsetHours: number, where: string) =>
      sql`insert into sla_step_facts (request_id, step, clock, unit, started_at, ended_at, working_minutes, calendar_minutes, target_minutes, breached, channel, office_code, agreement_version)
        select id, ${step}, 'company', ${unit}, created_at + ${`${offsetHours} hours`}::interval, created_at + ${`${offsetHours + 20} hours`}::interval,
          m, m * 3, ${target}, m > ${target}, channel, office_code, 1
        from (select id, created_at, channel, office_code, state, ${sql.raw(minutes)} as m from requests) r where ${sql.raw(where)}`.execute(db);
    type RawMinutes = string;
    await fact('quote', 'امور مشترکین', 420, '(abs(hashtext(id::text)) % 900)', 1, `state in ('completed', 'archived', 'withdrawn')`);
    await fact('meter-test', 'آزمایشگاه کنتور', 1260, '(abs(hashtext(id::text || \'m\')) % 1800)', 48, `state in ('completed', 'archived')`);
    await fact('conditions', 'امور مشترکین', 420, '(abs(hashtext(id::text || \'c\')) % 500)', 96, `state in ('completed', 'archived')`);
    await fact('removal', 'بهره‌برداری (اکیپ اجرایی)', 1260, '(abs(hashtext(id::text || \'r\')) % 1600)', 150, `state = 'completed'`);
    await sql`insert into sla_step_facts (request_id, step, clock, unit, started_at, ended_at, working_minutes, calendar_minutes, target_minutes, breached, channel, office_code, agreement_version)
      select f.request_id, 'whole', 'whole', null, r.created_at, r.closed_at, sum(f.working_minutes), 12960, 2940, sum(f.working_minutes) > 2940, r.channel, r.office_code, 1
      from sla_step_facts f join requests r on r.id = f.request_id group by f.request_id, r.created_at, r.closed_at, r.channel, r.office_code`.execute(db);
    // A third of closed requests answered the survey.
    await sql`insert into surveys (id, request_id, token_hash, outcome, channel, office_code, steps, created_at, expires_at, answered_at, overall_score, comment, tags)
      select gen_random_uuid(), id, md5(id::text), state, channel, office_code, array['quote', 'payment', 'meter-test', 'conditions', 'acceptance', 'removal'],
        closed_at, closed_at + interval '30 days', closed_at + interval '1 day', 1 + abs(hashtext(id::text)) % 5,
        case when abs(hashtext(id::text)) % 10 = 0 then 'نظر نمونه' end,
        case when abs(hashtext(id::text)) % 3 = 0 then array['crew-late'] when abs(hashtext(id::text)) % 3 = 1 then array['payment-slow', 'staff-courteous'] else array[]::text[] end
      from requests where closed_at is not null and abs(hashtext(id::text || 's')) % 3 = 0`.execute(db);
    await sql`insert into survey_step_scores (survey_id, step, score)
      select id, s.step, 1 + abs(hashtext(id::text || s.step)) % 5 from surveys, unnest(array['quote', 'removal']) as s(step)`.execute(db);
    await sql`analyze`.execute(db);
  });
  const counts = await sql<{ facts: number; surveys: number }>`select (select count(*)::int from sla_step_facts) as facts, (select count(*)::int from surveys) as surveys`.execute(db);

  const year = parsePeriod('1405-01-01', '1405-12-29')!;
  const month = parsePeriod('1405-09-01', '1405-09-30')!;
  await app.barq.reports.dashboard({ period: month }); // warm up
  const [dash, yearSeconds] = await time(() => app.barq.reports.dashboard({ period: year }));
  const [, monthSeconds] = await time(() => app.barq.reports.dashboard({ period: month }));
  const [, channelSeconds] = await time(() => app.barq.reports.dashboard({ period: year, channel: 'pishkhan' }));
  const [xlsx, reviewSeconds] = await time(() => app.barq.reports.reviewXlsx({ period: year }));
  console.log(
    `${label.padEnd(20)} ${dash.volume.total.toLocaleString('en')} requests (${counts.rows[0]!.facts.toLocaleString('en')} step facts, ${counts.rows[0]!.surveys.toLocaleString('en')} surveys; seeded in ${seedSeconds.toFixed(0)} s)\n` +
      `${''.padEnd(20)} dashboard, whole year: ${yearSeconds.toFixed(2)} s · one month: ${monthSeconds.toFixed(2)} s · year, one channel: ${channelSeconds.toFixed(2)} s · agreement review xlsx (year): ${reviewSeconds.toFixed(2)} s (${Math.round(xlsx.length / 1024)} KiB)\n` +
      `${''.padEnd(20)} year: compliance ${dash.compliance.overall.value} %, quote p50/p90 ${dash.durations[0]!.p50}/${dash.durations[0]!.p90} min, backlog ${dash.backlog.total.toLocaleString('en')}, satisfaction ${dash.satisfaction.overall.value}`,
  );
  await app.close();
  await database.close();
  await fs.rm(dataDir, { recursive: true, force: true });
}

console.log(`Barq Desk dashboard benchmark — ${REQUESTS.toLocaleString('en')} requests, ${os.cpus().length} cores, Node ${process.version}`);
if (ONLY !== 'postgres') await run('embedded (PGlite)');
if (ONLY !== 'pglite') {
  const admin = new pg.Client({ connectionString: SERVER });
  try {
    await admin.connect();
    await admin.query('drop database if exists barq_bench_reports with (force)');
    await admin.query('create database barq_bench_reports');
    const url = new URL(SERVER);
    url.pathname = '/barq_bench_reports';
    await run('PostgreSQL server', url.toString());
    await admin.query('drop database if exists barq_bench_reports with (force)');
  } catch (error) {
    console.log(`PostgreSQL server: skipped (${(error as Error).message})`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}
