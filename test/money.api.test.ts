// Money through the public API (issue 4): tariff versions, quotes with expiry, bill and payment
// IDs, online, counter and bank-channel payments, late and forged money, receipts, finance's flags
// and the daily reconciliation. Only the API, the twins and row counts (to prove refusals wrote nothing).
import { randomUUID } from 'node:crypto';
import { Bill } from '@persian-tools/persian-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TARIFF_1405 } from '../src/payments/tariffs.ts';
import { toPersianDigits } from '../src/platform/digits.ts';
import { ERRORS } from '../src/platform/errors.ts';
import { makeBillId, makePaymentId, parsePaymentId } from '../src/platform/identifiers.ts';
import { startTestApp, type ApiResponse, type TestApp } from './support/app.ts';

const PERSIAN = /[\u0600-\u06FF]/;
const DAY_MS = 86_400_000;

function useApp() {
  const ref = {} as { t: TestApp };
  beforeAll(async () => {
    ref.t = await startTestApp();
  });
  afterAll(async () => ref.t?.close());
  return ref;
}

function expectError(r: ApiResponse, status: number, code: string, field?: string) {
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  expect(r.json?.error?.code, JSON.stringify(r.json)).toBe(code);
  expect(Object.keys(ERRORS)).toContain(r.json.error.code);
  expect(r.json.error.message).toMatch(PERSIAN);
  if (field !== undefined) expect(r.json.error.details?.field, JSON.stringify(r.json)).toBe(field);
}

const demoItems = () => DEMO_TARIFF_1405.map((i) => ({ code: i.code, kind: i.kind, phase: i.phase, amperes: i.amperes, title: i.titleFa, amountRials: i.amountRials }));

type Due = { id: string; stage: string; purpose: string; amountRials: number; billId: string; paymentId: string; paid: boolean };

/** Row counts of the tables a refused money call must not touch. */
async function moneyCounts(t: TestApp) {
  const db = t.app.barq.db;
  const n = async (table: 'tariffVersions' | 'tariffItems' | 'payments' | 'paymentFlags' | 'requestEvents' | 'bankPayments') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const paid = Number((await db.selectFrom('amountsDue').select((eb) => eb.fn.countAll<number>().as('n')).where('paidAt', 'is not', null).executeTakeFirstOrThrow()).n);
  return { versions: await n('tariffVersions'), items: await n('tariffItems'), payments: await n('payments'), flags: await n('paymentFlags'), events: await n('requestEvents'), bank: await n('bankPayments'), paid };
}

/** Starts an online payment of one amount; answers the gateway token and our payment id. */
async function startOnline(t: TestApp, code: string, mobile: string, amountDueId: string) {
  const r = await t.api('POST', `/api/v1/requests/${code}/payments`, { token: await t.applicantToken(mobile), body: { amountDueId } });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return { token: new URL(r.json.paymentUrl).pathname.split('/').pop()!, paymentRowId: r.json.paymentId as string };
}

