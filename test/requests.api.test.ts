// The request lifecycle as an outside integrator checks it: only the public API (inject), the
// twins' listings and, to prove that refused calls wrote nothing, row counts in the database.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BillingSubscriber } from '../src/billing/billing.adapter.ts';
import { DEMO_OFFICE_CODE } from '../src/cli/demo.ts';
import { formatRials, toPersianDigits } from '../src/platform/digits.ts';
import { ERRORS } from '../src/platform/errors.ts';
import { makeBillId, makeNationalCode, normalizeLegalNationalId, normalizeNationalCode, parseBillId, parsePaymentId } from '../src/platform/identifiers.ts';
import { generateTrackingCode } from '../src/requests/tracking-code.ts';
import { startTestApp, TEST_PASSWORD, type ApiResponse, type TestApp } from './support/app.ts';

const PERSIAN = /[\u0600-\u06FF]/;
const toArabicIndic = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));

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

function bodyFor(t: TestApp, s: BillingSubscriber, overrides: Record<string, unknown> = {}) {
  return { service: 'temporary-removal', channel: 'app', billId: s.billId, relation: 'owner', applicant: t.applicantOf(s), reason: 'تخلیه ملک', ...overrides };
}

/** The newest SMS to `mobile`, passing over the survey invitation that follows a request's end (issue 7). */
const newestSms = (t: TestApp, mobile: string) => t.sms(mobile).find((m) => !m.text.includes('/survey/'));

/** Waits (polling, flushing the outbox) until the newest SMS to `mobile` contains `fragment`. */
async function expectSms(t: TestApp, mobile: string, fragment: string, trackingCode: string) {
  await vi.waitFor(
    async () => {
      await t.flush();
      const newest = newestSms(t, mobile);
      expect(newest?.text ?? '').toContain(fragment);
    },
    { timeout: 5_000, interval: 20 },
  );
  const text = newestSms(t, mobile)!.text;
  expect(text).toMatch(PERSIAN);
  expect(text).toContain(toPersianDigits(trackingCode));
  return text;
}

/** Fresh Iranian mobiles no demo subscriber has. */
let mobileSeq = 0;
const freshMobile = () => `0939${String(4_000_000 + process.pid % 1000 * 1000 + (mobileSeq += 1)).padStart(7, '0')}`;

