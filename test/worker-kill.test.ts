// A worker killed mid-batch loses nothing, and its restart does not send twice what the provider
// had already accepted. A real `worker` process (src/cli/main.ts) runs against a file-backed
// embedded database (or the PostgreSQL server with DATABASE_URL) and an SMS twin that answers
// each send slowly; the test SIGKILLs the process just after the twin has accepted a message whose
// answer has not reached the worker yet, then starts a second worker whose clock is past the
// lease. The outbox id is Kavenegar's `localid`, so the re-sent message is the first one again.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createNotificationService } from '../src/notifications/notification.service.ts';
import { createSmsTwin } from '../src/notifications/sms.twin.ts';
import { systemClock } from '../src/platform/clock.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../src/platform/database/database.ts';
import { createOutbox } from '../src/platform/outbox.ts';
import { onPostgres, openTestDatabase } from './support/database.ts';

const MESSAGES = 20;
const ANSWER_DELAY_MS = 150;
const silentLog = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {}, child() { return silentLog; }, level: 'silent', silent() {} } as never;

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

function startWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], {
    cwd: path.resolve('.'),
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('exit', (code, signal) => {
    if (code && code !== 0) console.error(`worker exited ${code} ${signal ?? ''}: ${stderr}`);
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

describe('a worker killed mid-batch', () => {
  it('loses nothing, and the restart does not re-send what the provider accepted', { timeout: 180_000 }, async () => {
    // The SMS provider twin, answering each send after a delay (the message is recorded first).
    const twin = createSmsTwin();
    const sendCalls: string[] = [];
    const server = Fastify();
    server.addHook('preHandler', async (request) => {
      if (request.url.includes('/sms/send.json')) sendCalls.push(String((request.body as Record<string, string>)['localid']));
    });
    server.addHook('onSend', async (request, _reply, payload) => {
      if (request.url.includes('/sms/send.json')) await new Promise((resolve) => setTimeout(resolve, ANSWER_DELAY_MS));
      return payload;
    });
    await server.register(twin.plugin, { prefix: '/__twins/sms' });
    const twinUrl = `${await server.listen({ port: 0, host: '127.0.0.1' })}/__twins/sms`;
    cleanups.push(() => server.close());

    // The database: a PostgreSQL database of its own, or an embedded one in a folder the worker opens.
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'barq-kill-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    let serverDb: (DatabaseHandle & { url?: string }) | undefined;
    if (onPostgres) {
      serverDb = await openTestDatabase({ poolSize: 2 });
      cleanups.push(() => serverDb!.close());
    }
    const open = async () => serverDb ?? (await (async () => {
      const handle = await openDatabase({ dataDir });
      await migrateToLatest(handle.db);
      return handle;
    })());
    const release = async (handle: DatabaseHandle) => {
      if (handle !== serverDb) await handle.close();
    };
    const workerEnv = { BARQ_DATA_DIR: dataDir, SMS_BASE_URL: twinUrl, SMS_API_KEY: 'kill-test', ...(serverDb?.url ? { DATABASE_URL: serverDb.url } : {}) };

    // Twenty SMS written by a committed transaction, not yet sent.
    let handle = await open();
    const outbox = createOutbox({ db: handle.db, clock: systemClock, log: silentLog });
    const notifications = createNotificationService({ db: handle.db, clock: systemClock, outbox, sms: { send: () => Promise.reject(new Error('not here')), status: async () => [] }, log: silentLog });
    const ids = await handle.db.transaction().execute(async (trx) => {
      const out: string[] = [];
      for (let i = 0; i < MESSAGES; i += 1) out.push(await notifications.enqueueSms(trx, { to: `0936${String(7_000_000 + i)}`, template: 'withdrawn', data: { trackingCode: `1405091200${String(i).padStart(2, '0')}` } }));
      return out;
    });
    await release(handle);

    // First worker: killed (SIGKILL) right after the twin has accepted the fifth message, before the worker hears back.
    const first = startWorker(workerEnv);
    await vi.waitFor(() => expect(twin.messages().length).toBeGreaterThanOrEqual(5), { timeout: 60_000, interval: 5 });
    first.kill('SIGKILL');
    await exited(first);
    expect(first.signalCode).toBe('SIGKILL');
    const acceptedBeforeKill = new Set(twin.messages().map((m) => m.localId));

    handle = await open();
    const afterKill = await handle.db.selectFrom('outbox').select(['id', 'status', 'attempts']).where('id', 'in', ids).execute();
    const sentBeforeKill = afterKill.filter((r) => r.status === 'sent').map((r) => r.id);
    // Nothing lost: every message is still there, sent or leased/pending; the provider holds at least one we never heard back about.
    expect(afterKill).toHaveLength(MESSAGES);
    expect(afterKill.every((r) => ['sent', 'sending', 'pending'].includes(r.status))).toBe(true);
    expect(sentBeforeKill.length).toBeLessThan(acceptedBeforeKill.size);
    const acceptedNotRecorded = [...acceptedBeforeKill].filter((id) => !sentBeforeKill.includes(id));
    expect(acceptedNotRecorded.length).toBeGreaterThan(0);
    await release(handle);

    // Second worker, its clock five minutes on: the dead worker's leases have run out.
    const second = startWorker({ ...workerEnv, BARQ_FAKE_NOW: new Date(Date.now() + 5 * 60_000).toISOString() });
    await vi.waitFor(() => expect(new Set(sendCalls).size).toBe(MESSAGES), { timeout: 90_000, interval: 20 });
    // Let it record the last answers, then stop it gracefully.
    await new Promise((resolve) => setTimeout(resolve, ANSWER_DELAY_MS * 4));
    second.kill('SIGTERM');
    await exited(second);

    // Every message reached the provider exactly once, although some were sent to it twice.
    const delivered = twin.messages();
    expect(delivered).toHaveLength(MESSAGES);
    expect(new Set(delivered.map((m) => m.localId))).toEqual(new Set(ids));
    for (const id of acceptedNotRecorded) expect(sendCalls.filter((c) => c === id).length).toBe(2);
    expect(sendCalls.length).toBeGreaterThan(MESSAGES);

    handle = await open();
    const final = await handle.db.selectFrom('outbox').select(['id', 'status', 'attempts', 'providerMessageId']).where('id', 'in', ids).execute();
    expect(final.every((r) => r.status === 'sent')).toBe(true);
    const byLocalId = new Map(delivered.map((m) => [m.localId, m.id]));
    for (const row of final) expect(row.providerMessageId).toBe(byLocalId.get(row.id));
    for (const id of acceptedNotRecorded) expect(final.find((r) => r.id === id)!.attempts).toBe(2);
    const sms = await handle.db.selectFrom('smsMessages').select('status').where('id', 'in', ids).execute();
    expect(sms.every((m) => m.status === 'sent')).toBe(true);
    await release(handle);
  });
});