/** Completes a gateway payment as the payer's page would, capturing the callback the twin posted. */
async function completeAtGateway(t: TestApp, token: string, outcome: 'success' | 'failure' = 'success') {
  const captured: string[] = [];
  const previous = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    if (url.endsWith('/api/v1/payments/callback')) captured.push(String(init?.body));
    return previous(input, init);
  };
  try {
    const r = await fetch(`${t.baseUrl}/__twins/gateway/pay/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome }) });
    expect(r.status).toBeLessThan(400);
  } finally {
    globalThis.fetch = previous;
  }
  return captured;
}

const postCallback = (t: TestApp, fields: Record<string, string>) =>
  t.raw('POST', '/api/v1/payments/callback', { payload: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' });

async function bankPay(t: TestApp, body: { billId: string; paymentId: string; amountRials: number; reference: string }) {
  const r = await fetch(`${t.baseUrl}/__twins/billing/bank-payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

async function counterPay(t: TestApp, code: string, body: Record<string, unknown>, username = 'finance') {
  return t.api('POST', `/api/v1/requests/${code}/payments/counter`, { token: await t.staffToken(username), body });
}

async function flagsOf(t: TestApp, code: string) {
  const r = await t.api('GET', '/api/v1/finance/flags?status=all', { token: await t.staffToken('finance') });
  expect(r.status).toBe(200);
  return (r.json.flags as Array<Record<string, unknown>>).filter((f) => f.trackingCode === code);
}

describe('tariff versions', () => {
  const a = useApp();

  it('lists the demo version of 1405 in force, marked as demo, with every kind of row', async () => {
    const t = a.t;
    const r = await t.api('GET', '/api/v1/admin/tariffs', { token: await t.staffToken('admin') });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.versions).toHaveLength(1);
    const demo = r.json.versions[0];
    expect(demo).toMatchObject({ isDemo: true, inForce: true, effectiveFrom: '2026-03-20T20:30:00.000Z' });
    expect(demo.effectiveFromJalali).toContain('۱۴۰۵');
    expect(demo.note).toMatch(/نمایشی/);
    expect(new Set(demo.items.map((i: { kind: string }) => i.kind))).toEqual(new Set(['removal-fee', 'meter-test-fee', 'pishkhan-fee', 'reconnection-fee', 'damage']));
    expect(demo.items.find((i: { code: string }) => i.code === 'reconnection-3p')).toMatchObject({ kind: 'reconnection-fee', phase: 3, amountRials: 5_000_000 });
    expect((await t.api('GET', '/api/v1/admin/tariffs', { token: await t.staffToken('finance') })).status).toBe(200);
    expectError(await t.api('GET', '/api/v1/admin/tariffs', { token: await t.staffToken('clerk') }), 403, 'FORBIDDEN');
  });

  it('documents every money endpoint in the OpenAPI document, in Persian', async () => {
    const doc = (await a.t.api('GET', '/api/v1/openapi.json')).json;
    const paths = {
      '/api/v1/admin/tariffs': ['get', 'post'], '/api/v1/admin/tariffs/{id}': ['delete'], '/api/v1/requests/{trackingCode}/payments/counter': ['post'],
      '/api/v1/requests/{trackingCode}/receipts': ['get'], '/api/v1/receipts/{id}': ['get'], '/api/v1/finance/flags': ['get'],
      '/api/v1/finance/flags/{id}/resolve': ['post'], '/api/v1/finance/reconciliation': ['get'],
    };
    for (const [path, methods] of Object.entries(paths)) for (const method of methods) expect(doc.paths[path]?.[method]?.summary, `${method} ${path}`).toMatch(PERSIAN);
  });

  it('publishes a version for a future Jalali date; it comes into force at Tehran midnight', async () => {
    const t = a.t;
    const items = demoItems().map((i) => ({ ...i, amountRials: i.amountRials + 1_000 }));
    expectError(await t.api('POST', '/api/v1/admin/tariffs', { token: await t.staffToken('finance'), body: { effectiveFrom: '1406-01-01', note: 'x', items } }), 403, 'FORBIDDEN');
    const r = await t.api('POST', '/api/v1/admin/tariffs', { token: await t.staffToken('admin'), body: { effectiveFrom: '۱۴۰۶-۰۱-۰۱', note: 'مصوبه ۱۴۰۶', items } });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json).toMatchObject({ effectiveFrom: '2027-03-20T20:30:00.000Z', isDemo: false, inForce: false, scheduled: true, note: 'مصوبه ۱۴۰۶', createdBy: 'staff:admin' });
    expect(r.json.items).toHaveLength(items.length);
    const list = (await t.api('GET', '/api/v1/admin/tariffs', { token: await t.staffToken('admin') })).json.versions;
    expect(list.map((v: { inForce: boolean; isDemo: boolean }) => [v.isDemo, v.inForce])).toEqual([[false, false], [true, true]]);
    // Withdrawing a version before its date is allowed; one in force is never touched.
    expectError(await t.api('DELETE', `/api/v1/admin/tariffs/${list[1].id}`, { token: await t.staffToken('admin') }), 409, 'TARIFF_IN_FORCE');
    expect((await t.api('DELETE', `/api/v1/admin/tariffs/${r.json.id}`, { token: await t.staffToken('admin') })).status).toBe(204);
    expect((await t.api('GET', '/api/v1/admin/tariffs', { token: await t.staffToken('admin') })).json.versions).toHaveLength(1);
  });

  it('refuses bad versions with a Persian message and a stable code, writing nothing', async () => {
    const t = a.t;
    const token = await t.staffToken('admin');
    const ok = (await t.api('POST', '/api/v1/admin/tariffs', { token, body: { effectiveFrom: '1406-01-01', note: null, items: demoItems() } }));
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
    const before = await moneyCounts(t);
    const post = (body: Record<string, unknown>) => t.api('POST', '/api/v1/admin/tariffs', { token, body: { effectiveFrom: '1406-02-01', note: null, items: demoItems(), ...body } });
    const withItem = (index: number, patch: Record<string, unknown>) => demoItems().map((item, i) => (i === index ? { ...item, ...patch } : item));
    expectError(await post({ effectiveFrom: '1406-01-01' }), 409, 'TARIFF_OVERLAP', 'effectiveFrom');
    expectError(await post({ effectiveFrom: '1405-12-01' }), 409, 'TARIFF_OVERLAP', 'effectiveFrom');
    expectError(await post({ effectiveFrom: '1405-01-01' }), 409, 'TARIFF_IN_FORCE', 'effectiveFrom');
    expectError(await post({ effectiveFrom: '1405-09-14' }), 409, 'TARIFF_IN_FORCE', 'effectiveFrom');
    expectError(await post({ effectiveFrom: '1406-13-01' }), 400, 'INVALID_DATE', 'effectiveFrom');
    expectError(await post({ items: withItem(0, { kind: 'installation-fee' }) }), 400, 'UNKNOWN_TARIFF_KIND', 'items.0.kind');
    expectError(await post({ items: withItem(0, { amountRials: -1000 }) }), 400, 'INVALID_AMOUNT', 'items.0.amountRials');
    expectError(await post({ items: withItem(0, { amountRials: 3_450_000.5 }) }), 400, 'INVALID_AMOUNT', 'items.0.amountRials');
    expectError(await post({ items: withItem(0, { amountRials: 3_450_500 }) }), 400, 'INVALID_AMOUNT', 'items.0.amountRials');
    expectError(await post({ items: withItem(0, { amountRials: 1e16 }) }), 400, 'INVALID_AMOUNT', 'items.0.amountRials');
    expectError(await post({ items: withItem(0, { amountRials: '3450000' }) }), 400, 'VALIDATION_FAILED');
    expectError(await post({ items: [...demoItems(), { code: 'damage-roof', kind: 'damage', phase: null, amperes: null, title: 'خسارت سقف', amountRials: 1000 }] }), 400, 'UNKNOWN_TARIFF_ROW');
    expectError(await post({ items: demoItems().filter((i) => i.kind !== 'reconnection-fee') }), 400, 'TARIFF_INCOMPLETE', 'items');
    expectError(await post({ items: [] }), 400, 'VALIDATION_FAILED');
    expect(await moneyCounts(t)).toEqual(before);
  });

  it('quotes from the version in force on the day of the quote, recording the rows used', async () => {
    const t = a.t;
    const versions = (await t.api('GET', '/api/v1/admin/tariffs', { token: await t.staffToken('admin') })).json.versions;
    const s = t.subscriber((x) => x.owner.personType === 'natural' && x.connection.phase === 1 && x.connection.amperes === 25);
    const { view } = await t.file(s);
    const quoted = await t.act(view.trackingCode, 'clerk', 'quote');
    expect(quoted.status, JSON.stringify(quoted.json)).toBe(200);
    const fee = quoted.json.amountsDue.find((d: Due) => d.purpose === 'removal-fee');
    expect(fee.amountRials).toBe(3_450_000);
    const row = await t.app.barq.db.selectFrom('amountsDue').select(['tariffItems', 'tariffVersionId', 'expiresAt']).where('id', '=', fee.id).executeTakeFirstOrThrow();
    const demo = versions.find((v: { isDemo: boolean }) => v.isDemo);
    expect(row.tariffVersionId).toBe(demo.id);
    expect(row.tariffItems).toEqual([{ id: expect.any(String), code: 'removal-1p-25', amountRials: 3_450_000 }]);
    // The quote's expiry is the agreement's payment deadline (30 days), shown with the no-refund notice.
    expect(new Date(fee.expiresAt).getTime() - t.clock.now().getTime()).toBe(30 * DAY_MS);
    expect(fee.expiresAtJalali).toMatch(PERSIAN);
    expect(quoted.json.noRefundNotice).toMatch(/بایگانی/);
  });
});

