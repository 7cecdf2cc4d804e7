// Operational monitoring (SLA §2 "methods of monitoring", DESIGN §6): Prometheus metrics at
// /metrics — HTTP latency by route and status, transitions by action, outbox depth and oldest age,
// SLA alerts, job durations, process defaults — and readiness at /ready (database answers,
// migrations current, a worker beat recently), apart from liveness at /health. One registry per
// app, so several apps in one process (tests) never share counters.
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from './clock.ts';
import { migrations } from './database/migrations/index.ts';
import type { Database } from './database/schema.ts';
import { monitoringRepository as repo } from './monitoring.repository.ts';
import type { WorkerMonitor } from './worker.ts';

/** A worker heartbeat older than this makes the app not ready. */
export const HEARTBEAT_STALE_SECONDS = 60;

export type Metrics = ReturnType<typeof createMetrics>;

/** The app's registry and its instruments; database-backed gauges are read at scrape time. */
export function createMetrics(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'barq_' });
  const httpDuration = new Histogram({
    name: 'barq_http_request_duration_seconds', help: 'HTTP request latency by route template, method and status code',
    labelNames: ['method', 'route', 'status'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });
  const transitions = new Counter({ name: 'barq_request_transitions_total', help: 'Lifecycle transitions written, by action and state reached', labelNames: ['action', 'to'] as const, registers: [registry] });
  const jobDuration = new Histogram({
    name: 'barq_job_duration_seconds', help: 'Background job run durations, by job and outcome', labelNames: ['job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300], registers: [registry],
  });
  new Gauge({
    name: 'barq_outbox_messages', help: 'Outbox messages not yet sent, by status', labelNames: ['status'] as const, registers: [registry],
    async collect() {
      const stats = await repo.outboxStats(db, clock.now());
      this.reset();
      for (const s of stats.byStatus) this.set({ status: s.status }, s.n);
    },
  });
  new Gauge({
    name: 'barq_outbox_oldest_age_seconds', help: 'Age of the oldest outbox message waiting to be sent (0 when none)', registers: [registry],
    async collect() {
      this.set((await repo.outboxStats(db, clock.now())).oldestAgeSeconds);
    },
  });
  const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const workerStartedAt = clock.now();

  /** Readiness: the database answers, every migration has run, a worker (inline or apart) beat within a minute. */
async function readiness() {
    const checks: Record<string, string> = { database: 'ok', migrations: 'ok', worker: 'ok' };
    try {
      await repo.ping(db);
      const applied = new Set(await repo.appliedMigrations(db));
      const pending = Object.keys(migrations).filter((m) => !applied.has(m));
      if (pending.length) checks['migrations'] = `pending: ${pending.join(', ')}`;
      const beat = await repo.lastBeat(db);
      if (!beat) checks['worker'] = 'no heartbeat';
      else if (clock.now().getTime() - beat.getTime() > HEARTBEAT_STALE_SECONDS * 1000) checks['worker'] = `stale: last heartbeat ${beat.toISOString()}`;
    } catch {
      checks['database'] = 'unavailable';
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    return { ready, body: { status: ready ? 'ready' : 'not-ready', checks } };
  }

  return {
    registry,
    transitions,

    /** Records HTTP latency for every route (the route template, never the raw URL with its codes). */
    installHttpHooks(app: FastifyInstance) {
      app.addHook('onResponse', async (request, reply) => {
        const route = request.routeOptions.url ?? 'unmatched';
        httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      });
    },

    /** A counter whose value is a total read from the database at scrape time (the same in every instance: aggregate with max, not sum). */
    databaseCounter(name: string, help: string, labelName: string, read: () => Promise<Array<{ label: string; value: number }>>) {
      new Counter({
        name, help, labelNames: [labelName], registers: [registry],
        async collect() {
          const values = await read();
          this.reset();
          for (const v of values) this.inc({ [labelName]: v.label }, v.value);
        },
      });
    },

    /** What a worker in this process reports: heartbeats (readiness) and job durations. */
    workerMonitor: {
      heartbeat: async () => {
        await repo.beat(db, { workerId, host: os.hostname(), pid: process.pid, startedAt: workerStartedAt, beatAt: clock.now() });
      },
      jobDone: (job: string, seconds: number, ok: boolean) => jobDuration.observe({ job, outcome: ok ? 'ok' : 'failed' }, seconds),
    } satisfies WorkerMonitor,

    readiness,

    /** Serves /metrics (Prometheus text format) and /ready. */
    installRoutes(app: FastifyInstance) {
      app.get('/metrics', { schema: { tags: ['health'], summary: 'سنجه‌های Prometheus' } }, async (_request, reply) => {
        reply.type(registry.contentType);
        return registry.metrics();
      });
      app.get('/ready', { schema: { tags: ['health'], summary: 'آمادگی سرویس: پایگاه داده، مهاجرت‌ها، کارگزار پس‌زمینه' } }, async (_request, reply) => {
        const { ready, body } = await readiness();
        return reply.status(ready ? 200 : 503).send(body);
      });
    },
  };
}
