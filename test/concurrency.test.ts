// Conflicting actions on one request at the same time: exactly one wins, the others get 409, and
// the event log holds exactly one event for the step. Meaningful on PostgreSQL with a real pool
// (DATABASE_URL); on embedded PostgreSQL the same calls run serialised and must agree.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BillingSubscriber } from '../src/billing/billing.adapter.ts';
import { startTestApp, type ApiResponse, type TestApp } from './support/app.ts';
import { onPostgres } from './support/database.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ poolSize: 10 });
  // Sign everyone in up front, so the races are between actions, not logins.
  for (const role of ['clerk', 'supervisor', 'meter-tester', 'field-crew', 'pishkhan-operator']) await t.staffToken(role);
});
afterAll(async () => t?.close());

/**
 * Runs `calls` at once against one request. On PostgreSQL the request's row is held locked by
 * another transaction until every call has loaded the request and is blocked on its
 * compare-and-set, so the race is real and its outcome certain: exactly one winner. Embedded
 * PostgreSQL has one session, so there the calls run one after another (serialised).
 */
async function race(code: string, calls: Array<() => Promise<ApiResponse>>): Promise<ApiResponse[]> {
  if (!onPostgres) return Promise.all(calls.map((call) => call()));
  const db = t.app.barq.db;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = db.transaction().execute(async (trx) => {
    await sql`select id from requests where tracking_code = ${code} for update`.execute(trx);
    locked();
    await released;
  });
  await isLocked;
  const results = Promise.all(calls.map((call) => call()));
  try {
    await vi.waitFor(
      async () => {
        const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
        expect(waiting.rows[0]!.n).toBe(calls.length);
      },
      { timeout: 10_000, interval: 10 },
    );
  } finally {
    release();
    await holder;
  }
  return results;
}

const summary = (rs: ApiResponse[]) => rs.map((r) => `${r.status} ${r.json?.error?.code ?? r.json?.state ?? ''}`).join(', ');

function expectOneWinner(results: ApiResponse[]) {
  const ok = results.filter((r) => r.status === 200);
  expect(ok, summary(results)).toHaveLength(1);
  for (const r of results.filter((x) => x.status !== 200)) {
    expect(r.status, summary(results)).toBe(409);
    expect(['INVALID_TRANSITION', 'CONCURRENT_UPDATE'], summary(results)).toContain(r.json.error.code);
  }
  return ok[0]!;
}

async function fresh(): Promise<{ s: BillingSubscriber; code: string }> {
  const s = t.subscriber((x) => x.owner.personType === 'natural');
  const { view } = await t.file(s);
  await t.applicantToken(s.owner.mobile);
  return { s, code: view.trackingCode };
}