describe('the whole lifecycle', () => {
  const a = useApp();

  it('drives one request through every state to completed', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural' && x.debtRials > 0);
    const mobile = s.owner.mobile;
    const stamps: string[] = [];

    stamps.push(t.clock.now().toISOString());
    const { view: created } = await t.file(s);
    const code = created.trackingCode as string;
    expect(code).toMatch(/^[1-9]\d{11}$/);
    expect(created.state).toBe('submitted');
    expect(created.channel).toBe('app');
    expect(created.billId).toBe(s.billId);
    expect(created.applicant).toMatchObject({ personType: 'natural', nationalCode: s.owner.nationalCode, mobile });
    expect(created.amountsDue).toEqual([]);
    expect(created.stateTitle).toMatch(PERSIAN);
    await expectSms(t, mobile, 'ثبت شد', code);

    const step = async (expectedState: string, run: () => Promise<unknown>) => {
      t.clock.advance(5 * 60_000);
      stamps.push(t.clock.now().toISOString());
      const r = (await run()) as ApiResponse | undefined;
      if (r && 'status' in r) expect(r.status, JSON.stringify(r.json)).toBe(200);
      const v = await t.view(code);
      expect(v.state).toBe(expectedState);
      return v;
    };

    // submitted → awaiting-payment: the quote.
    const quoted = await step('awaiting-payment', () => t.act(code, 'clerk', 'quote'));
    const purposes = quoted.amountsDue.map((d: { purpose: string }) => d.purpose).sort();
    expect(purposes).toEqual(['consumption-debt', 'meter-test-fee', 'removal-fee']);
    expect(quoted.amountsDue.find((d: { purpose: string }) => d.purpose === 'consumption-debt').amountRials).toBe(Math.floor(s.debtRials / 1000) * 1000);
    const quoteTotal = quoted.amountsDue.reduce((sum: number, d: { amountRials: number }) => sum + d.amountRials, 0);
    expect(quoted.totalDueRials).toBe(quoteTotal);
    await expectSms(t, mobile, formatRials(quoteTotal), code);
    expect(t.sms(mobile)[0]!.text).toContain('آماده پرداخت');

    // awaiting-payment → meter-test: paid through the gateway twin.
    const paid = await step('meter-test', () => t.payAll(code, mobile));
    expect(paid.amountsDue.every((d: { paid: boolean; paidAt: string | null }) => d.paid && d.paidAt)).toBe(true);
    expect(paid.totalDueRials).toBe(0);
    await expectSms(t, mobile, 'دریافت شد', code);

    // record-meter-test keeps the state.
    const tested = await step('meter-test', () => t.act(code, 'meter-tester', 'record-meter-test', { result: 'ok', reading: 5000, seals: ['S-1405-1'] }));
    expect(tested.meterTest).toMatchObject({ result: 'ok', reading: 5000, seals: ['S-1405-1'] });

    // meter-test → awaiting-acceptance: conditions announced.
    const announced = await step('awaiting-acceptance', () => t.act(code, 'clerk', 'announce-conditions'));
    expect(announced.conditions.technical).toMatch(PERSIAN);
    expect(announced.conditions.noRefund).toMatch(PERSIAN);
    await expectSms(t, mobile, 'نتیجه آزمایش کنتور: سالم', code);

    // awaiting-acceptance → removal-scheduled: the applicant accepts.
    await step('removal-scheduled', () => t.act(code, { applicant: mobile }, 'accept-conditions'));

    // schedule-removal keeps the state and tells the applicant.
    const when = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
    const scheduled = await step('removal-scheduled', () => t.act(code, 'clerk', 'schedule-removal', { scheduledFor: when, crew: 'اکیپ ۳' }));
    expect(scheduled.removalSchedule.scheduledFor).toBe(when);
    await expectSms(t, mobile, 'برنامه‌ریزی شد', code);

    // removal-scheduled → awaiting-settlement: consumption since the last reading is billed.
    const removed = await step('awaiting-settlement', () => t.act(code, 'field-crew', 'record-removal', { finalReading: 5100, equipmentCondition: 'intact', meterDestination: 'انبار مرکزی' }));
    const settlement = removed.amountsDue.filter((d: { stage: string }) => d.stage === 'settlement');
    expect(settlement.map((d: { purpose: string }) => d.purpose)).toEqual(['final-consumption-debt']);
    expect(settlement[0].amountRials).toBeGreaterThan(0);
    expect(removed.totalDueRials).toBe(settlement[0].amountRials);
    await expectSms(t, mobile, formatRials(settlement[0].amountRials), code);
    expect(t.sms(mobile)[0]!.text).toContain('صورتحساب نهایی');

    // awaiting-settlement → completed.
    const done = await step('completed', () => t.payAll(code, mobile));
    expect(done.closedAt).not.toBeNull();
    expect(done.availableActions).toEqual([]);
    await expectSms(t, mobile, 'انجام شد', code);

    // Events: who did what, when, from where to where.
    const expected = [
      ['submit', null, 'submitted', 'applicant'],
      ['quote', 'submitted', 'awaiting-payment', 'clerk'],
      ['confirm-payment', 'awaiting-payment', 'meter-test', 'system'],
      ['record-meter-test', 'meter-test', 'meter-test', 'meter-tester'],
      ['announce-conditions', 'meter-test', 'awaiting-acceptance', 'clerk'],
      ['accept-conditions', 'awaiting-acceptance', 'removal-scheduled', 'applicant'],
      ['schedule-removal', 'removal-scheduled', 'removal-scheduled', 'clerk'],
      ['record-removal', 'removal-scheduled', 'awaiting-settlement', 'field-crew'],
      ['settle', 'awaiting-settlement', 'completed', 'system'],
    ];
    expect(done.events.map((e: { action: string; from: string | null; to: string; actorRole: string }) => [e.action, e.from, e.to, e.actorRole])).toEqual(expected);
    expect(done.events.map((e: { at: string }) => e.at)).toEqual(stamps);
    for (const e of done.events) expect(e.atJalali).toMatch(/[۰-۹]{4}/u);

    // Every amount due carries a valid Iranian bill ID and payment ID that encode its amount.
    expect(done.amountsDue).toHaveLength(4);
    const billIds = new Set<string>();
    for (const d of done.amountsDue) {
      expect(parseBillId(d.billId), d.billId).not.toBeNull();
      const parsed = parsePaymentId(d.billId, d.paymentId);
      expect(parsed, `${d.billId}/${d.paymentId}`).not.toBeNull();
      expect(parsed!.amountRials).toBe(d.amountRials);
      expect(d.paid).toBe(true);
      billIds.add(d.billId);
    }
    expect(billIds.size).toBe(4);

    // The billing system hears of the removal; the connection cannot be removed again.
    await vi.waitFor(
      async () => {
        await t.flush();
        const twin = t.app.barq.twins.billing!.subscribers().find((x) => x.billId === s.billId)!;
        expect(twin.connection.state).toBe('temporarily-removed');
      },
      { timeout: 5_000, interval: 20 },
    );
    const again = await t.api('POST', '/api/v1/requests', { token: await t.applicantToken(mobile), body: bodyFor(t, s) });
    expectError(again, 409, 'CONNECTION_ALREADY_REMOVED');

    // Withdrawing after completion is refused.
    expectError(await t.act(code, { applicant: mobile }, 'withdraw'), 409, 'INVALID_TRANSITION');
    expect((await t.view(code)).state).toBe('completed');
  });

  it('bills damaged equipment at removal (awaiting-settlement with damage lines)', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural' && x.connection.phase === 1);
    const { view } = await t.file(s);
    await t.walkTo(view.trackingCode, s.owner.mobile, 'removal-scheduled');
    const r = await t.act(view.trackingCode, 'field-crew', 'record-removal', {
      finalReading: 5200, equipmentCondition: 'damaged', damagedItems: ['meter-single-phase', 'seal'], seals: ['S-9'],
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.state).toBe('awaiting-settlement');
    const settlement = r.json.amountsDue.filter((d: { stage: string }) => d.stage === 'settlement');
    const damages = settlement.filter((d: { purpose: string }) => d.purpose === 'damage').map((d: { amountRials: number }) => d.amountRials).sort((x: number, y: number) => x - y);
    expect(damages).toEqual([350_000, 18_500_000]);
    expect(settlement.some((d: { purpose: string }) => d.purpose === 'final-consumption-debt')).toBe(true);
    for (const d of settlement) expect(parsePaymentId(d.billId, d.paymentId)?.amountRials).toBe(d.amountRials);
    // A damaged removal must name what was damaged.
    const s2 = t.subscriber((x) => x.owner.personType === 'natural');
    const { view: v2 } = await t.file(s2);
    await t.walkTo(v2.trackingCode, s2.owner.mobile, 'removal-scheduled');
    expectError(await t.act(v2.trackingCode, 'field-crew', 'record-removal', { finalReading: 5200, equipmentCondition: 'damaged' }), 400, 'VALIDATION_FAILED', 'damagedItems');
    expect((await t.view(v2.trackingCode)).state).toBe('removal-scheduled');

    await t.payAll(view.trackingCode, s.owner.mobile);
    expect((await t.view(view.trackingCode)).state).toBe('completed');
  });

  it('skips settlement when the final bill is zero', async () => {
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
    expect(r.json.amountsDue.filter((d: { stage: string }) => d.stage === 'settlement')).toEqual([]);
    expect(r.json.events.at(-1)).toMatchObject({ action: 'record-removal', from: 'removal-scheduled', to: 'completed', actorRole: 'field-crew' });
    await expectSms(t, s.owner.mobile, 'انجام شد', code);
    const c = await t.app.barq.db.selectFrom('connections').selectAll().where('billId', '=', s.billId).executeTakeFirst();
    expect(c).toMatchObject({ state: 'temporarily-removed', finalReading: s.connection.lastReading, meterSerial: s.connection.meterSerial });
  });

  it('lets the applicant withdraw before removal', async () => {
    const t = a.t;
    for (const target of ['submitted', 'awaiting-payment', 'removal-scheduled']) {
      const s = t.subscriber((x) => x.owner.personType === 'natural');
      const { view } = await t.file(s);
      await t.walkTo(view.trackingCode, s.owner.mobile, target);
      const r = await t.act(view.trackingCode, { applicant: s.owner.mobile }, 'withdraw');
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json.state).toBe('withdrawn');
      expect(r.json.events.at(-1)).toMatchObject({ action: 'withdraw', from: target, to: 'withdrawn', actorRole: 'applicant' });
      await expectSms(t, s.owner.mobile, 'لغو شد', view.trackingCode);
      // Withdrawn is the end: no second withdrawal, and a new request may be filed.
      expectError(await t.act(view.trackingCode, { applicant: s.owner.mobile }, 'withdraw'), 409, 'INVALID_TRANSITION');
      expect((await t.api('POST', '/api/v1/requests', { token: await t.applicantToken(s.owner.mobile), body: bodyFor(t, s) })).status).toBe(201);
    }
  });

  it('refuses withdrawal after removal (awaiting-settlement)', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    await t.walkTo(view.trackingCode, s.owner.mobile, 'awaiting-settlement');
    expectError(await t.act(view.trackingCode, { applicant: s.owner.mobile }, 'withdraw'), 409, 'INVALID_TRANSITION');
    expect((await t.view(view.trackingCode)).state).toBe('awaiting-settlement');
  });

  it('texts the applicant right after a payment moves the request on (no worker tick needed)', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    await t.walkTo(view.trackingCode, s.owner.mobile, 'awaiting-payment');
    await t.flush();
    await t.payAll(view.trackingCode, s.owner.mobile);
    expect((await t.view(view.trackingCode)).state).toBe('meter-test');
    // No flush here: the transition's own post-commit dispatch must send it, as for every other step.
    await vi.waitFor(() => expect(t.sms(s.owner.mobile)[0]?.text ?? '').toContain('دریافت شد'), { timeout: 5_000, interval: 20 });
  });

  it('archives a request whose conditions are refused', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    await t.walkTo(view.trackingCode, s.owner.mobile, 'awaiting-acceptance');
    const r = await t.act(view.trackingCode, { applicant: s.owner.mobile }, 'refuse-conditions');
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.state).toBe('archived');
    expect(r.json.closedAt).not.toBeNull();
    await expectSms(t, s.owner.mobile, 'بایگانی شد', view.trackingCode);
    expectError(await t.act(view.trackingCode, { applicant: s.owner.mobile }, 'accept-conditions'), 409, 'INVALID_TRANSITION');
  });

  it('rejects only with a reason', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    const before = await t.eventRows(view.trackingCode);
    expectError(await t.act(view.trackingCode, 'clerk', 'reject'), 400, 'REASON_REQUIRED', 'reason');
    expectError(await t.act(view.trackingCode, 'clerk', 'reject', { reason: '   ' }), 400, 'REASON_REQUIRED', 'reason');
    expect(await t.eventRows(view.trackingCode)).toHaveLength(before.length);
    expect((await t.view(view.trackingCode)).state).toBe('submitted');
    const reason = 'انشعاب در اختیار مستأجر است و مالک رضایت نداده است';
    const r = await t.act(view.trackingCode, 'clerk', 'reject', { reason });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.state).toBe('rejected');
    expect(r.json.events.at(-1)).toMatchObject({ action: 'reject', from: 'submitted', to: 'rejected', actorRole: 'clerk', reason });
    await expectSms(t, s.owner.mobile, reason, view.trackingCode);
  });

  it('files for a legal person', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'legal');
    const { view } = await t.file(s);
    expect(view.applicant).toMatchObject({ personType: 'legal', nationalId: s.owner.nationalId, name: s.owner.name, mobile: s.owner.mobile });
    const tracked = await t.api('GET', `/api/v1/track/${view.trackingCode}?nationalId=${s.owner.nationalId}`);
    expect(tracked.status).toBe(200);
    expect(tracked.json.state).toBe('submitted');
    expect((await t.api('GET', `/api/v1/track/${view.trackingCode}?nationalCode=${makeNationalCode('037111222')}`)).status).toBe(404);
    await t.walkTo(view.trackingCode, s.owner.mobile, 'completed');
  });

  it('files as attorney only with a power of attorney', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const mobile = freshMobile();
    const token = await t.applicantToken(mobile);
    const attorney = { personType: 'natural', nationalCode: makeNationalCode('038765432'), firstName: 'حسن', lastName: 'وکیلی', mobile };
    const before = await t.counts();
    const refused = await t.api('POST', '/api/v1/requests', { token, body: bodyFor(t, s, { relation: 'attorney', applicant: attorney }) });
    expectError(refused, 400, 'POWER_OF_ATTORNEY_REQUIRED', 'powerOfAttorney');
    expect(await t.counts()).toEqual(before);
    // Not the owner and not saying attorney: NOT_OWNER.
    expectError(await t.api('POST', '/api/v1/requests', { token, body: bodyFor(t, s, { applicant: attorney }) }), 400, 'NOT_OWNER');
    const powerOfAttorney = { number: '۱۲۳۴۵', date: '1405-08-20', notaryOffice: 'دفترخانه ۱۲ قم' };
    const ok = await t.api('POST', '/api/v1/requests', { token, body: bodyFor(t, s, { relation: 'attorney', applicant: attorney, powerOfAttorney }) });
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
    expect(ok.json.relation).toBe('attorney');
    expect(ok.json.applicant.nationalCode).toBe(attorney.nationalCode);
    expect(ok.json.powerOfAttorney).toMatchObject({ number: '۱۲۳۴۵', date: '1405-08-20' });
  });

  it('needs every user of a shared connection to consent', async () => {
    const t = a.t;
    const shared = t.app.barq.twins.billing!.subscribers().find((x) => x.connection.shared && x.connection.state === 'active');
    expect(shared, 'the demo data has a shared connection').toBeDefined();
    const s = shared!;
    const users = s.connection.users ?? [];
    const ownerId = s.owner.nationalCode ?? s.owner.nationalId;
    const others = users.filter((u) => u.nationalCode !== ownerId);
    expect(others.length).toBeGreaterThan(0);
    const token = await t.applicantToken(s.owner.mobile);
    const before = await t.counts();
    const missing = await t.api('POST', '/api/v1/requests', { token, body: bodyFor(t, s) });
    expectError(missing, 400, 'CONSENT_MISSING', 'consents');
    if (others.length > 1) {
      expectError(await t.api('POST', '/api/v1/requests', { token, body: bodyFor(t, s, { consents: [{ nationalCode: others[0]!.nationalCode }] }) }), 400, 'CONSENT_MISSING', 'consents');
    }
    // A stranger's consent is not a user's consent.
    expectError(await t.api('POST', '/api/v1/requests', { token, body: bodyFor(t, s, { consents: [{ nationalCode: makeNationalCode('037000111') }] }) }), 400, 'CONSENT_MISSING', 'consents');
    expect(await t.counts()).toEqual(before);
    const ok = await t.api('POST', '/api/v1/requests', { token, body: bodyFor(t, s, { consents: others.map((u) => ({ nationalCode: u.nationalCode, name: u.name })) }) });
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
    expect(ok.json.state).toBe('submitted');
  });

  it('lets a Pishkhan operator file for a citizen and see only its office', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const operator = await t.staffToken('pishkhan-operator');
    const filed = await t.api('POST', '/api/v1/requests', { token: operator, body: bodyFor(t, s, { channel: 'pishkhan' }) });
    expect(filed.status, JSON.stringify(filed.json)).toBe(201);
    expect(filed.json).toMatchObject({ channel: 'pishkhan', officeCode: DEMO_OFFICE_CODE, state: 'submitted' });
    expect(filed.json.events[0]).toMatchObject({ action: 'submit', actorRole: 'pishkhan-operator', channel: 'pishkhan' });
    const code = filed.json.trackingCode;
    await expectSms(t, s.owner.mobile, 'ثبت شد', code);

    // An operator files only on the pishkhan channel.
    const s0 = t.subscriber((x) => x.owner.personType === 'natural');
    expectError(await t.api('POST', '/api/v1/requests', { token: operator, body: bodyFor(t, s0, { channel: 'app' }) }), 400, 'CHANNEL_NOT_ALLOWED');

    const quoted = await t.act(code, 'clerk', 'quote');
    expect(quoted.status).toBe(200);
    const fee = quoted.json.amountsDue.find((d: { purpose: string }) => d.purpose === 'pishkhan-fee');
    expect(fee?.amountRials).toBe(250_000);
    expect(parsePaymentId(fee.billId, fee.paymentId)?.amountRials).toBe(250_000);

    const mine = await t.api('GET', '/api/v1/requests', { token: operator });
    expect(mine.status).toBe(200);
    expect(mine.json.items.map((i: { trackingCode: string }) => i.trackingCode)).toContain(code);
    for (const item of mine.json.items) expect(item.officeCode).toBe(DEMO_OFFICE_CODE);
    expect((await t.api('GET', `/api/v1/requests/${code}`, { token: operator })).status).toBe(200);

    // Another office.
    await t.app.barq.identity.createStaffUser({ username: 'pishkhan-other', password: TEST_PASSWORD, displayName: 'دفتر دیگر', roles: ['pishkhan-operator'], officeCode: '37100999' });
    const other = await t.staffToken('pishkhan-other');
    const s2 = t.subscriber((x) => x.owner.personType === 'natural');
    const theirs = await t.api('POST', '/api/v1/requests', { token: other, body: bodyFor(t, s2, { channel: 'pishkhan' }) });
    expect(theirs.status).toBe(201);
    expect(theirs.json.officeCode).toBe('37100999');
    const hidden = await t.api('GET', `/api/v1/requests/${theirs.json.trackingCode}`, { token: operator });
    const nonexistent = await t.api('GET', `/api/v1/requests/${generateTrackingCode()}`, { token: operator });
    expectError(hidden, 404, 'NOT_FOUND');
    expect(hidden.json).toEqual(nonexistent.json);
    expectError(await t.act(theirs.json.trackingCode, 'pishkhan-operator', 'withdraw'), 404, 'NOT_FOUND');
    const list = await t.api('GET', '/api/v1/requests', { token: operator });
    expect(list.json.items.map((i: { trackingCode: string }) => i.trackingCode)).not.toContain(theirs.json.trackingCode);
    // Nor a request filed online by the citizen.
    const s3 = t.subscriber((x) => x.owner.personType === 'natural');
    const { view: online } = await t.file(s3);
    expectError(await t.api('GET', `/api/v1/requests/${online.trackingCode}`, { token: operator }), 404, 'NOT_FOUND');
  });

  it('lets a clerk file at the counter', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const clerk = await t.staffToken('clerk');
    expectError(await t.api('POST', '/api/v1/requests', { token: clerk, body: bodyFor(t, s, { channel: 'web' }) }), 400, 'CHANNEL_NOT_ALLOWED');
    const r = await t.api('POST', '/api/v1/requests', { token: clerk, body: bodyFor(t, s, { channel: 'counter' }) });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json).toMatchObject({ channel: 'counter', officeCode: null, state: 'submitted' });
    expect(r.json.events[0]).toMatchObject({ action: 'submit', from: null, to: 'submitted', actorRole: 'clerk', channel: 'counter' });
    await expectSms(t, s.owner.mobile, 'ثبت شد', r.json.trackingCode);
    // The applicant, signing in with the mobile on the request, sees it.
    const mine = await t.api('GET', `/api/v1/requests/${r.json.trackingCode}`, { token: await t.applicantToken(s.owner.mobile) });
    expect(mine.status).toBe(200);
  });
});

