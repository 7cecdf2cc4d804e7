// A Barq Desk app for one test file: its own migrated database, the twins on loopback, demo
// staff accounts and tariff, a clock the test controls, and helpers that speak the public API.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp, type BarqApp } from '../../src/app.ts';
import type { BillingSubscriber } from '../../src/billing/billing.adapter.ts';
import { seedDemo } from '../../src/cli/demo.ts';
import type { SmsTwinOptions } from '../../src/notifications/sms.twin.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { toAsciiDigits } from '../../src/platform/digits.ts';
import { openTestDatabase } from './database.ts';

export const TEST_PASSWORD = 'test-password-1405';
/** Saturday 1405-09-14, 09:00 in Tehran: inside working hours. */
export const TEST_START = '2026-12-05T05:30:00Z';

export interface ApiResponse<T = any> {
  status: number;
  json: T;
  headers: Record<string, unknown>;
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

export async function startTestApp(options: { clock?: ManualClock; env?: Record<string, string>; sms?: SmsTwinOptions; poolSize?: number } = {}) {
  const database = await openTestDatabase(options.poolSize ? { poolSize: options.poolSize } : {});
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'barq-test-'));
  const config = loadConfig({ NODE_ENV: 'test', BARQ_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', ...options.env });
  const clock = options.clock ?? new ManualClock(TEST_START);
  const app: BarqApp = await buildApp({ config, database, clock, logger: false, ...(options.sms ? { twins: { sms: options.sms } } : {}) });
  await app.barq.prepare();
  await seedDemo(app, TEST_PASSWORD);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  async function api<T = any>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, init: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const response = await app.inject({
      method,
      url,
      headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
      ...(init.body !== undefined ? { payload: init.body as object } : {}),
    });
    let json: any = null;
    try {
      json = response.json();
    } catch {
      json = response.body;
    }
    return { status: response.statusCode, json, headers: response.headers };
  }

  // Tokens are reused while the test clock stays within the hour they were issued in (sessions
  // expire by the app's clock, which tests move days at a time).
  const fresh = (entry: { token: string; at: number } | undefined) => entry && Math.abs(clock.now().getTime() - entry.at) < 3_600_000;
  const staffTokens = new Map<string, { token: string; at: number }>();
  async function staffToken(username: string): Promise<string> {
    if (!fresh(staffTokens.get(username))) {
      const r = await api('POST', '/api/v1/auth/login', { body: { username, password: TEST_PASSWORD } });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.json)}`);
      staffTokens.set(username, { token: r.json.token, at: clock.now().getTime() });
    }
    return staffTokens.get(username)!.token;
  }

  const applicantTokens = new Map<string, { token: string; at: number }>();
  async function applicantToken(mobile: string): Promise<string> {
    if (!fresh(applicantTokens.get(mobile))) {
      const sent = await api('POST', '/api/v1/auth/otp', { body: { mobile } });
      if (sent.status !== 202) throw new Error(`otp ${mobile}: ${sent.status} ${JSON.stringify(sent.json)}`);
      const text = app.barq.twins.sms!.messages(mobile)[0]?.text ?? '';
      const code = toAsciiDigits(text).match(/\b\d{6}\b/)?.[0];
      const verified = await api('POST', '/api/v1/auth/otp/verify', { body: { mobile, code } });
      if (verified.status !== 200) throw new Error(`otp verify ${mobile}: ${verified.status}`);
      applicantTokens.set(mobile, { token: verified.json.token, at: clock.now().getTime() });
    }
    return applicantTokens.get(mobile)!.token;
  }

  const used = new Set<string>();
  /** A demo subscriber no other test of this file has used, matching `where`. */
  function subscriber(where: (s: BillingSubscriber) => boolean = () => true): BillingSubscriber {
    const found = app.barq.twins.billing!.subscribers().find(
      (s) => !used.has(s.billId) && s.connection.state === 'active' && !s.connection.shared && where(s),
    );
    if (!found) throw new Error('no unused demo subscriber matches');
    used.add(found.billId);
    return found;
  }

  function applicantOf(s: BillingSubscriber) {
    return s.owner.personType === 'natural'
      ? { personType: 'natural', nationalCode: s.owner.nationalCode, firstName: s.owner.firstName, lastName: s.owner.lastName, mobile: s.owner.mobile }
      : { personType: 'legal', nationalId: s.owner.nationalId, name: s.owner.name, mobile: s.owner.mobile };
  }

  /** Files a request as the subscriber's owner through the app channel; returns the created view. */
  async function file(s: BillingSubscriber, overrides: Record<string, unknown> = {}) {
    const token = await applicantToken(s.owner.mobile);
    const r = await api('POST', '/api/v1/requests', {
      token,
      body: { service: 'temporary-removal', channel: 'app', billId: s.billId, relation: 'owner', applicant: applicantOf(s), reason: 'تخلیه ملک', ...overrides },
    });
    if (r.status !== 201) throw new Error(`file: ${r.status} ${JSON.stringify(r.json)}`);
    return { view: r.json, token };
  }

  async function act(code: string, username: string | { applicant: string }, action: string, payload: Record<string, unknown> = {}) {
    const token = typeof username === 'string' ? await staffToken(username) : await applicantToken(username.applicant);
    return api('POST', `/api/v1/requests/${code}/actions`, { token, body: { action, ...payload } });
  }

  async function view(code: string) {
    return (await api('GET', `/api/v1/requests/${code}`, { token: await staffToken('supervisor') })).json;
  }

  /** Pays every unpaid amount of the request through the gateway twin, as the payer's page would. */
  async function payAll(code: string, mobile: string, outcome: 'success' | 'failure' = 'success') {
    const token = await applicantToken(mobile);
    for (const due of (await view(code)).amountsDue.filter((d: { paid: boolean }) => !d.paid)) {
      const started = await api('POST', `/api/v1/requests/${code}/payments`, { token, body: { amountDueId: due.id } });
      if (started.status !== 201) throw new Error(`start payment: ${started.status} ${JSON.stringify(started.json)}`);
      const gatewayToken = new URL(started.json.paymentUrl).pathname.split('/').pop();
      const paid = await fetch(`${baseUrl}/__twins/gateway/pay/${gatewayToken}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome }) });
      if (paid.status >= 400) throw new Error(`gateway twin: ${paid.status} ${await paid.text()}`);
    }
  }

  /** Drives a freshly filed request forward to `target` along the happy path. */
  async function walkTo(code: string, mobile: string, target: string) {
    const order = ['submitted', 'awaiting-payment', 'meter-test', 'awaiting-acceptance', 'removal-scheduled', 'awaiting-settlement', 'completed'];
    const steps: Record<string, () => Promise<unknown>> = {
      submitted: () => act(code, 'clerk', 'quote'),
      'awaiting-payment': () => payAll(code, mobile),
      'meter-test': async () => {
        await act(code, 'meter-tester', 'record-meter-test', { result: 'ok', reading: 5000 });
        return act(code, 'clerk', 'announce-conditions');
      },
      'awaiting-acceptance': () => act(code, { applicant: mobile }, 'accept-conditions'),
      'removal-scheduled': () => act(code, 'field-crew', 'record-removal', { finalReading: 5100, equipmentCondition: 'intact' }),
      'awaiting-settlement': () => payAll(code, mobile),
    };
    for (let guard = 0; guard < 10; guard += 1) {
      const state = (await view(code)).state as string;
      if (state === target) return;
      if (order.indexOf(state) > order.indexOf(target) || !steps[state]) throw new Error(`cannot walk from ${state} to ${target}`);
      await steps[state]!();
    }
    throw new Error(`did not reach ${target}`);
  }

  /** Carries out every due outbox message now (SMS, billing calls), as the worker's next tick would. */
  async function flush(): Promise<void> {
    // Post-commit dispatches run in the background (some scheduled with setImmediate): let them finish first.
    await new Promise((resolve) => setImmediate(resolve));
    await app.barq.outbox.settled();
    for (let round = 0; round < 10; round += 1) if ((await app.barq.outbox.dispatch({ limit: 500 })) === 0) return;
  }

  /** Row counts of the tables a refused submission must not touch. */
  async function counts() {
    const db = app.barq.db;
    const n = async (table: 'requests' | 'requestEvents' | 'amountsDue' | 'payments' | 'idempotencyKeys' | 'connections') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return {
      requests: await n('requests'),
      events: await n('requestEvents'),
      amountsDue: await n('amountsDue'),
      payments: await n('payments'),
      idempotencyKeys: await n('idempotencyKeys'),
      connections: await n('connections'),
    };
  }

  /** The event rows of one request, oldest first, straight from the database. */
  async function eventRows(trackingCode: string) {
    const db = app.barq.db;
    const row = await db.selectFrom('requests').select('id').where('trackingCode', '=', trackingCode).executeTakeFirstOrThrow();
    return db.selectFrom('requestEvents').selectAll().where('requestId', '=', row.id).orderBy('id').execute();
  }

  /** A raw call with a string body (malformed JSON, odd content types); answers the unparsed body too. */
  async function raw(method: 'GET' | 'POST', url: string, init: { token?: string; payload?: string; contentType?: string } = {}) {
    const response = await app.inject({
      method,
      url,
      headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.contentType ? { 'content-type': init.contentType } : {}) },
      ...(init.payload !== undefined ? { payload: init.payload } : {}),
    });
    return { status: response.statusCode, body: response.body, headers: response.headers };
  }

  return {
    app,
    clock,
    /** The PostgreSQL database of this file (server runs only), for second instances. */
    databaseUrl: (database as { url?: string }).url,
    flush,
    counts,
    eventRows,
    raw,
    baseUrl,
    api,
    staffToken,
    applicantToken,
    subscriber,
    applicantOf,
    file,
    act,
    view,
    payAll,
    walkTo,
    sms: (to?: string) => app.barq.twins.sms!.messages(to),
    async close() {
      await app.close();
      await database.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
