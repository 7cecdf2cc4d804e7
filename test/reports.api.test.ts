// The dashboard and the agreement review over a fixture of six requests whose every figure is
// worked out by hand below. Times are Tehran local (UTC+03:30); working hours 07:00–14:00,
// Saturday to Wednesday; no holiday falls between 1405-09-14 (Sat 2026-12-05) and 1405-09-23.
//
//   R1 app       filed Sat 09:00, quote Sat 10:00 (60), paid Sat 10:00, meter test Sat 12:00 (120),
//                conditions Sat 13:00 (60), accepted Sat 13:00, removal Sun 10:00 (Sat 13–14 = 60 +
//                Sun 07–10 = 180 → 240), settled → completed. Whole: 60+120+60+240 = 480 ≤ 2940.
//   R2 pishkhan  filed Sat 09:00, quote Mon 09:00 (Sat 300 + Sun 420 + Mon 120 = 840 > 420: breach,
//   (37100123)   امور مشترکین), withdrawn Mon 09:30. Whole: 840 ≤ 2940.
//   R3 counter   filed Sat 09:00, quote Sat 11:00 (120), paid Sat 11:00, meter test Wed 10:00 (Sat 180 +
//                Sun–Tue 3×420 + Wed 180 = 1620 > 1260: breach, آزمایشگاه کنتور), conditions Wed 10:00
//                (0), refused Wed 10:30 → archived. Whole: 120+1620+0 = 1740 ≤ 2940.
//   R4 app       filed Thu 12-10 09:00, still submitted (backlog, 3 days old on Sun 12-13).
//   R5 app       filed Sat 09:00, quote Sat 09:30 (30), awaiting payment (backlog, 8 days old).
//   R6 app       filed Sat 09:00, rejected Sat 09:20 (quote step 20). Whole: 20. No survey.
//
// Company steps that ended: quote [20, 30, 60, 120, 840] → 4/5 = 80 %, p50 60,
//   p90 = 120 + 0.6 × (840 − 120) = 552 (percentile_cont: position 0.9 × 4 = 3.6);
//   meter-test [120, 1620] → 50 %, p50 870, p90 120 + 0.9 × 1500 = 1470;
//   conditions [0, 60] → 100 %, p50 30, p90 54; removal [240] → 100 %, p50 = p90 = 240.
//   Whole request: 4 closed (R1, R2, R3, R6), all within 2940 → 100 %.
// Surveys (answered Sun 12-13 08:00): R1 app overall 5 {quote 5, meter-test 4, removal 5};
//   R2 pishkhan overall 2 {quote 1}; R3 counter overall 3 {meter-test 2, conditions 3}.
//   By step: quote (5+1)/2 = 3, meter-test (4+2)/2 = 3, conditions 3, removal 5.
//   By channel: app 5, pishkhan 2, counter 3; overall (5+2+3)/3 = 3.33.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingSubscriber } from '../src/billing/billing.adapter.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { startTestApp, TEST_START, type TestApp } from './support/app.ts';

let t: TestApp;
const clock = new ManualClock(TEST_START);
// Tehran local → UTC instant.
const at = (day: string, time: string) => `${day}T${time}:00+03:30`;
const SAT = '2026-12-05';
const SUN = '2026-12-06';
const MON = '2026-12-07';
const WED = '2026-12-09';
const codes: Record<string, string> = {};
const tokens: Record<string, string> = {};

async function ok(r: Promise<{ status: number; json: any }>) {
  const res = await r;
  expect(res.status, JSON.stringify(res.json)).toBeLessThan(300);
  return res.json;
}