describe('bad input', () => {
  const a = useApp();

  /** Submits and checks the refusal wrote nothing. */
  async function refused(t: TestApp, token: string | undefined, body: unknown, status: number, code: string, field?: string) {
    const before = await t.counts();
    const r = await t.api('POST', '/api/v1/requests', { ...(token ? { token } : {}), body });
    expectError(r, status, code, field);
    expect(await t.counts()).toEqual(before);
    return r;
  }

  it('refuses an invalid national code, ten equal digits included', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const token = await t.applicantToken(s.owner.mobile);
    const good = s.owner.nationalCode!;
    const badCheck = good.slice(0, 9) + String((Number(good[9]) + 1) % 10);
    expect(normalizeNationalCode(badCheck)).toBeNull();
    for (const nationalCode of ['1111111111', '0000000000', badCheck, '12345', '04993708991', 'abcdefghij', '']) {
      await refused(t, token, bodyFor(t, s, { applicant: { ...t.applicantOf(s), nationalCode } }), 400, 'INVALID_NATIONAL_CODE', 'applicant.nationalCode');
    }
  });

  it('refuses an invalid legal national ID', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'legal');
    const token = await t.applicantToken(s.owner.mobile);
    const good = s.owner.nationalId!;
    const badCheck = good.slice(0, 10) + String((Number(good[10]) + 1) % 10);
    expect(normalizeLegalNationalId(badCheck)).toBeNull();
    for (const nationalId of [badCheck, '11111111111', '1234567890']) {
      await refused(t, token, bodyFor(t, s, { applicant: { ...t.applicantOf(s), nationalId } }), 400, 'INVALID_NATIONAL_ID', 'applicant.nationalId');
    }
  });

  it('refuses a bill ID with a wrong check digit, and one billing does not know', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const token = await t.applicantToken(s.owner.mobile);
    const badCheck = s.billId.slice(0, -1) + String((Number(s.billId.at(-1)) + 1) % 10);
    expect(parseBillId(badCheck)).toBeNull();
    await refused(t, token, bodyFor(t, s, { billId: badCheck }), 400, 'INVALID_BILL_ID', 'billId');
    await refused(t, token, bodyFor(t, s, { billId: '12ab' }), 400, 'INVALID_BILL_ID', 'billId');
    const unknown = makeBillId('98765432', parseBillId(s.billId)!.companyCode, 2);
    expect(parseBillId(unknown)).not.toBeNull();
    expect(t.app.barq.twins.billing!.subscribers().some((x) => x.billId === unknown)).toBe(false);
    await refused(t, token, bodyFor(t, s, { billId: unknown }), 400, 'UNKNOWN_BILL_ID', 'billId');
  });

  it('refuses a mobile that is not an Iranian mobile', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const token = await t.applicantToken(s.owner.mobile);
    for (const mobile of ['+14155552671', '02177889900', '0912123456', '091212345678', 'mobile']) {
      await refused(t, token, bodyFor(t, s, { applicant: { ...t.applicantOf(s), mobile } }), 400, 'INVALID_MOBILE', 'applicant.mobile');
    }
    expectError(await t.api('POST', '/api/v1/auth/otp', { body: { mobile: '+14155552671' } }), 400, 'INVALID_MOBILE', 'mobile');
  });

  it('refuses an applicant who is not the owner', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const token = await t.applicantToken(s.owner.mobile);
    await refused(t, token, bodyFor(t, s, { applicant: { ...t.applicantOf(s), nationalCode: makeNationalCode('037555444') } }), 400, 'NOT_OWNER', 'relation');
  });

  it('refuses a channel the role may not use, and a mobile other than the signed-in one', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const token = await t.applicantToken(s.owner.mobile);
    await refused(t, token, bodyFor(t, s, { channel: 'counter' }), 400, 'CHANNEL_NOT_ALLOWED');
    await refused(t, token, bodyFor(t, s, { channel: 'pishkhan' }), 400, 'CHANNEL_NOT_ALLOWED');
    await refused(t, token, bodyFor(t, s, { channel: 'fax' }), 400, 'VALIDATION_FAILED', 'channel');
    await refused(t, token, bodyFor(t, s, { applicant: { ...t.applicantOf(s), mobile: '09129998877' } }), 400, 'MOBILE_MISMATCH', 'applicant.mobile');
    // Staff roles that do not take requests at all.
    await refused(t, await t.staffToken('field-crew'), bodyFor(t, s, { channel: 'counter' }), 403, 'FORBIDDEN');
  });

  it('refuses a second request while one is open', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { token } = await t.file(s);
    await refused(t, token, bodyFor(t, s), 409, 'OPEN_REQUEST_EXISTS');
    await refused(t, await t.staffToken('clerk'), bodyFor(t, s, { channel: 'counter' }), 409, 'OPEN_REQUEST_EXISTS');
  });

  it('refuses a request without a token, and a bad token', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    await refused(t, undefined, bodyFor(t, s), 401, 'UNAUTHENTICATED');
    await refused(t, 'not-a-real-token', bodyFor(t, s), 401, 'UNAUTHENTICATED');
    const { view } = await t.file(s);
    expectError(await t.api('GET', `/api/v1/requests/${view.trackingCode}`), 401, 'UNAUTHENTICATED');
    expectError(await t.api('POST', `/api/v1/requests/${view.trackingCode}/actions`, { body: { action: 'withdraw' } }), 401, 'UNAUTHENTICATED');
    expectError(await t.api('GET', '/api/v1/requests'), 401, 'UNAUTHENTICATED');
  });

  it('refuses malformed JSON and other content types', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const token = await t.applicantToken(s.owner.mobile);
    const before = await t.counts();
    for (const payload of ['{"service":', '{service: "temporary-removal"}', "{'a':1}", '{"a":1}}', '\u0000']) {
      const r = await t.raw('POST', '/api/v1/requests', { token, payload, contentType: 'application/json' });
      expect(r.status, r.body).toBe(400);
      const json = JSON.parse(r.body);
      expect(json.error.code).toBe('VALIDATION_FAILED');
      expect(json.error.message).toMatch(PERSIAN);
    }
    const xml = await t.raw('POST', '/api/v1/requests', { token, payload: '<request/>', contentType: 'application/xml' });
    expect(xml.status).toBe(415);
    expect(JSON.parse(xml.body).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await t.counts()).toEqual(before);
  });

  it('answers unknown actions, forbidden roles and wrong states with their codes', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    const code = view.trackingCode;
    const before = await t.eventRows(code);
    expectError(await t.act(code, 'clerk', 'teleport'), 400, 'UNKNOWN_ACTION');
    expectError(await t.act(code, 'clerk', 'submit'), 400, 'UNKNOWN_ACTION');
    expectError(await t.act(code, 'field-crew', 'quote'), 403, 'FORBIDDEN');
    expectError(await t.act(code, { applicant: s.owner.mobile }, 'quote'), 403, 'FORBIDDEN');
    expectError(await t.act(code, 'auditor', 'reject', { reason: 'x' }), 403, 'FORBIDDEN');
    expectError(await t.act(code, 'meter-tester', 'record-meter-test', { result: 'ok', reading: 1 }), 409, 'INVALID_TRANSITION');
    expectError(await t.act(code, 'clerk', 'accept-conditions'), 409, 'INVALID_TRANSITION');
    expectError(await t.act(code, 'finance', 'confirm-payment'), 409, 'INVALID_TRANSITION');
    expectError(await t.api('POST', `/api/v1/requests/${code}/actions`, { token: await t.staffToken('clerk'), body: {} }), 400, 'VALIDATION_FAILED', 'action');
    // Payload validation of an action allowed now.
    await t.walkTo(code, s.owner.mobile, 'meter-test');
    const mid = await t.eventRows(code);
    expectError(await t.act(code, 'meter-tester', 'record-meter-test', { result: 'great', reading: 1 }), 400, 'VALIDATION_FAILED', 'result');
    expectError(await t.act(code, 'meter-tester', 'record-meter-test', { result: 'ok', reading: -5 }), 400, 'VALIDATION_FAILED', 'reading');
    expectError(await t.act(code, 'clerk', 'announce-conditions'), 409, 'PRECONDITION_FAILED');
    expect(await t.eventRows(code)).toHaveLength(mid.length);
    expect(mid.length).toBeGreaterThan(before.length);
    expect((await t.view(code)).state).toBe('meter-test');
  });

  it('refuses a malformed tracking code, and hides other applicants\' requests', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const s2 = t.subscriber((x) => x.owner.personType === 'natural');
    const { view, token } = await t.file(s);
    const code = view.trackingCode as string;
    const typo = code.slice(0, 11) + String((Number(code[11]) + 1) % 10);
    for (const bad of ['12345', 'abcdefghijkl', typo, `${code}0`]) {
      expectError(await t.api('GET', `/api/v1/requests/${bad}`, { token }), 400, 'INVALID_TRACKING_CODE');
      expectError(await t.api('GET', `/api/v1/track/${bad}?nationalCode=${s.owner.nationalCode}`), 400, 'INVALID_TRACKING_CODE');
      expectError(await t.api('POST', `/api/v1/requests/${bad}/actions`, { token, body: { action: 'withdraw' } }), 400, 'INVALID_TRACKING_CODE');
    }
    // Persian digits in a tracking code are fine.
    expect((await t.api('GET', `/api/v1/requests/${encodeURIComponent(toPersianDigits(code))}`, { token })).status).toBe(200);

    const stranger = await t.applicantToken(s2.owner.mobile);
    const theirs = await t.raw('GET', `/api/v1/requests/${code}`, { token: stranger });
    const none = await t.raw('GET', `/api/v1/requests/${generateTrackingCode()}`, { token: stranger });
    expect(theirs.status).toBe(404);
    expect(theirs.body).toBe(none.body);
    expect(JSON.parse(theirs.body).error.code).toBe('NOT_FOUND');
    // Nor act on it.
    const act = await t.act(code, { applicant: s2.owner.mobile }, 'withdraw');
    expectError(act, 404, 'NOT_FOUND');
    expect((await t.view(code)).state).toBe('submitted');
    // Nor list it.
    const list = await t.api('GET', '/api/v1/requests', { token: stranger });
    expect(list.status).toBe(200);
    expect(list.json.items.map((i: { trackingCode: string }) => i.trackingCode)).not.toContain(code);
  });

  it('accepts Persian and Arabic-Indic digits in national code, bill ID and mobile', async () => {
    const t = a.t;
    for (const convert of [toPersianDigits, toArabicIndic]) {
      const s = t.subscriber((x) => x.owner.personType === 'natural');
      const token = await t.applicantToken(s.owner.mobile);
      const applicant = { ...t.applicantOf(s), nationalCode: convert(s.owner.nationalCode!), mobile: convert(s.owner.mobile) };
      const r = await t.api('POST', '/api/v1/requests', { token, body: bodyFor(t, s, { billId: convert(s.billId), applicant }) });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      expect(r.json.billId).toBe(s.billId);
      expect(r.json.applicant).toMatchObject({ nationalCode: s.owner.nationalCode, mobile: s.owner.mobile });
      const tracked = await t.api('GET', `/api/v1/track/${r.json.trackingCode}?nationalCode=${encodeURIComponent(convert(s.owner.nationalCode!))}`);
      expect(tracked.status).toBe(200);
    }
    // And in the sign-in mobile.
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    expect((await t.api('POST', '/api/v1/auth/otp', { body: { mobile: toPersianDigits(s.owner.mobile) } })).status).toBe(202);
    expect(t.sms(s.owner.mobile)[0]?.text).toContain('کد ورود');
  });

  it('never answers 500 or a stack trace to odd bodies', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view, token } = await t.file(s);
    const code = view.trackingCode;
    const huge = 'ب'.repeat(200_000);
    const good = bodyFor(t, s);
    const requestBodies: unknown[] = [
      [], [good], null, 'text', 42, true, {},
      { ...good, service: 123 }, { ...good, service: null }, { ...good, billId: Number(s.billId) }, { ...good, billId: [s.billId] },
      { ...good, applicant: [] }, { ...good, applicant: null }, { ...good, applicant: { personType: 'robot' } },
      { ...good, applicant: { ...t.applicantOf(s), nationalCode: Number(s.owner.nationalCode) } },
      { ...good, applicant: { ...t.applicantOf(s), firstName: huge } }, { ...good, reason: huge }, { ...good, billId: huge },
      { ...good, consents: 'all' }, { ...good, consents: [null] }, { ...good, powerOfAttorney: 7 }, { ...good, relation: 'cousin' },
      { ...good, applicant: { ...t.applicantOf(s), mobile: { $gt: '' } } }, { __proto__: { admin: true } }, { constructor: { prototype: {} } },
    ];
    const actionBodies: unknown[] = [
      [], null, 'withdraw', 7, {}, { action: null }, { action: 123 }, { action: ['quote'] }, { action: huge }, { action: 'quote', reason: huge },
      { action: 'quote', reason: 5 }, { action: '' }, { action: { name: 'quote' } }, { action: 'toString' }, { action: '__proto__' }, { action: 'constructor' },
    ];
    const before = await t.counts();
    const clerk = await t.staffToken('clerk');
    for (const body of requestBodies) {
      const r = await t.raw('POST', '/api/v1/requests', { token, payload: JSON.stringify(body), contentType: 'application/json' });
      expect(r.status, `${JSON.stringify(body).slice(0, 80)} → ${r.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body).not.toMatch(/\bat .+\.(ts|js):\d+|stack|node_modules/);
      const json = JSON.parse(r.body);
      expect(Object.keys(ERRORS)).toContain(json.error.code);
      expect(json.error.message).toMatch(PERSIAN);
    }
    for (const body of actionBodies) {
      for (const who of [token, clerk]) {
        const r = await t.raw('POST', `/api/v1/requests/${code}/actions`, { token: who, payload: JSON.stringify(body), contentType: 'application/json' });
        expect(r.status, `${JSON.stringify(body).slice(0, 80)} → ${r.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        expect(r.body).not.toMatch(/\bat .+\.(ts|js):\d+|stack|node_modules/);
        const json = JSON.parse(r.body);
        expect(Object.keys(ERRORS)).toContain(json.error.code);
        expect(json.error.message).toMatch(PERSIAN);
      }
    }
    // Payload fuzz of actions that take data, in the state that allows them.
    await t.walkTo(code, s.owner.mobile, 'meter-test');
    const tester = await t.staffToken('meter-tester');
    for (const body of [
      { action: 'record-meter-test' }, { action: 'record-meter-test', result: 'ok', reading: 'abc' }, { action: 'record-meter-test', result: 'ok', reading: 1e30 },
      { action: 'record-meter-test', result: 'ok', reading: 1.5 }, { action: 'record-meter-test', result: ['ok'], reading: 1 },
      { action: 'record-meter-test', result: 'ok', reading: 1, seals: 'S1' }, { action: 'record-meter-test', result: 'ok', reading: 1, damagedItems: ['everything'] },
      { action: 'record-meter-test', result: 'ok', reading: null }, { action: 'record-meter-test', result: 'ok', reading: 1, notes: huge },
    ]) {
      const r = await t.raw('POST', `/api/v1/requests/${code}/actions`, { token: tester, payload: JSON.stringify(body), contentType: 'application/json' });
      expect(r.status, `${JSON.stringify(body).slice(0, 80)} → ${r.body.slice(0, 200)}`).toBe(400);
      expect(JSON.parse(r.body).error.code).toBe('VALIDATION_FAILED');
    }
    const after = await t.counts();
    expect(after.requests).toBe(before.requests);
    expect((await t.view(code)).meterTest).toBeNull();
  });
});