describe('money on a request', () => {
  const a = useApp();

  it('pays a whole request online and issues a receipt for every payment', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural' && x.debtRials > 0);
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'completed');
    const done = await t.view(code);
    expect(done.totalDueRials).toBe(0);
    const r = await t.api('GET', `/api/v1/requests/${code}/receipts`, { token: await t.applicantToken(s.owner.mobile) });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.receipts).toHaveLength(done.amountsDue.length);
    for (const receipt of r.json.receipts) {
      const due = done.amountsDue.find((d: Due) => d.id === receipt.amountDueId);
      expect(receipt).toMatchObject({ trackingCode: code, method: 'online', amountRials: due.amountRials, billId: due.billId, paymentId: due.paymentId, recordedBy: null });
      expect(receipt.reference).toBeTruthy();
      expect(receipt.traceNo).toMatch(/^\d+$/);
      expect(receipt.paidAtJalali).toContain('۱۴۰۵');
      expect(receipt.amountText).toMatch(/ریال$/);
    }
    // The printable receipt: the owner and staff may open it; anyone else gets the same 404.
    const one = r.json.receipts.find((x: { purpose: string }) => x.purpose === 'consumption-debt');
    const page = await t.raw('GET', `/api/v1/receipts/${one.id}`, { token: await t.applicantToken(s.owner.mobile) });
    expect(page.status).toBe(200);
    expect(String(page.headers['content-type'])).toContain('text/html');
    expect(page.body).toContain('dir="rtl"');
    expect(page.body).toContain(toPersianDigits(code));
    expect(page.body).toContain(toPersianDigits(one.billId));
    expect(page.body).toContain(toPersianDigits(one.paymentId));
    expect(page.body).toContain(one.amountText);
    expect(page.body).toContain(toPersianDigits(one.traceNo));
    expect(page.body).toContain('۱۴۰۵');
    expect((await t.raw('GET', `/api/v1/receipts/${one.id}`, { token: await t.staffToken('auditor') })).status).toBe(200);
    const other = t.subscriber((x) => x.owner.personType === 'natural');
    expectError(await t.api('GET', `/api/v1/receipts/${one.id}?format=json`, { token: await t.applicantToken(other.owner.mobile) }), 404, 'NOT_FOUND');
    expectError(await t.api('GET', `/api/v1/requests/${code}/receipts`, { token: await t.applicantToken(other.owner.mobile) }), 404, 'NOT_FOUND');
    expectError(await t.api('GET', `/api/v1/receipts/${one.id}`), 401, 'UNAUTHENTICATED');
    expect((await t.api('GET', `/api/v1/receipts/${one.id}?format=json`, { token: await t.staffToken('finance') })).json).toMatchObject({ id: one.id, amountRials: one.amountRials });
  });

  it('records counter payments (POS and cash) by finance, shows who recorded them, and refuses bad ones', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural' && x.debtRials > 0);
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'awaiting-payment');
    const dues: Due[] = (await t.view(code)).amountsDue;
    expect(dues.length).toBeGreaterThanOrEqual(3);
    const reference = `RRN${Date.now()}`;

    const before = await moneyCounts(t);
    expectError(await counterPay(t, code, { amountDueId: dues[0]!.id, method: 'pos', reference }, 'clerk'), 403, 'FORBIDDEN');
    expectError(await counterPay(t, code, { amountDueId: dues[0]!.id, method: 'cheque', reference }), 400, 'VALIDATION_FAILED');
    expectError(await counterPay(t, code, { amountDueId: dues[0]!.id, method: 'pos', reference: '' }), 400, 'VALIDATION_FAILED');
    expectError(await counterPay(t, code, { amountDueId: randomUUID(), method: 'pos', reference }), 404, 'AMOUNT_DUE_NOT_FOUND');
    expect(await moneyCounts(t)).toEqual(before);

    const first = await counterPay(t, code, { amountDueId: dues[0]!.id, method: 'pos', reference });
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    expect(first.json).toMatchObject({ method: 'pos', reference, recordedBy: 'staff:finance', amountRials: dues[0]!.amountRials, billId: dues[0]!.billId, paymentId: dues[0]!.paymentId, trackingCode: code });
    const afterFirst = await moneyCounts(t);
    expectError(await counterPay(t, code, { amountDueId: dues[0]!.id, method: 'cash', reference: 'CASH-0001' }), 409, 'ALREADY_PAID', 'amountDueId');
    expectError(await counterPay(t, code, { amountDueId: dues[1]!.id, method: 'pos', reference }), 409, 'DUPLICATE_PAYMENT_REFERENCE', 'reference');
    expect(await moneyCounts(t)).toEqual(afterFirst);
    // The applicant may not pay again online what was paid at the counter.
    expectError(await t.api('POST', `/api/v1/requests/${code}/payments`, { token: await t.applicantToken(s.owner.mobile), body: { amountDueId: dues[0]!.id } }), 409, 'ALREADY_PAID');

    for (const [i, due] of dues.slice(1).entries()) {
      const r = await counterPay(t, code, { amountDueId: due.id, method: 'cash', reference: `CASH-${i + 1}-${Date.now()}` });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
    }
    const paid = await t.view(code);
    expect(paid.state).toBe('meter-test');
    // Auditors see who recorded each counter payment: in the event log and on the payment row.
    const events = await t.eventRows(code);
    const recorded = events.filter((e) => e.action === 'record-payment');
    expect(recorded).toHaveLength(dues.length);
    for (const e of recorded) expect(e).toMatchObject({ actorKind: 'staff', actorId: 'staff:finance', actorRole: 'finance', channel: 'counter', fromState: 'awaiting-payment', toState: 'awaiting-payment' });
    expect(events.at(-1)).toMatchObject({ action: 'confirm-payment', toState: 'meter-test' });
    expect(paid.events.filter((e: { action: string }) => e.action === 'record-payment')[0].actionTitle).toMatch(PERSIAN);
    const rows = await t.app.barq.db.selectFrom('payments').select(['method', 'recordedBy', 'status']).where('reference', 'like', 'CASH-%').execute();
    expect(rows.every((p) => p.recordedBy === 'staff:finance' && p.status === 'verified' && p.method === 'cash')).toBe(true);
    const receipts = (await t.api('GET', `/api/v1/requests/${code}/receipts`, { token: await t.staffToken('auditor') })).json.receipts;
    expect(receipts.map((x: { method: string }) => x.method).sort()).toEqual([...Array(dues.length - 1).fill('cash'), 'pos'].sort());
  });

  it('takes one amount once when two officers record it at the same moment, and one bank report once across pollers', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'awaiting-payment');
    const dues: Due[] = (await t.view(code)).amountsDue;
    const before = await moneyCounts(t);
    const results = await Promise.all([
      counterPay(t, code, { amountDueId: dues[0]!.id, method: 'pos', reference: `RACE-A-${code}` }),
      counterPay(t, code, { amountDueId: dues[0]!.id, method: 'cash', reference: `RACE-B-${code}` }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.json.error.code).toBe('ALREADY_PAID');
    const after = await moneyCounts(t);
    expect({ payments: after.payments - before.payments, flags: after.flags - before.flags, paid: after.paid - before.paid }).toEqual({ payments: 1, flags: 0, paid: 1 });

    await bankPay(t, { billId: dues[1]!.billId, paymentId: dues[1]!.paymentId, amountRials: dues[1]!.amountRials, reference: `RACE-BANK-${code}` });
    const polls = await Promise.all([t.app.barq.payments.pollBankPayments(), t.app.barq.payments.pollBankPayments(), t.app.barq.payments.pollBankPayments()]);
    expect(polls.reduce((sum, p) => sum + p.matched, 0)).toBe(1);
    const rows = await t.app.barq.db.selectFrom('payments').select('id').where('amountDueId', '=', dues[1]!.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('bills damages from the meter-test and removal records, priced from the damage list, then settles', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural' && x.connection.phase === 1);
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'meter-test');
    expect((await t.act(code, 'meter-tester', 'record-meter-test', { result: 'damaged', reading: 5000, damagedItems: ['seal'] })).status).toBe(200);
    const announced = await t.act(code, 'clerk', 'announce-conditions');
    expect(announced.json.conditions.damageTotalRials).toBe(350_000);
    expect((await t.act(code, { applicant: s.owner.mobile }, 'accept-conditions')).status).toBe(200);
    await t.flush(); // the quote's debt payment has reached billing
    // Billing prices the consumption up to the crew's final reading, at the moment of the removal.
    const expectedDebt = (await t.app.barq.billing.getFinalDebt(s.billId, 5150)).debtRials;
    const removed = await t.act(code, 'field-crew', 'record-removal', { finalReading: 5150, equipmentCondition: 'damaged', damagedItems: ['meter-box', 'seal'] });
    expect(removed.status, JSON.stringify(removed.json)).toBe(200);
    expect(removed.json.state).toBe('awaiting-settlement');
    const settlement: Due[] = removed.json.amountsDue.filter((d: Due) => d.stage === 'settlement');
    expect(settlement.filter((d) => d.purpose === 'damage').map((d) => d.amountRials).sort((x, y) => x - y)).toEqual([350_000, 4_800_000]);
    const debt = settlement.find((d) => d.purpose === 'final-consumption-debt')!;
    expect(expectedDebt).toBeGreaterThan(0);
    expect(debt.amountRials).toBe(expectedDebt - (expectedDebt % 1000));
    expect(removed.json.removal.finalBillRials).toBe(settlement.reduce((sum, d) => sum + d.amountRials, 0));
    const rows = await t.app.barq.db.selectFrom('amountsDue').select(['purpose', 'tariffItems']).where('id', 'in', settlement.map((d) => d.id)).execute();
    expect(rows.filter((r) => r.purpose === 'damage').map((r) => (r.tariffItems as Array<{ code: string }>)[0]!.code).sort()).toEqual(['damage-meter-box', 'damage-seal']);
    for (const due of settlement) expect((await counterPay(t, code, { amountDueId: due.id, method: 'pos', reference: `POS-${due.id.slice(0, 8)}` })).status).toBe(201);
    expect((await t.view(code)).state).toBe('completed');
  });

  it('completes at once when the final bill is zero', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural' && x.debtRials === 0);
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'meter-test');
    expect((await t.act(code, 'meter-tester', 'record-meter-test', { result: 'ok', reading: s.connection.lastReading })).status).toBe(200);
    expect((await t.act(code, 'clerk', 'announce-conditions')).status).toBe(200);
    expect((await t.act(code, { applicant: s.owner.mobile }, 'accept-conditions')).status).toBe(200);
    const r = await t.act(code, 'field-crew', 'record-removal', { finalReading: s.connection.lastReading, equipmentCondition: 'intact' });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.state).toBe('completed');
    expect(r.json.removal.finalBillRials).toBe(0);
    expect(r.json.amountsDue.filter((d: Due) => d.stage === 'settlement')).toEqual([]);
    const receipts = (await t.api('GET', `/api/v1/requests/${code}/receipts`, { token: await t.applicantToken(s.owner.mobile) })).json.receipts;
    expect(receipts.every((x: { stage: string }) => x.stage === 'quote')).toBe(true);
  });

  it('ignores duplicate, forged, replayed and mismatched callbacks, logging each, and flags money of another amount', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural' && x.debtRials > 0);
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'awaiting-payment');
    const dues: Due[] = (await t.view(code)).amountsDue;

    // A real payment of the first amount, then its callback again (duplicate).
    const first = await startOnline(t, code, s.owner.mobile, dues[0]!.id);
    const [realCallback] = await completeAtGateway(t, first.token);
    const real = Object.fromEntries(new URLSearchParams(realCallback!));
    const before = await moneyCounts(t);
    const dup = await postCallback(t, real);
    expect(dup.status).toBe(303);
    expect(String(dup.headers.location)).toContain('payment=duplicate');

    // Forged: an unknown token. Replayed: the real RefNum on another pending payment of ours.
    expect(String((await postCallback(t, { ...real, Token: randomUUID().replace(/-/g, '') })).headers.location)).toContain('payment=unknown');
    const second = await startOnline(t, code, s.owner.mobile, dues[1]!.id);
    const replay = await postCallback(t, { ...real, Token: second.token, ResNum: second.paymentRowId });
    expect(String(replay.headers.location)).toContain('payment=mismatch');

    // Mismatched amount: a transaction the gateway settled for another amount under our invoice number.
    const other = await fetch(`${t.baseUrl}/__twins/gateway/onlinepg/onlinepg`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'token', TerminalId: 'twin-terminal', Amount: dues[1]!.amountRials + 1000, ResNum: second.paymentRowId, RedirectUrl: `${t.baseUrl}/api/v1/payments/callback` }),
    }).then((r) => r.json() as Promise<{ token: string }>);
    const [otherCallback] = await completeAtGateway(t, other.token); // answered "unknown token" by us
    const otherFields = Object.fromEntries(new URLSearchParams(otherCallback!));
    const mismatch = await postCallback(t, { ...otherFields, Token: second.token, ResNum: second.paymentRowId });
    expect(String(mismatch.headers.location)).toContain('payment=mismatch');

    const after = await moneyCounts(t);
    expect({ ...after, payments: before.payments, flags: before.flags }).toEqual({ ...before });
    expect(after.payments).toBe(before.payments + 1); // the second payment row (pending, then failed)
    const now = await t.view(code);
    expect(now.amountsDue.filter((d: Due) => d.paid).map((d: Due) => d.id)).toEqual([dues[0]!.id]);
    expect(now.state).toBe('awaiting-payment');
    const flags = await flagsOf(t, code);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ kind: 'amount-mismatch', amountRials: dues[1]!.amountRials, details: { verifiedAmountRials: dues[1]!.amountRials + 1000 } });
    const logged = await t.app.barq.db.selectFrom('paymentCallbacks').select(['outcome']).orderBy('receivedAt').execute();
    expect(logged.map((c) => c.outcome)).toEqual(expect.arrayContaining(['paid', 'duplicate', 'unknown', 'duplicate-reference', 'mismatch']));
    // The second amount can still be paid properly.
    const retry = await startOnline(t, code, s.owner.mobile, dues[1]!.id);
    await completeAtGateway(t, retry.token);
    expect((await t.view(code)).amountsDue.find((d: Due) => d.id === dues[1]!.id).paid).toBe(true);
  });

  it('records a payment verified after the request was withdrawn, and flags it for finance', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'awaiting-payment');
    const due: Due = (await t.view(code)).amountsDue[0];
    const started = await startOnline(t, code, s.owner.mobile, due.id);
    expect((await t.act(code, { applicant: s.owner.mobile }, 'withdraw')).status).toBe(200);
    // The payer was already on the gateway's page and pays: the money is recorded, never lost.
    await completeAtGateway(t, started.token);
    const after = await t.view(code);
    expect(after.state).toBe('withdrawn');
    expect(after.amountsDue.find((d: Due) => d.id === due.id).paid).toBe(true);
    const flags = await flagsOf(t, code);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ kind: 'request-closed', requestState: 'withdrawn', amountRials: due.amountRials, billId: due.billId, paymentId: due.paymentId, method: 'online', resolvedAt: null });
    expect(flags[0]!.title).toMatch(PERSIAN);
    expect((await t.api('GET', `/api/v1/requests/${code}/receipts`, { token: await t.applicantToken(s.owner.mobile) })).json.receipts).toHaveLength(1);
    // No refund, and no more payments for a withdrawn request; finance closes the flag with a note.
    expectError(await counterPay(t, code, { amountDueId: (await t.view(code)).amountsDue[1].id, method: 'cash', reference: 'CASH-W-1' }), 409, 'PAYMENT_NOT_EXPECTED');
    const id = flags[0]!.id as string;
    expectError(await t.api('POST', `/api/v1/finance/flags/${id}/resolve`, { token: await t.staffToken('auditor'), body: { note: 'بررسی شد' } }), 403, 'FORBIDDEN');
    expect((await t.api('POST', `/api/v1/finance/flags/${id}/resolve`, { token: await t.staffToken('finance'), body: { note: 'طبق بند ۴ بازپرداخت ندارد' } })).status).toBe(204);
    expectError(await t.api('POST', `/api/v1/finance/flags/${id}/resolve`, { token: await t.staffToken('finance'), body: { note: 'دوباره' } }), 409, 'INVALID_TRANSITION');
    const open = (await t.api('GET', '/api/v1/finance/flags', { token: await t.staffToken('finance') })).json.flags;
    expect(open.some((f: { id: string }) => f.id === id)).toBe(false);
    expect((await flagsOf(t, code))[0]).toMatchObject({ resolvedBy: 'staff:finance', resolutionNote: 'طبق بند ۴ بازپرداخت ندارد' });
  });

  it('matches payments made at any bank channel when billing reports them, once', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural' && x.debtRials > 0);
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'awaiting-payment');
    const dues: Due[] = (await t.view(code)).amountsDue;
    for (const [i, due] of dues.entries()) {
      const r = await bankPay(t, { billId: due.billId, paymentId: due.paymentId, amountRials: due.amountRials, reference: `BANK-${code}-${i}` });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
    }
    expect((await bankPay(t, { billId: dues[0]!.billId, paymentId: dues[0]!.paymentId, amountRials: dues[0]!.amountRials, reference: `BANK-${code}-0` })).json).toMatchObject({ duplicate: true });
    expect((await bankPay(t, { billId: dues[0]!.billId, paymentId: '123456789', amountRials: 1000, reference: 'X' })).status).toBe(400);
    // A valid pair we never issued, and one of ours paid with another amount.
    const stranger = makeBillId('9876543', '131');
    await bankPay(t, { billId: stranger, paymentId: makePaymentId({ billId: stranger, amountRials: 50_000, jalaliYear: 1405, period: 9 }), amountRials: 50_000, reference: `BANK-${code}-stranger` });

    const taken = await t.app.barq.payments.pollBankPayments();
    expect(taken).toMatchObject({ received: dues.length + 1, matched: dues.length, flagged: 1 });
    expect(await t.app.barq.payments.pollBankPayments()).toEqual({ received: 0, matched: 0, flagged: 0 });
    await t.flush();
    const paid = await t.view(code);
    expect(paid.state).toBe('meter-test');
    expect(paid.events.find((e: { action: string }) => e.action === 'confirm-payment').payload.method).toBe('bank');
    const receipts = (await t.api('GET', `/api/v1/requests/${code}/receipts`, { token: await t.applicantToken(s.owner.mobile) })).json.receipts;
    expect(receipts.map((r: { method: string; reference: string }) => r.method)).toEqual(dues.map(() => 'bank'));
    const unmatched = (await t.api('GET', '/api/v1/finance/flags', { token: await t.staffToken('finance') })).json.flags.find((f: { kind: string; details: { reference?: string } }) => f.kind === 'unmatched-bank-payment' && f.details.reference === `BANK-${code}-stranger`);
    expect(unmatched).toMatchObject({ amountRials: 50_000, trackingCode: null });
    // The debt paid at the bank is reported to billing like any other.
    const subscriber = t.app.barq.twins.billing!.subscribers().find((x) => x.billId === s.billId)!;
    expect(subscriber.debtRials).toBe(s.debtRials - dues.find((d) => d.purpose === 'consumption-debt')!.amountRials);

    // Another amount than the payment ID carries: recorded, flagged, the amount stays unpaid.
    const s2 = t.subscriber((x) => x.owner.personType === 'natural');
    const { view: v2 } = await t.file(s2);
    await t.walkTo(v2.trackingCode, s2.owner.mobile, 'awaiting-payment');
    const due2: Due = (await t.view(v2.trackingCode)).amountsDue[0];
    await bankPay(t, { billId: due2.billId, paymentId: due2.paymentId, amountRials: due2.amountRials - 1000, reference: `BANK-${v2.trackingCode}-short` });
    expect(await t.app.barq.payments.pollBankPayments()).toMatchObject({ received: 1, matched: 0, flagged: 1 });
    expect((await t.view(v2.trackingCode)).amountsDue[0].paid).toBe(false);
    expect((await flagsOf(t, v2.trackingCode))[0]).toMatchObject({ kind: 'amount-mismatch', amountRials: due2.amountRials - 1000 });
  });

  it('exports the day for finance: CSV with a byte-order mark, and the same data as JSON', async () => {
    const t = a.t;
    const token = await t.staffToken('finance');
    const json = await t.api('GET', '/api/v1/finance/reconciliation?date=1405-09-14&format=json', { token });
    expect(json.status, JSON.stringify(json.json)).toBe(200);
    const r = json.json;
    expect(r).toMatchObject({ date: '1405-09-14', from: '2026-12-04T20:30:00.000Z', to: '2026-12-05T20:30:00.000Z' });
    const channels = r.totals.byChannel.map((c: { method: string }) => c.method);
    expect(channels).toEqual(expect.arrayContaining(['online', 'bank', 'pos', 'cash']));
    expect(r.totals.paidRials).toBe(r.payments.reduce((sum: number, p: { paidRials: number }) => sum + p.paidRials, 0));
    expect(r.totals.byChannel.reduce((sum: number, c: { rials: number }) => sum + c.rials, 0)).toBe(r.totals.paidRials);
    expect(r.totals.amountsDueRials).toBe(r.amountsDue.reduce((sum: number, a: { amountRials: number }) => sum + a.amountRials, 0));
    expect(r.payments.filter((p: { method: string; reference: string | null }) => p.method === 'online').every((p: { reference: string | null }) => p.reference)).toBe(true);
    const kinds = r.mismatches.map((m: { kind: string }) => m.kind);
    expect(kinds).toEqual(expect.arrayContaining(['request-closed', 'amount-mismatch', 'unmatched-bank-payment', 'callback-unknown']));

    const csv = await t.raw('GET', '/api/v1/finance/reconciliation?date=۱۴۰۵-۰۹-۱۴', { token });
    expect(csv.status).toBe(200);
    expect(String(csv.headers['content-type'])).toContain('text/csv');
    expect(String(csv.headers['content-disposition'])).toContain('reconciliation-1405-09-14.csv');
    const raw = Buffer.from(csv.body, 'utf8');
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('شناسه پرداخت');
    expect(lines.filter((l) => l.startsWith('payment,'))).toHaveLength(r.payments.length);
    expect(lines.at(-1)).toContain(`,${r.totals.paidRials},`);
    for (const p of r.payments.filter((x: { reference: string | null }) => x.reference)) expect(csv.body).toContain(p.reference);

    const empty = await t.api('GET', '/api/v1/finance/reconciliation?date=1405-09-20&format=json', { token });
    expect(empty.json.totals).toMatchObject({ paymentsCount: 0, paidRials: 0, amountsDueCount: 0 });
    expectError(await t.api('GET', '/api/v1/finance/reconciliation?date=1405-07-31', { token }), 400, 'INVALID_DATE', 'date');
    expectError(await t.api('GET', '/api/v1/finance/reconciliation?date=1405-09-14', { token: await t.staffToken('clerk') }), 403, 'FORBIDDEN');
    expect((await t.api('GET', '/api/v1/finance/reconciliation?date=1405-09-14&format=json', { token: await t.staffToken('auditor') })).status).toBe(200);
  });

  it('issues bill and payment IDs that all validate with persian-tools — a thousand of them', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    const request = await t.app.barq.db.selectFrom('requests').select('id').where('trackingCode', '=', view.trackingCode).executeTakeFirstOrThrow();
    const amounts = Array.from({ length: 1000 }, (_, i) => (i === 999 ? 1_000_000_000_000 : (1 + ((i * 7_919) % 999_983)) * 1000 * (i % 3 === 0 ? 1_000 : 1)));
    await t.app.barq.db.transaction().execute((trx) =>
      t.app.barq.payments.addAmountsDue(trx, { requestId: request.id, stage: 'quote', lines: amounts.map((amountRials, i) => ({ purpose: 'removal-fee', titleFa: `ردیف ${i}`, amountRials, tariffItems: [] })) }),
    );
    const issued = await t.app.barq.db.selectFrom('amountsDue').select(['billId', 'paymentId', 'amountRials']).execute();
    expect(issued.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(issued.map((d) => d.billId)).size).toBe(issued.length);
    for (const d of issued) {
      const bill = new Bill({ billId: Number(d.billId), paymentId: Number(d.paymentId), currency: 'rial' });
      expect(bill.verificationBill(), `${d.billId}/${d.paymentId}`).toBe(true);
      expect(bill.getBillType()).toBe('برق');
      expect(bill.getAmount()).toBe(d.amountRials);
      expect(parsePaymentId(d.billId, d.paymentId)?.amountRials).toBe(d.amountRials);
    }
  });
});

