// Operational monitoring: Prometheus metrics, readiness apart from liveness, and logs that carry
// request ids with national codes and mobiles masked.
import { Writable } from 'node:stream';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { startWorker } from '../src/platform/worker.ts';
import { openTestDatabase } from './support/database.ts';
import { startTestApp, TEST_START, type TestApp } from './support/app.ts';

let t: TestApp;
const clock = new ManualClock(TEST_START);
beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterAll(async () => t?.close());

describe('readiness and liveness', () => {
  it('is not ready without a worker heartbeat, ready after one, stale a minute later; /health stays as the contract says', async () => {
    const before = await t.api('GET', '/ready');
    expect(before.status).toBe(503);
    expect(before.json).toEqual({ status: 'not-ready', checks: { database: 'ok', migrations: 'ok', worker: 'no heartbeat' } });
    await t.app.barq.metrics.workerMonitor.heartbeat();
    const ready = await t.api('GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.json.status).toBe('ready');
    clock.advance(61_000);
    const stale = await t.api('GET', '/ready');
    expect(stale.status).toBe(503);
    expect(stale.json.checks.worker).toMatch(/^stale/);
    const health = await t.api('GET', '/health');
    expect(health).toMatchObject({ status: 200, json: { status: 'ok' } });
  });
});

describe('metrics', () => {
  it('exposes HTTP latency by route, transitions by action, outbox depth and age, SLA alerts, job durations', async () => {
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    await t.act(view.trackingCode, 'clerk', 'quote');
    await t.view(view.trackingCode);
    await t.app.barq.sla.runDue();
    const worker = startWorker(t.app, { log: t.app.log, monitor: t.app.barq.metrics.workerMonitor });
    await worker.stop();
    t.app.barq.metrics.workerMonitor.jobDone('sla-alerts', 0.2, true);

    const r = await t.raw('GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/plain');
    expect(r.body).toMatch(/barq_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/requests\/:trackingCode",status="200"\} \d+/);
    // Route templates, never raw URLs with tracking codes.
    expect(r.body).not.toContain(view.trackingCode);
    expect(r.body).toMatch(/barq_request_transitions_total\{action="quote",to="awaiting-payment"\} 1/);
    expect(r.body).toMatch(/barq_outbox_messages\{status="\w+"\}|# TYPE barq_outbox_messages gauge/);
    expect(r.body).toMatch(/barq_outbox_oldest_age_seconds \d+/);
    expect(r.body).toContain('# TYPE barq_sla_alerts_total counter');
    expect(r.body).toMatch(/barq_job_duration_seconds_count\{job="sla-alerts",outcome="ok"\} 1/);
    expect(r.body).toContain('barq_process_cpu_seconds_total');
  });
});

describe('logs', () => {
  it('carry the request id and mask national codes and mobiles in URLs, bodies and messages', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
    const database = await openTestDatabase();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'barq-log-'));
    const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', BARQ_DATA_DIR: dataDir, LOG_LEVEL: 'info', PORT: '0' }), database, clock, logger: { stream } });
    try {
      const body = { service: 'temporary-removal', channel: 'app', billId: '7748317800142', relation: 'owner', applicant: { personType: 'natural', nationalCode: '0499370899', firstName: 'زهرا', lastName: 'احمدی', mobile: '09121234567' } };
      const r = await app.inject({ method: 'POST', url: '/api/v1/track/123456789012?nationalCode=0499370899&mobile=09121234567', payload: body, headers: { 'x-request-id': 'test-request-0001' } });
      expect(r.headers['x-request-id']).toBe('test-request-0001');
      // What a handler would log about such a request: its body and a message naming the person.
      app.log.info({ reqId: 'test-request-0001', body, query: { nationalCode: '0499370899' } }, 'refused request from 09121234567 (0499370899)');
      app.log.error({ err: new Error('duplicate key (national_code)=(0499370899)') }, 'database error');
      const output = lines.join('');
      expect(output).toContain('"reqId":"test-request-0001"');
      expect(output).toContain('nationalCode=04******99&mobile=0912*****67');
      expect(output).toContain('"nationalCode":"04******99"');
      expect(output).toContain('"mobile":"0912*****67"');
      expect(output).toContain('refused request from 0912*****67 (04******99)');
      expect(output).toContain('(national_code)=(04******99)');
      expect(output).not.toContain('0499370899');
      expect(output).not.toContain('09121234567');
      // Tracking codes (12 digits) and bill IDs (13) stay readable.
      expect(output).toContain('7748317800142');
    } finally {
      await app.close();
      await database.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
