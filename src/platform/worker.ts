// The background worker: a loop of periodic jobs (outbox dispatch, SLA alerts and reminders,
// agreement expiry). Runs inside the server by default or alone as `worker`; every job is safe with
// several instances against one PostgreSQL (row locks with SKIP LOCKED).
import type { FastifyBaseLogger } from 'fastify';
import type { Outbox } from './outbox.ts';

export interface WorkerJob {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/** What the worker reports to monitoring: a heartbeat (readiness) and each job's duration (metrics). */
export interface WorkerMonitor {
  heartbeat(): Promise<void>;
  jobDone(job: string, seconds: number, ok: boolean): void;
}

export function startWorker(app: { barq: { outbox: Outbox } }, options: { log: FastifyBaseLogger; jobs?: WorkerJob[]; monitor?: WorkerMonitor }) {
  const monitor = options.monitor;
  const jobs: WorkerJob[] = [
    { name: 'outbox', everyMs: 2_000, run: () => app.barq.outbox.dispatch({ limit: 50 }) },
    ...(options.jobs ?? []),
    ...(monitor ? [{ name: 'heartbeat', everyMs: 10_000, run: () => monitor.heartbeat() }] : []),
  ];
  if (monitor) void monitor.heartbeat().catch((error: unknown) => options.log.error({ err: error }, 'worker heartbeat failed'));
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  for (const job of jobs) {
    let busy = false;
    timers.push(
      setInterval(() => {
        if (busy || stopped) return;
        busy = true;
        const started = Date.now();
        let ok = true;
        const run = job
          .run()
          .catch((error: unknown) => {
            ok = false;
            options.log.error({ err: error, job: job.name }, 'worker job failed');
          })
          .finally(() => {
            busy = false;
            running.delete(run);
            const ms = Date.now() - started;
            monitor?.jobDone(job.name, ms / 1000, ok);
            if (ms > job.everyMs) options.log.warn({ job: job.name, ms }, 'worker job slower than its interval');
          });
        running.add(run);
      }, job.everyMs),
    );
  }
  return {
    /** Stops scheduling and waits for the jobs in flight. */
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.all([...running]);
      await app.barq.outbox.settled();
    },
  };
}