describe('late money', () => {
  const a = useApp();

  it('refuses to start paying an expired quote, but records money that arrives after it, flagged', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'awaiting-payment');
    const dues: Due[] = (await t.view(code)).amountsDue;
    const started = await startOnline(t, code, s.owner.mobile, dues[0]!.id);
    t.clock.advance(31 * DAY_MS);
    const before = await moneyCounts(t);
    expectError(await t.api('POST', `/api/v1/requests/${code}/payments`, { token: await t.applicantToken(s.owner.mobile), body: { amountDueId: dues[1]!.id } }), 409, 'QUOTE_EXPIRED');
    expectError(await counterPay(t, code, { amountDueId: dues[1]!.id, method: 'pos', reference: 'POS-LATE-1' }), 409, 'QUOTE_EXPIRED');
    expect(await moneyCounts(t)).toEqual(before);
    // The payer who was already on the gateway's page, and the one who paid at a bank: recorded, flagged.
    await completeAtGateway(t, started.token);
    for (const due of dues.slice(1)) await bankPay(t, { billId: due.billId, paymentId: due.paymentId, amountRials: due.amountRials, reference: `LATE-${due.id}` });
    expect(await t.app.barq.payments.pollBankPayments()).toMatchObject({ matched: dues.length - 1 });
    const after = await t.view(code);
    expect(after.amountsDue.every((d: Due) => d.paid)).toBe(true);
    expect(after.state).toBe('meter-test');
    const flags = await flagsOf(t, code);
    expect(flags.map((f) => f.kind)).toEqual(dues.map(() => 'after-expiry'));
  });
});