async function fileAs(username: 'pishkhan-operator' | 'clerk', s: BillingSubscriber, channel: string) {
  const r = await t.api('POST', '/api/v1/requests', {
    token: await t.staffToken(username),
    body: { service: 'temporary-removal', channel, billId: s.billId, relation: 'owner', applicant: t.applicantOf(s), reason: 'تخلیه ملک' },
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json.trackingCode as string;
}

async function surveyToken(mobile: string) {
  await t.flush();
  const text = t.sms(mobile).find((m) => m.text.includes('/survey/'))?.text ?? '';
  return /\/survey\/([\w-]+)/.exec(text)?.[1] ?? '';
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  const natural = (x: BillingSubscriber) => x.owner.personType === 'natural';
  const [s1, s2, s3, s4, s5, s6] = [1, 2, 3, 4, 5, 6].map(() => t.subscriber(natural)) as BillingSubscriber[];

  clock.set(at(SAT, '09:00'));
  codes['R1'] = (await t.file(s1!)).view.trackingCode;
  codes['R2'] = await fileAs('pishkhan-operator', s2!, 'pishkhan');
  codes['R3'] = await fileAs('clerk', s3!, 'counter');
  codes['R5'] = (await t.file(s5!)).view.trackingCode;
  codes['R6'] = (await t.file(s6!)).view.trackingCode;

  clock.set(at(SAT, '09:20'));
  await ok(t.act(codes['R6']!, 'clerk', 'reject', { reason: 'انشعاب مشترک است' }));
  clock.set(at(SAT, '09:30'));
  await ok(t.act(codes['R5']!, 'clerk', 'quote'));
  clock.set(at(SAT, '10:00'));
  await ok(t.act(codes['R1']!, 'clerk', 'quote'));
  await t.payAll(codes['R1']!, s1!.owner.mobile);
  clock.set(at(SAT, '11:00'));
  await ok(t.act(codes['R3']!, 'clerk', 'quote'));
  await t.payAll(codes['R3']!, s3!.owner.mobile);
  clock.set(at(SAT, '12:00'));
  await ok(t.act(codes['R1']!, 'meter-tester', 'record-meter-test', { result: 'ok', reading: 5000 }));
  clock.set(at(SAT, '13:00'));
  await ok(t.act(codes['R1']!, 'clerk', 'announce-conditions'));
  await ok(t.act(codes['R1']!, { applicant: s1!.owner.mobile }, 'accept-conditions'));
  clock.set(at(SUN, '10:00'));
  await ok(t.act(codes['R1']!, 'field-crew', 'record-removal', { finalReading: 5100, equipmentCondition: 'intact' }));
  await t.payAll(codes['R1']!, s1!.owner.mobile);
  expect((await t.view(codes['R1']!)).state).toBe('completed');
  clock.set(at(MON, '09:00'));
  await ok(t.act(codes['R2']!, 'clerk', 'quote'));
  clock.set(at(MON, '09:30'));
  await ok(t.act(codes['R2']!, 'pishkhan-operator', 'withdraw'));
  clock.set(at(WED, '10:00'));
  await ok(t.act(codes['R3']!, 'meter-tester', 'record-meter-test', { result: 'ok', reading: 7000 }));
  await ok(t.act(codes['R3']!, 'clerk', 'announce-conditions'));
  clock.set(at(WED, '10:30'));
  await ok(t.act(codes['R3']!, 'clerk', 'refuse-conditions', { reason: 'هزینه زیاد است' }));
  clock.set(at('2026-12-10', '09:00'));
  codes['R4'] = (await t.file(s4!)).view.trackingCode;

  tokens['R1'] = await surveyToken(s1!.owner.mobile);
  tokens['R2'] = await surveyToken(s2!.owner.mobile);
  tokens['R3'] = await surveyToken(s3!.owner.mobile);
  clock.set(at('2026-12-13', '08:00'));
  await ok(t.api('POST', `/api/v1/surveys/${tokens['R1']}`, { body: { overall: 5, steps: { quote: 5, 'meter-test': 4, removal: 5 }, tags: ['staff-courteous'], comment: 'خیلی سریع بود' } }));
  await ok(t.api('POST', `/api/v1/surveys/${tokens['R2']}`, { body: { overall: 2, steps: { quote: 1 }, tags: ['quote-slow'], comment: 'اعلام هزینه دو روز طول کشید' } }));
  await ok(t.api('POST', `/api/v1/surveys/${tokens['R3']}`, { body: { overall: 3, steps: { 'meter-test': 2, conditions: 3 }, tags: ['meter-test-late', 'conditions-unclear'], comment: '=آزمایش کنتور دیر انجام شد' } }));
  clock.set(at('2026-12-13', '09:00'));
}, 240_000);
afterAll(async () => t?.close());

const PERIOD = 'from=1405-09-01&to=1405-09-30';
const dashboard = async (query = PERIOD, user = 'supervisor') => t.api('GET', `/api/v1/reports/dashboard?${query}`, { token: await t.staffToken(user) });
const byKey = (list: Array<{ key?: string; value: unknown }>) => Object.fromEntries(list.map((x) => [x.key, x.value]));

describe('dashboard', () => {
  it('counts requests by channel and by Pishkhan office', async () => {
    const r = await dashboard();
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.volume.total).toBe(6);
    expect(byKey(r.json.volume.byChannel)).toEqual({ web: 0, app: 4, pishkhan: 1, counter: 1 });
    expect(r.json.volume.byChannel[1]).toEqual({ key: 'app', label: 'اپلیکیشن «برق من»', value: 4 });
    expect(r.json.volume.byOffice).toEqual([{ key: '37100123', label: 'دفتر پیشخوان ۳۷۱۰۰۱۲۳', value: 1 }]);
  });

  it('gives compliance per step and overall, p50/p90 against the target, breaches by step and unit', async () => {
    const { json } = await dashboard();
    expect(byKey(json.compliance.bySteps)).toEqual({ quote: 80, 'meter-test': 50, conditions: 100, removal: 100 });
    expect(json.compliance.overall).toMatchObject({ value: 100, compliant: 4, total: 4 });
    const d = Object.fromEntries(json.durations.map((x: any) => [x.key, [x.p50, x.p90, x.target, x.count]]));
    expect(d).toEqual({ quote: [60, 552, 420, 5], 'meter-test': [870, 1470, 1260, 2], conditions: [30, 54, 420, 2], removal: [240, 240, 1260, 1], whole: [660, 1470, 2940, 4] });
    // Whole [20, 480, 840, 1740]: p50 (480+840)/2 = 660; p90 840 + 0.7 × 900 = 1470 → position 2.7.
    expect(json.breaches.total).toBe(2);
    expect(byKey(json.breaches.bySteps)).toEqual({ quote: 1, 'meter-test': 1, conditions: 0, removal: 0 });
    expect(json.breaches.byUnit).toEqual(expect.arrayContaining([{ label: 'امور مشترکین', value: 1 }, { label: 'آزمایشگاه کنتور', value: 1 }]));
  });

  it('shows the backlog by state and age, and satisfaction by step and channel', async () => {
    const { json } = await dashboard();
    expect(json.backlog.total).toBe(2);
    expect(byKey(json.backlog.byState)).toMatchObject({ submitted: 1, 'awaiting-payment': 1, 'meter-test': 0 });
    expect(byKey(json.backlog.byAge)).toEqual({ '0-2': 0, '3-6': 1, '7-13': 1, '14-29': 0, '30+': 0 });
    expect(byKey(json.satisfaction.bySteps)).toMatchObject({ quote: 3, 'meter-test': 3, conditions: 3, removal: 5, payment: null });
    expect(byKey(json.satisfaction.byChannel)).toEqual({ web: null, app: 5, pishkhan: 2, counter: 3 });
    expect(json.satisfaction.overall).toMatchObject({ value: 3.33, count: 3 });
  });

  it('draws weekly (Saturday to Friday) and monthly Jalali trends', async () => {
    const { json } = await dashboard();
    expect(json.trends.weekly.filed).toEqual([
      { label: 'هفته ۳۰ آبان', value: 0 }, { label: 'هفته ۷ آذر', value: 0 }, { label: 'هفته ۱۴ آذر', value: 6 }, { label: 'هفته ۲۱ آذر', value: 0 }, { label: 'هفته ۲۸ آذر', value: 0 },
    ]);
    expect(json.trends.weekly.completed.map((x: any) => x.value)).toEqual([0, 0, 1, 0, 0]);
    expect(json.trends.weekly.compliance.map((x: any) => x.value)).toEqual([null, null, 100, null, null]);
    expect(json.trends.monthly).toEqual({ filed: [{ label: 'آذر ۱۴۰۵', value: 6 }], completed: [{ label: 'آذر ۱۴۰۵', value: 1 }], compliance: [{ label: 'آذر ۱۴۰۵', value: 100 }] });
  });

  it('filters by channel and office', async () => {
    const office = await dashboard(`${PERIOD}&office=۳۷۱۰۰۱۲۳`);
    expect(office.json.volume.total).toBe(1);
    expect(byKey(office.json.compliance.bySteps)).toMatchObject({ quote: 0 });
    expect(office.json.backlog.total).toBe(0);
    const counter = await dashboard(`${PERIOD}&channel=counter`);
    expect(byKey(counter.json.compliance.bySteps)).toMatchObject({ quote: 100, 'meter-test': 0 });
    expect(counter.json.satisfaction.overall.value).toBe(3);
    const before = await dashboard('from=1405-08-01&to=1405-08-30');
    expect(before.json.volume.total).toBe(0);
    expect(before.json.compliance.overall.value).toBeNull();
  });

  it('is for supervisors, administrators and auditors, and refuses a bad period in Persian', async () => {
    expect((await dashboard(PERIOD, 'clerk')).status).toBe(403);
    expect((await dashboard(PERIOD, 'auditor')).status).toBe(200);
    expect((await t.api('GET', `/api/v1/reports/dashboard?${PERIOD}`)).status).toBe(401);
    const bad = await dashboard('from=1405-09-31&to=1405-09-30');
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/بازه تاریخ/);
    const reversed = await dashboard('from=1405-09-20&to=1405-09-10');
    expect(reversed.status).toBe(400);
  });
});