describe('parallel conflicting actions', () => {
  it('quotes once when clerks and supervisors quote at the same time', async () => {
    const { code } = await fresh();
    const results = await race(code, Array.from({ length: 8 }, (_, i) => () => t.act(code, i % 2 ? 'supervisor' : 'clerk', 'quote')));
    const winner = expectOneWinner(results);
    expect(winner.json.state).toBe('awaiting-payment');
    const events = await t.eventRows(code);
    expect(events.filter((e) => e.action === 'quote')).toHaveLength(1);
    // The amounts of the quote were written once.
    const v = await t.view(code);
    expect(v.amountsDue.length).toBe(winner.json.amountsDue.length);
    expect(new Set(v.amountsDue.map((d: { purpose: string }) => d.purpose)).size).toBe(v.amountsDue.length);
    expect(v.state).toBe('awaiting-payment');
  });

  it('loses no meter-test record when eight are recorded at the same time', async () => {
    const { s, code } = await fresh();
    await t.walkTo(code, s.owner.mobile, 'meter-test');
    const before = (await t.eventRows(code)).length;
    const results = await race(code, Array.from({ length: 8 }, (_, i) => () => t.act(code, 'meter-tester', 'record-meter-test', { result: 'ok', reading: 5000 + i })));
    const ok = results.filter((r) => r.status === 200);
    if (onPostgres) expectOneWinner(results);
    else expect(ok.length, summary(results)).toBeGreaterThanOrEqual(1); // serialised: each record sees the one before it
    for (const r of results.filter((x) => x.status !== 200)) expect(r.json.error.code, summary(results)).toBe('CONCURRENT_UPDATE');
    // Every success is exactly one event, and what is stored is the last recorded.
    const recorded = (await t.eventRows(code)).slice(before);
    expect(recorded.map((e) => e.action)).toEqual(ok.map(() => 'record-meter-test'));
    expect(recorded.map((e) => (e.payload as { reading: number }).reading).sort()).toEqual(ok.map((r) => r.json.meterTest.reading).sort());
    const v = await t.view(code);
    expect(v.state).toBe('meter-test');
    expect(v.meterTest.reading).toBe((recorded.at(-1)!.payload as { reading: number }).reading);
  });

  it('lets exactly one of accept, refuse and withdraw leave awaiting-acceptance', async () => {
    const { s, code } = await fresh();
    await t.walkTo(code, s.owner.mobile, 'awaiting-acceptance');
    const before = (await t.eventRows(code)).length;
    const applicant = { applicant: s.owner.mobile };
    const results = await race(code, [
      () => t.act(code, applicant, 'accept-conditions'),
      () => t.act(code, applicant, 'refuse-conditions'),
      () => t.act(code, applicant, 'withdraw'),
      () => t.act(code, 'clerk', 'accept-conditions'),
      () => t.act(code, 'clerk', 'withdraw'),
      () => t.act(code, applicant, 'accept-conditions'),
      () => t.act(code, 'clerk', 'refuse-conditions'),
      () => t.act(code, applicant, 'withdraw'),
    ]);
    const added = (await t.eventRows(code)).slice(before);
    const ok = results.filter((r) => r.status === 200);
    if (onPostgres) expectOneWinner(results);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status, summary(results)).toBe(409);
      expect(['INVALID_TRANSITION', 'CONCURRENT_UPDATE']).toContain(r.json.error.code);
    }
    // One step out of awaiting-acceptance; every success is one event; the events form a chain.
    expect(added.filter((e) => e.fromState === 'awaiting-acceptance'), summary(results)).toHaveLength(1);
    expect(added).toHaveLength(ok.length);
    let state = 'awaiting-acceptance';
    for (const e of added) {
      expect(e.fromState).toBe(state);
      state = e.toState;
    }
    // Serialised, a withdrawal may legitimately follow an acceptance; nothing else may follow.
    if (added.length > 1) expect(added.map((e) => e.action)).toEqual(['accept-conditions', 'withdraw']);
    expect((await t.view(code)).state).toBe(state);
  });

  it('lets exactly one of accept and refuse win, from the applicant, the office and the clerk', async () => {
    const { s, code } = await fresh();
    await t.walkTo(code, s.owner.mobile, 'awaiting-acceptance');
    const applicant = { applicant: s.owner.mobile };
    const results = await race(code, Array.from({ length: 8 }, (_, i) => () => t.act(code, i % 3 === 0 ? 'clerk' : applicant, i % 2 ? 'refuse-conditions' : 'accept-conditions')));
    const winner = expectOneWinner(results);
    const events = await t.eventRows(code);
    expect(events.filter((e) => e.fromState === 'awaiting-acceptance')).toHaveLength(1);
    expect((await t.view(code)).state).toBe(winner.json.state);
  });

  it('lets exactly one of reject and quote win on a fresh request', async () => {
    const { code } = await fresh();
    const results = await race(code, [
      () => t.act(code, 'clerk', 'quote'),
      () => t.act(code, 'supervisor', 'reject', { reason: 'مدارک ناقص' }),
      () => t.act(code, 'supervisor', 'quote'),
      () => t.act(code, 'clerk', 'reject', { reason: 'مدارک ناقص' }),
      () => t.act(code, 'clerk', 'quote'),
      () => t.act(code, 'supervisor', 'reject', { reason: 'مالک نیست' }),
      () => t.act(code, 'supervisor', 'quote'),
      () => t.act(code, 'clerk', 'reject', { reason: 'مالک نیست' }),
    ]);
    const winner = expectOneWinner(results);
    const events = await t.eventRows(code);
    expect(events.filter((e) => e.fromState === 'submitted')).toHaveLength(1);
    const v = await t.view(code);
    expect(v.state).toBe(winner.json.state);
    // Amounts exist only if the quote won.
    expect(v.amountsDue.length > 0).toBe(v.state === 'awaiting-payment');
  });

  it('records one removal when the crew records it eight times at once', async () => {
    const { s, code } = await fresh();
    await t.walkTo(code, s.owner.mobile, 'removal-scheduled');
    const results = await race(code, Array.from({ length: 8 }, (_, i) => () => t.act(code, 'field-crew', 'record-removal', { finalReading: 5100 + i, equipmentCondition: 'intact' })));
    const winner = expectOneWinner(results);
    const events = await t.eventRows(code);
    expect(events.filter((e) => e.action === 'record-removal')).toHaveLength(1);
    const v = await t.view(code);
    expect(v.state).toBe(winner.json.state);
    expect(v.removal.finalReading).toBe(winner.json.removal.finalReading);
    // The final bill is written once.
    const settlement = v.amountsDue.filter((d: { stage: string }) => d.stage === 'settlement');
    expect(settlement.length).toBe(winner.json.amountsDue.filter((d: { stage: string }) => d.stage === 'settlement').length);
    expect(settlement.length).toBeGreaterThan(0);
  });

  it('files one request when the same bill ID is submitted twice at once without keys', async () => {
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const token = await t.applicantToken(s.owner.mobile);
    const operator = await t.staffToken('pishkhan-operator');
    const body = { service: 'temporary-removal', billId: s.billId, relation: 'owner', applicant: t.applicantOf(s), reason: 'تخلیه ملک' };
    const results = await Promise.all([
      t.api('POST', '/api/v1/requests', { token, body: { ...body, channel: 'app' } }),
      t.api('POST', '/api/v1/requests', { token: operator, body: { ...body, channel: 'pishkhan' } }),
    ]);
    expect(results.map((r) => r.status).sort(), summary(results)).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.json.error.code).toBe('OPEN_REQUEST_EXISTS');
    const rows = await t.app.barq.db.selectFrom('requests').select(['id', 'trackingCode']).where('billId', '=', s.billId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.trackingCode).toBe(results.find((r) => r.status === 201)!.json.trackingCode);
    expect((await t.eventRows(rows[0]!.trackingCode)).map((e) => e.action)).toEqual(['submit']);
  });

  it('files one request when the same bill ID is submitted eight times at once', async () => {
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const token = await t.applicantToken(s.owner.mobile);
    const body = { service: 'temporary-removal', channel: 'web', billId: s.billId, relation: 'owner', applicant: t.applicantOf(s) };
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => t.api('POST', '/api/v1/requests', { token, body: { ...body, reason: `تلاش ${i}` } })));
    expect(results.filter((r) => r.status === 201), summary(results)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status, summary(results)).toBe(409);
      expect(r.json.error.code).toBe('OPEN_REQUEST_EXISTS');
    }
    const rows = await t.app.barq.db.selectFrom('requests').select('id').where('billId', '=', s.billId).execute();
    expect(rows).toHaveLength(1);
  });
});
