// Benchmark: request submissions per second and public tracking look-ups per second, through the
// whole app (routing, validation, eligibility against the billing twin over loopback, one
// transaction per submission), on embedded PostgreSQL and, when reachable, the PostgreSQL server.
//
//   npm run bench                       # both databases (the server at postgres://postgres@127.0.0.1:5432)
//   BENCH_SUBMISSIONS=3000 npm run bench
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { seedDemo } from '../src/cli/demo.ts';
import { loadConfig } from '../src/platform/config.ts';
import { migrateToLatest, openDatabase } from '../src/platform/database/database.ts';

const SUBMISSIONS = Number(process.env['BENCH_SUBMISSIONS'] ?? 1500);
const LOOKUPS = Number(process.env['BENCH_LOOKUPS'] ?? 5000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const SERVER = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function pool<T>(count: number, concurrency: number, work: (i: number) => Promise<T>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

async function run(label: string, databaseUrl?: string) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'barq-bench-'));
  const database = await openDatabase({ ...(databaseUrl ? { databaseUrl } : {}), dataDir });
  await migrateToLatest(database.db);
  const config = loadConfig({ NODE_ENV: 'test', BARQ_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' });
  const app = await buildApp({ config, database, logger: false, twins: { billingCount: SUBMISSIONS + 100 } });
  await app.barq.prepare();
  await seedDemo(app, 'bench-password-1405');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'clerk', password: 'bench-password-1405' } });
  const token = login.json().token as string;
  const subscribers = app.barq.twins.billing!.subscribers().filter((s) => s.connection.state === 'active' && !s.connection.shared);

  const codes: Array<{ code: string; id: string }> = [];
  let failures = 0;
  const submitSeconds = await pool(Math.min(SUBMISSIONS, subscribers.length), CONCURRENCY, async (i) => {
    const s = subscribers[i]!;
    const applicant = s.owner.personType === 'natural'
      ? { personType: 'natural', nationalCode: s.owner.nationalCode, firstName: s.owner.firstName, lastName: s.owner.lastName, mobile: s.owner.mobile }
      : { personType: 'legal', nationalId: s.owner.nationalId, name: s.owner.name, mobile: s.owner.mobile };
    const r = await app.inject({ method: 'POST', url: '/api/v1/requests', headers: { authorization: `Bearer ${token}` }, payload: { service: 'temporary-removal', channel: 'counter', billId: s.billId, relation: 'owner', applicant } });
    if (r.statusCode !== 201) failures += 1;
    else codes.push({ code: r.json().trackingCode, id: (applicant.nationalCode ?? applicant.nationalId) as string });
  });
  const submitted = codes.length;

  let lookupFailures = 0;
  const lookupSeconds = await pool(LOOKUPS, CONCURRENCY * 2, async (i) => {
    const { code, id } = codes[i % codes.length]!;
    const key = id.length === 10 ? 'nationalCode' : 'nationalId';
    const r = await app.inject({ method: 'GET', url: `/api/v1/track/${code}?${key}=${id}`, remoteAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
    if (r.statusCode !== 200) lookupFailures += 1;
  });

  console.log(
    `${label.padEnd(22)} submissions: ${submitted} in ${submitSeconds.toFixed(1)} s = ${(submitted / submitSeconds).toFixed(0)}/s` +
      ` (${failures} refused)   tracking look-ups: ${LOOKUPS} in ${lookupSeconds.toFixed(1)} s = ${(LOOKUPS / lookupSeconds).toFixed(0)}/s (${lookupFailures} failed)`,
  );
  await app.close();
  await database.close();
  await fs.rm(dataDir, { recursive: true, force: true });
}

console.log(`Barq Desk request benchmark — ${os.cpus().length} cores, Node ${process.version}, concurrency ${CONCURRENCY}`);
await run('embedded (PGlite)');
const admin = new pg.Client({ connectionString: SERVER });
try {
  await admin.connect();
  await admin.query('drop database if exists barq_bench with (force)');
  await admin.query('create database barq_bench');
  const url = new URL(SERVER);
  url.pathname = '/barq_bench';
  await run('PostgreSQL server', url.toString());
  await admin.query('drop database if exists barq_bench with (force)');
} catch (error) {
  console.log(`PostgreSQL server: skipped (${(error as Error).message})`);
} finally {
  await admin.end().catch(() => undefined);
}