describe('agreement review', () => {
  it('tabulates each step with its target, actuals, breach rate, satisfaction, tags and a suggested target', async () => {
    const r = await t.api('GET', `/api/v1/reports/agreement-review?${PERIOD}`, { token: await t.staffToken('admin') });
    expect(r.status).toBe(200);
    const rows = Object.fromEntries(r.json.rows.map((x: any) => [x.step, x]));
    // quote: 5 cases, 1 breached = 20 % > 10 % → p90 552 rounded up to a half day (210) = 630 = 1.5 days.
    expect(rows.quote).toMatchObject({ targetMinutes: 420, p50Minutes: 60, p90Minutes: 552, count: 5, breachRatePercent: 20, satisfaction: 3, satisfactionCount: 2, suggestedTargetMinutes: 630, suggestedTargetDays: 1.5 });
    expect(rows.quote.topTags).toEqual([{ key: 'quote-slow', label: 'اعلام هزینه طول کشید', count: 1 }]);
    expect(rows.quote.lowScoreComments).toEqual(['اعلام هزینه دو روز طول کشید']);
    // meter-test: only 2 cases (< 5) → no suggestion, said so.
    expect(rows['meter-test']).toMatchObject({ count: 2, breachRatePercent: 50, suggestedTargetMinutes: null });
    expect(rows['meter-test'].suggestionFa).toMatch(/نمونه کافی نیست/);
    expect(rows.payment).toMatchObject({ clock: 'applicant', timeUnit: 'calendar-days', targetDays: 30 });
    expect(rows.whole).toMatchObject({ targetMinutes: 2940, count: 4, compliancePercent: 100 });
    expect(r.json.topTags[0]).toMatchObject({ count: 1 });
    expect(r.json.comments).toHaveLength(3);
  });

  it('exports an xlsx workbook that reads back: right to left, Persian headers, numbers as numbers', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/reports/agreement-review?${PERIOD}&format=xlsx`, headers: { authorization: `Bearer ${await t.staffToken('supervisor')}` } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('بازنگری توافقنامه')!;
    expect(sheet.views[0]?.rightToLeft).toBe(true);
    expect(sheet.getRow(1).getCell(1).value).toBe('مرحله');
    expect(sheet.getRow(1).getCell(4).value).toBe('هدف');
    const quote = sheet.getRow(2);
    expect(quote.getCell(1).value).toBe('بررسی و اعلام هزینه');
    expect(quote.getCell(4).value).toBe(1); // target: 1 working day, a number
    expect(quote.getCell(6).value).toBe(1.31); // p90 552 / 420
    expect(quote.getCell(7).value).toBe(5);
    expect(quote.getCell(8).value).toBe(20);
    expect(quote.getCell(14).value).toBe(1.5);
    expect(sheet.rowCount).toBe(9); // header + 7 steps + whole request
    const comments = workbook.getWorksheet('نظرها')!;
    // A comment that starts like a formula is kept as text, defused.
    const texts = comments.getColumn(5).values.filter(Boolean);
    expect(texts).toContain("'=آزمایش کنتور دیر انجام شد");
  });

  it('exports CSV in UTF-8 with a byte order mark', async () => {
    const r = await t.raw('GET', `/api/v1/reports/agreement-review?${PERIOD}&format=csv`, { token: await t.staffToken('auditor') });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    expect(r.body.charCodeAt(0)).toBe(0xfeff);
    const lines = r.body.slice(1).split('\r\n');
    expect(lines[0]!.startsWith('مرحله,واحد مسئول,واحد زمان,هدف')).toBe(true);
    expect(lines[1]).toContain('بررسی و اعلام هزینه,امور مشترکین,روز کاری,1,0.14,1.31,5,20,80,3,2');
  });

  it('is refused to a clerk', async () => {
    expect((await t.api('GET', `/api/v1/reports/agreement-review?${PERIOD}`, { token: await t.staffToken('clerk') })).status).toBe(403);
  });
});