describe('idempotency and public tracking', () => {
  const a = useApp();

  it('answers a repeated Idempotency-Key with the first request, and refuses it for another body', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const token = await t.applicantToken(s.owner.mobile);
    const key = `key-${randomUUID()}`;
    const first = await t.api('POST', '/api/v1/requests', { token, body: bodyFor(t, s), headers: { 'idempotency-key': key } });
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    const before = await t.counts();
    const second = await t.api('POST', '/api/v1/requests', { token, body: bodyFor(t, s), headers: { 'idempotency-key': key } });
    expect([200, 201]).toContain(second.status);
    expect(second.json.trackingCode).toBe(first.json.trackingCode);
    expect(await t.counts()).toEqual(before);
    const rows = await t.app.barq.db.selectFrom('requests').select('trackingCode').where('billId', '=', s.billId).execute();
    expect(rows).toEqual([{ trackingCode: first.json.trackingCode }]);
    const reused = await t.api('POST', '/api/v1/requests', { token, body: bodyFor(t, s, { reason: 'علت دیگر' }), headers: { 'idempotency-key': key } });
    expectError(reused, 409, 'IDEMPOTENCY_KEY_REUSED');
    expect(await t.counts()).toEqual(before);
    await expectSms(t, s.owner.mobile, 'ثبت شد', first.json.trackingCode);
    expect(t.sms(s.owner.mobile).filter((m) => m.text.includes('ثبت شد'))).toHaveLength(1);
  });

  it('creates one request for five parallel submissions with one key', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const token = await t.applicantToken(s.owner.mobile);
    const key = `key-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 5 }, () => t.api('POST', '/api/v1/requests', { token, body: bodyFor(t, s), headers: { 'idempotency-key': key } })));
    const rows = await t.app.barq.db.selectFrom('requests').select('trackingCode').where('billId', '=', s.billId).execute();
    expect(rows).toHaveLength(1);
    const summary = results.map((r) => `${r.status} ${r.json?.trackingCode ?? r.json?.error?.code}`);
    for (const r of results) {
      // Each caller gets the one request, or is told the same key is still being processed.
      if (r.status === 409) expect(r.json.error.code, summary.join(', ')).toBe('CONCURRENT_UPDATE');
      else {
        expect(r.status, summary.join(', ')).toBe(201);
        expect(r.json.trackingCode).toBe(rows[0]!.trackingCode);
      }
    }
    expect(results.some((r) => r.status === 201)).toBe(true);
    const events = await t.eventRows(rows[0]!.trackingCode);
    expect(events.map((e) => e.action)).toEqual(['submit']);
    // A later retry with the key gets the request.
    const later = await t.api('POST', '/api/v1/requests', { token, body: bodyFor(t, s), headers: { 'idempotency-key': key } });
    expect(later.json.trackingCode).toBe(rows[0]!.trackingCode);
  });

  it('keys are per caller: the same key from another applicant is another request', async () => {
    const t = a.t;
    const s1 = t.subscriber((x) => x.owner.personType === 'natural');
    const s2 = t.subscriber((x) => x.owner.personType === 'natural');
    const key = `key-${randomUUID()}`;
    const r1 = await t.api('POST', '/api/v1/requests', { token: await t.applicantToken(s1.owner.mobile), body: bodyFor(t, s1), headers: { 'idempotency-key': key } });
    const r2 = await t.api('POST', '/api/v1/requests', { token: await t.applicantToken(s2.owner.mobile), body: bodyFor(t, s2), headers: { 'idempotency-key': key } });
    expect(r1.status).toBe(201);
    expect(r2.status).toBe(201);
    expect(r2.json.trackingCode).not.toBe(r1.json.trackingCode);
  });

  it('shows public tracking without personal data, and the same 404 for any wrong pair', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    const code = view.trackingCode as string;
    const r = await t.raw('GET', `/api/v1/track/${code}?nationalCode=${s.owner.nationalCode}`);
    expect(r.status, r.body).toBe(200);
    const json = JSON.parse(r.body);
    expect(json.trackingCode).toBe(code);
    expect(json.state).toBe('submitted');
    expect(json.stateTitle).toMatch(PERSIAN);
    expect(json.nextStep).toMatch(PERSIAN);
    expect(r.body).not.toContain(s.owner.mobile);
    expect(r.body).not.toContain(s.owner.mobile.slice(1));
    expect(r.body).not.toContain(s.owner.nationalCode!);
    expect(r.body).not.toContain(`${s.owner.firstName} ${s.owner.lastName}`);
    expect(r.body).not.toContain(s.owner.lastName!);
    for (const key of ['applicant', 'mobile', 'nationalCode', 'nationalId', 'firstName', 'lastName', 'name', 'address']) expect(r.body).not.toContain(`"${key}"`);

    // Moving on shows in the public view.
    await t.walkTo(code, s.owner.mobile, 'awaiting-payment');
    const moved = await t.api('GET', `/api/v1/track/${code}?nationalCode=${s.owner.nationalCode}`);
    expect(moved.json.state).toBe('awaiting-payment');
    expect(moved.json.outstandingRials).toBeGreaterThan(0);
    expect(moved.json.nextStep).toMatch(PERSIAN);
    expect(moved.json.nextStep).not.toBe(json.nextStep);

    const otherCode = makeNationalCode('037222333');
    const answers = await Promise.all([
      t.raw('GET', `/api/v1/track/${generateTrackingCode()}?nationalCode=${s.owner.nationalCode}`),
      t.raw('GET', `/api/v1/track/${code}?nationalCode=${otherCode}`),
      t.raw('GET', `/api/v1/track/${code}?nationalCode=1111111111`),
      t.raw('GET', `/api/v1/track/${code}`),
      t.raw('GET', `/api/v1/track/${code}?nationalId=${s.owner.nationalCode}0`),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body).toBe(answers[0]!.body);
    }
    expect(JSON.parse(answers[0]!.body).error.code).toBe('NOT_FOUND');
    expect(JSON.parse(answers[0]!.body).error.message).toMatch(PERSIAN);
  });
});

describe('payments', () => {
  const a = useApp();

  /** Pays with the gateway twin and records the form fields its callbacks posted to the app. */
  async function payCapturing(t: TestApp, code: string, mobile: string) {
    const captured: string[] = [];
    const previous = globalThis.fetch;
    globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
      if (url.endsWith('/api/v1/payments/callback')) captured.push(String(init?.body));
      return previous(input, init);
    };
    try {
      await t.payAll(code, mobile);
    } finally {
      globalThis.fetch = previous;
    }
    return captured;
  }

  async function snapshot(t: TestApp, code: string) {
    const db = t.app.barq.db;
    const row = await db.selectFrom('requests').select(['id', 'state', 'version']).where('trackingCode', '=', code).executeTakeFirstOrThrow();
    return {
      request: row,
      payments: await db.selectFrom('payments').select(['id', 'status', 'reference', 'verifiedAt']).where('requestId', '=', row.id).orderBy('id').execute(),
      amounts: await db.selectFrom('amountsDue').select(['id', 'paidAt']).where('requestId', '=', row.id).orderBy('id').execute(),
      events: (await t.eventRows(code)).map((e) => e.action),
      outbox: (await db.selectFrom('outbox').select(['kind']).where('requestId', '=', row.id).execute()).map((o) => o.kind).sort(),
    };
  }

  const postCallback = (t: TestApp, payload: string) => t.raw('POST', '/api/v1/payments/callback', { payload, contentType: 'application/x-www-form-urlencoded' });

  it('ignores a repeated gateway callback', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural' && x.debtRials > 0);
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'awaiting-payment');
    const captured = await payCapturing(t, code, s.owner.mobile);
    const amounts = (await t.view(code)).amountsDue;
    expect(captured).toHaveLength(amounts.length);
    await t.flush();
    const before = await snapshot(t, code);
    expect(before.request.state).toBe('meter-test');
    expect(before.events.filter((e) => e === 'confirm-payment')).toHaveLength(1);
    expect(before.payments.filter((p) => p.status === 'verified')).toHaveLength(amounts.length);
    for (const body of captured) {
      expect(new URLSearchParams(body).get('State')).toBe('OK');
      const r = await postCallback(t, body);
      expect(r.status).toBe(303);
      expect(String(r.headers.location)).toContain('payment=duplicate');
    }
    await t.flush();
    expect(await snapshot(t, code)).toEqual(before);
    expect(before.outbox.filter((k) => k === 'billing.debt-paid')).toHaveLength(1);
  });

  it('ignores a forged callback', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'awaiting-payment');
    const due = (await t.view(code)).amountsDue[0];
    const started = await t.api('POST', `/api/v1/requests/${code}/payments`, { token: await t.applicantToken(s.owner.mobile), body: { amountDueId: due.id } });
    expect(started.status).toBe(201);
    const before = await snapshot(t, code);
    const forged = new URLSearchParams({
      State: 'OK', Status: '2', RefNum: randomUUID(), ResNum: started.json.paymentId, Token: randomUUID().replace(/-/g, ''), Amount: String(due.amountRials), TraceNo: '123456', RRN: '18000001',
    }).toString();
    const r = await postCallback(t, forged);
    expect(r.status).toBeLessThan(500);
    expect(await snapshot(t, code)).toEqual(before);
    expect((await t.view(code)).amountsDue.every((d: { paid: boolean }) => !d.paid)).toBe(true);
  });

  it('does not let a forged callback carrying a real token spoil the real payment', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'awaiting-payment');
    const due = (await t.view(code)).amountsDue[0];
    const started = await t.api('POST', `/api/v1/requests/${code}/payments`, { token: await t.applicantToken(s.owner.mobile), body: { amountDueId: due.id } });
    const gatewayToken = new URL(started.json.paymentUrl).pathname.split('/').pop()!;
    const forged = new URLSearchParams({ State: 'OK', Status: '2', RefNum: randomUUID(), ResNum: started.json.paymentId, Token: gatewayToken, Amount: String(due.amountRials) }).toString();
    expect((await postCallback(t, forged)).status).toBe(303);
    const canceled = new URLSearchParams({ State: 'CanceledByUser', Status: '1', RefNum: '', ResNum: started.json.paymentId, Token: gatewayToken }).toString();
    expect((await postCallback(t, canceled)).status).toBe(303);
    expect((await t.view(code)).amountsDue[0].paid).toBe(false);
    // The payer then really pays on the gateway page: the money must count.
    const paid = await fetch(`${t.baseUrl}/__twins/gateway/pay/${gatewayToken}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'success' }) });
    expect(paid.status).toBe(200);
    expect((await t.view(code)).amountsDue.find((d: { id: string }) => d.id === due.id).paid).toBe(true);
  });

  it('leaves the amount unpaid after a failed payment, and lets the payer try again', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'awaiting-payment');
    await t.payAll(code, s.owner.mobile, 'failure');
    const after = await t.view(code);
    expect(after.state).toBe('awaiting-payment');
    expect(after.amountsDue.every((d: { paid: boolean }) => !d.paid)).toBe(true);
    expect(after.totalDueRials).toBeGreaterThan(0);
    const snap = await snapshot(t, code);
    expect(snap.payments.length).toBe(after.amountsDue.length);
    expect(snap.payments.every((p) => p.status === 'failed')).toBe(true);
    expect(snap.events).not.toContain('confirm-payment');
    await t.payAll(code, s.owner.mobile);
    expect((await t.view(code)).state).toBe('meter-test');
  });

  it('refuses to pay an amount already paid', async () => {
    const t = a.t;
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view, token } = await t.file(s);
    const code = view.trackingCode;
    await t.walkTo(code, s.owner.mobile, 'awaiting-payment');
    const [first, second] = (await t.view(code)).amountsDue;
    const started = await t.api('POST', `/api/v1/requests/${code}/payments`, { token, body: { amountDueId: first.id } });
    const gatewayToken = new URL(started.json.paymentUrl).pathname.split('/').pop()!;
    await fetch(`${t.baseUrl}/__twins/gateway/pay/${gatewayToken}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'success' }) });
    const v = await t.view(code);
    expect(v.amountsDue.find((d: { id: string }) => d.id === first.id).paid).toBe(true);
    expect(v.amountsDue.find((d: { id: string }) => d.id === second.id).paid).toBe(false);
    expect(v.state).toBe('awaiting-payment');
    const before = await t.counts();
    expectError(await t.api('POST', `/api/v1/requests/${code}/payments`, { token, body: { amountDueId: first.id } }), 409, 'ALREADY_PAID');
    expect(await t.counts()).toEqual(before);
    // Unknown amount, and another request's amount.
    expectError(await t.api('POST', `/api/v1/requests/${code}/payments`, { token, body: { amountDueId: randomUUID() } }), 404, 'AMOUNT_DUE_NOT_FOUND');
    expectError(await t.api('POST', `/api/v1/requests/${code}/payments`, { token, body: { amountDueId: 'not-a-uuid' } }), 400, 'VALIDATION_FAILED', 'amountDueId');
  });
});

describe('one-time sign-in codes', () => {
  const a = useApp();
  const codeIn = (t: TestApp, mobile: string) => t.sms(mobile)[0]!.text.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d))).match(/\b\d{6}\b/)![0];

  it('refuses a wrong code and accepts a right code once', async () => {
    const t = a.t;
    const mobile = freshMobile();
    expect((await t.api('POST', '/api/v1/auth/otp', { body: { mobile } })).status).toBe(202);
    const code = codeIn(t, mobile);
    const wrong = code === '000000' ? '000001' : '000000';
    expectError(await t.api('POST', '/api/v1/auth/otp/verify', { body: { mobile, code: wrong } }), 401, 'INVALID_OTP');
    const ok = await t.api('POST', '/api/v1/auth/otp/verify', { body: { mobile, code } });
    expect(ok.status).toBe(200);
    expect(typeof ok.json.token).toBe('string');
    const me = await t.api('GET', '/api/v1/auth/me', { token: ok.json.token });
    expect(me.json).toMatchObject({ kind: 'applicant', mobile });
    expectError(await t.api('POST', '/api/v1/auth/otp/verify', { body: { mobile, code } }), 401, 'INVALID_OTP');
    // Someone else's code does not open this mobile.
    expectError(await t.api('POST', '/api/v1/auth/otp/verify', { body: { mobile: freshMobile(), code } }), 401, 'INVALID_OTP');
  });

  it('expires a code after two minutes', async () => {
    const t = a.t;
    const mobile = freshMobile();
    expect((await t.api('POST', '/api/v1/auth/otp', { body: { mobile } })).status).toBe(202);
    const code = codeIn(t, mobile);
    t.clock.advance(2 * 60_000 + 1_000);
    expectError(await t.api('POST', '/api/v1/auth/otp/verify', { body: { mobile, code } }), 401, 'INVALID_OTP');
  });

  it('answers 429 to the fourth code for one mobile within ten minutes', async () => {
    const t = a.t;
    const mobile = freshMobile();
    for (let i = 0; i < 3; i += 1) {
      expect((await t.api('POST', '/api/v1/auth/otp', { body: { mobile } })).status).toBe(202);
      t.clock.advance(60_000);
    }
    const sent = t.sms(mobile).length;
    expectError(await t.api('POST', '/api/v1/auth/otp', { body: { mobile } }), 429, 'TOO_MANY_REQUESTS');
    expect(t.sms(mobile)).toHaveLength(sent);
    // Another mobile is not affected; the window slides.
    expect((await t.api('POST', '/api/v1/auth/otp', { body: { mobile: freshMobile() } })).status).toBe(202);
    t.clock.advance(8 * 60_000);
    expect((await t.api('POST', '/api/v1/auth/otp', { body: { mobile } })).status).toBe(202);
  });
});