describe('10^12 rials end to end', () => {
  const a = useApp();

  it('survives a tariff row of 10^12 rials through the quote, the IDs, the payment, the receipt and the CSV', async () => {
    const t = a.t;
    const big = 1_000_000_000_000;
    const items = demoItems().map((i) => (i.code === 'removal-1p-25' ? { ...i, amountRials: big } : i));
    const published = await t.api('POST', '/api/v1/admin/tariffs', { token: await t.staffToken('admin'), body: { effectiveFrom: '1405-09-15', note: 'آزمون مبلغ بزرگ', items } });
    expect(published.status, JSON.stringify(published.json)).toBe(201);
    expect(published.json.items.find((i: { code: string }) => i.code === 'removal-1p-25').amountRials).toBe(big);
    t.clock.advance(DAY_MS); // 1405-09-15, 09:00 Tehran: the new version is in force
    expect((await t.api('GET', '/api/v1/admin/tariffs', { token: await t.staffToken('admin') })).json.versions[0]).toMatchObject({ inForce: true, isDemo: false });

    const s = t.subscriber((x) => x.owner.personType === 'natural' && x.connection.phase === 1 && x.connection.amperes === 25);
    const { view } = await t.file(s);
    const code = view.trackingCode;
    const quoted = await t.act(code, 'clerk', 'quote');
    expect(quoted.status, JSON.stringify(quoted.json)).toBe(200);
    const due: Due = quoted.json.amountsDue.find((d: Due) => d.purpose === 'removal-fee');
    expect(due.amountRials).toBe(big);
    expect(typeof due.amountRials).toBe('number');
    expect(parsePaymentId(due.billId, due.paymentId)?.amountRials).toBe(big);
    expect(due.paymentId.startsWith('1000000000')).toBe(true);
    expect(new Bill({ billId: Number(due.billId), paymentId: Number(due.paymentId), currency: 'rial' }).getAmount()).toBe(big);
    expect(quoted.json.totalDueRials).toBe(quoted.json.amountsDue.reduce((sum: number, d: Due) => sum + d.amountRials, 0));
    expect(t.sms(s.owner.mobile)[0]?.text ?? '').toBeDefined();

    const started = await startOnline(t, code, s.owner.mobile, due.id);
    await completeAtGateway(t, started.token);
    const receipts = (await t.api('GET', `/api/v1/requests/${code}/receipts`, { token: await t.applicantToken(s.owner.mobile) })).json.receipts;
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ amountRials: big, amountText: '۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال', paymentId: due.paymentId });
    const page = await t.raw('GET', `/api/v1/receipts/${receipts[0].id}`, { token: await t.applicantToken(s.owner.mobile) });
    expect(page.body).toContain('۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال');
    const stored = await t.app.barq.db.selectFrom('payments').select(['amountRials', 'status']).where('id', '=', receipts[0].id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ amountRials: big, status: 'verified' });

    const csv = await t.raw('GET', '/api/v1/finance/reconciliation?date=1405-09-15', { token: await t.staffToken('finance') });
    expect(csv.body).toContain(`,${big},${big},online,`);
    const json = (await t.api('GET', '/api/v1/finance/reconciliation?date=1405-09-15&format=json', { token: await t.staffToken('finance') })).json;
    expect(json.totals.byChannel.find((c: { method: string }) => c.method === 'online').rials).toBe(big);
  });
});
