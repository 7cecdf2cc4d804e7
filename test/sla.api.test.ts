// The SLA engine through the API and its job: due dates and statuses in the request view, the
// 50/75/100 % alerts firing once each as the fake clock passes them, applicant reminders and
// archiving at the deadline, a holiday added while a request is open, and the explanation.
// Times: the test clock starts Saturday 1405-09-14 09:00 Tehran (2026-12-05T05:30Z); working
// hours 07:00–14:00 (03:30Z–10:30Z), Saturday to Wednesday.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/database/database.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { startTestApp, TEST_START, type TestApp } from './support/app.ts';
import { createSlaInstance } from './support/sla-instance.ts';

let t: TestApp;
const clock = new ManualClock(TEST_START);

beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterAll(async () => t?.close());

async function alerts(code: string) {
  const db = t.app.barq.db;
  const row = await db.selectFrom('requests').select('id').where('trackingCode', '=', code).executeTakeFirstOrThrow();
  return db.selectFrom('slaAlerts').select(['step', 'kind']).where('requestId', '=', row.id).orderBy('firedAt').orderBy('kind').execute();
}

async function inbox(role: string, code: string) {
  const db = t.app.barq.db;
  const row = await db.selectFrom('requests').select('id').where('trackingCode', '=', code).executeTakeFirstOrThrow();
  return db.selectFrom('staffNotifications').select(['role', 'kind', 'textFa']).where('requestId', '=', row.id).where('role', '=', role).orderBy('createdAt').execute();
}

describe('SLA in the request view', () => {
  it('shows each step with its due date, status and the promised date', async () => {
    clock.set(TEST_START);
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    // Quote: 420 working minutes from Sat 09:00 → Sun 12-06 09:00 (05:30Z).
    expect(view.sla.steps).toEqual([
      expect.objectContaining({ key: 'quote', state: 'submitted', clock: 'company', status: 'on-track', dueAt: '2026-12-06T05:30:00.000Z', elapsedWorkingMinutes: 0, targetMinutes: 420 }),
    ]);
    // Promise: 2940 working minutes → Mon 12-14 09:00 (05:30Z) (see src/sla/clock.test.ts).
    expect(view.sla.promisedAt).toBe('2026-12-14T05:30:00.000Z');
    expect(view.sla.promisedAtJalali).toBe('دوشنبه ۲۳ آذر ۱۴۰۵');
    // The registration SMS and the public tracking view carry the same promise.
    await t.flush();
    expect(t.sms(s.owner.mobile).some((m) => m.text.includes('دوشنبه ۲۳ آذر ۱۴۰۵'))).toBe(true);
    const tracked = await t.api('GET', `/api/v1/track/${view.trackingCode}?nationalCode=${s.owner.nationalCode}`);
    expect(tracked.json.promisedAtJalali).toBe('دوشنبه ۲۳ آذر ۱۴۰۵');

    // Quoted at Sat 10:00: the quote step is met with 60 minutes; the payment step pauses the company clock.
    clock.set('2026-12-05T06:30:00Z');
    await t.act(view.trackingCode, 'clerk', 'quote');
    clock.set('2026-12-10T06:30:00Z'); // Thursday, five days later
    const paused = await t.view(view.trackingCode);
    expect(paused.sla.steps.map((x: any) => [x.key, x.status, x.elapsedWorkingMinutes])).toEqual([['quote', 'met', 60], ['payment', 'paused', 0]]);
    expect(paused.sla.companyWorkingMinutes).toBe(60);
    expect(paused.sla.status).toBe('paused');
  });
});

describe('alerts at 50, 75 and 100 %', () => {
  it('fire once each as the clock passes them, then escalate to the supervisor', async () => {
    clock.set(TEST_START);
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    const code = view.trackingCode;
    const run = () => t.app.barq.sla.runDue();

    await run();
    expect(await alerts(code)).toEqual([]);

    // 50 % = 210 min → Sat 12:30 (09:00Z).
    clock.set('2026-12-05T08:59:00Z');
    await run();
    expect(await alerts(code)).toEqual([]);
    clock.set('2026-12-05T09:00:00Z');
    await run();
    await run();
    expect(await alerts(code)).toEqual([{ step: 'quote', kind: 'warning-50' }]);
    expect((await t.view(code)).sla.steps[0].status).toBe('warning');

    // 75 % = 315 min → Sat 300 (09–14) + Sun 15 → Sun 07:15 (03:45Z).
    clock.set('2026-12-06T03:45:00Z');
    await run();
    await run();
    expect((await alerts(code)).map((a) => a.kind)).toEqual(['warning-50', 'warning-75']);
    expect((await inbox('clerk', code)).map((n) => n.kind)).toEqual(['sla-warning-50', 'sla-warning-75']);

    // 100 % = 420 min → Sun 09:00 (05:30Z): breach, supervisor told, request escalated, applicant gets an apology.
    clock.set('2026-12-06T05:30:00Z');
    await run();
    await run();
    expect((await alerts(code)).map((a) => a.kind)).toEqual(['warning-50', 'warning-75', 'breach']);
    expect((await inbox('supervisor', code)).map((n) => n.kind)).toEqual(['sla-breach']);
    expect((await inbox('supervisor', code))[0]!.textFa).toContain('امور مشترکین');
    const escalated = await t.view(code);
    expect(escalated.sla.steps[0].status).toBe('breached');
    expect(escalated.sla.escalatedAt).toBe('2026-12-06T05:30:00.000Z');
    expect(escalated.events.filter((e: any) => e.action === 'escalate')).toHaveLength(1);
    await t.flush();
    expect(t.sms(s.owner.mobile).filter((m) => m.text.includes('پوزش'))).toHaveLength(1);

    // Much later, nothing fires again.
    clock.set('2026-12-09T05:30:00Z');
    await run();
    expect(await alerts(code)).toHaveLength(3);
  });

  it('several workers on one database still fire each alert exactly once', async () => {
    clock.set(TEST_START);
    const subscribers = [t.subscriber(), t.subscriber(), t.subscriber()];
    const codes: string[] = [];
    for (const s of subscribers) codes.push((await t.file(s)).view.trackingCode);
    // Two more instances of the SLA engine, each over its own connection pool to the same
    // PostgreSQL database (on the embedded database, which has one session, over the same one).
    const extra = t.databaseUrl ? await Promise.all([openDatabase({ databaseUrl: t.databaseUrl, poolSize: 4 }), openDatabase({ databaseUrl: t.databaseUrl, poolSize: 4 })]) : [];
    const engines = [t.app.barq.sla, ...(extra.length ? extra.map((h) => createSlaInstance(t, h.db)) : [createSlaInstance(t, t.app.barq.db), createSlaInstance(t, t.app.barq.db)])];
    try {
      for (const at of ['2026-12-05T09:00:00Z', '2026-12-06T03:45:00Z', '2026-12-06T05:30:00Z']) {
        clock.set(at);
        await Promise.all(engines.flatMap((e) => [e.runDue({ limit: 2 }), e.runDue({ limit: 2 }), e.runDue({ limit: 2 })]));
        await Promise.all(engines.map((e) => e.runDue()));
      }
      for (const code of codes) {
        expect((await alerts(code)).map((a) => a.kind).sort()).toEqual(['breach', 'warning-50', 'warning-75']);
        expect(await inbox('supervisor', code)).toHaveLength(1);
        expect((await t.view(code)).events.filter((e: any) => e.action === 'escalate')).toHaveLength(1);
      }
    } finally {
      await Promise.all(extra.map((h) => h.close()));
    }
  });
});

describe('applicant deadlines', () => {
  it('reminds before the payment deadline and archives when it passes', async () => {
    clock.set(TEST_START);
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    const code = view.trackingCode;
    await t.act(code, 'clerk', 'quote'); // at Sat 09:00; payment due 30 days later: 2027-01-04T05:30Z
    const before = t.sms(s.owner.mobile).length;
    clock.set('2026-12-28T05:29:00Z'); // 7 days before, minus a minute
    await t.app.barq.sla.runDue();
    clock.set('2026-12-28T05:30:00Z'); // 7 days before
    await t.app.barq.sla.runDue();
    await t.app.barq.sla.runDue();
    clock.set('2027-01-02T05:30:00Z'); // 2 days before
    await t.app.barq.sla.runDue();
    await t.flush();
    const reminders = t.sms(s.owner.mobile).slice(0, t.sms(s.owner.mobile).length - before).filter((m) => m.text.includes('مهلت پرداخت'));
    expect(reminders).toHaveLength(2);
    expect((await t.view(code)).state).toBe('awaiting-payment');

    clock.set('2027-01-04T05:30:00Z');
    await t.app.barq.sla.runDue();
    const archived = await t.view(code);
    expect(archived.state).toBe('archived');
    expect(archived.events.at(-1)).toMatchObject({ action: 'archive', actorRole: 'system', reason: 'پرداخت در مهلت مقرر انجام نشد' });
  });
});

describe('calendar changes and the explanation', () => {
  it('a holiday added while a request is open moves its due date; the explanation names it', async () => {
    clock.set(TEST_START);
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    const code = view.trackingCode;
    expect(view.sla.steps[0].dueAt).toBe('2026-12-06T05:30:00.000Z');
    const admin = await t.staffToken('admin');
    // Sunday 1405-09-15 becomes a holiday: the quote is now due Monday 09:00 (05:30Z).
    const added = await t.api('POST', '/api/v1/admin/calendar/holidays', { token: admin, body: { date: '۱۴۰۵-۰۹-۱۵', title: 'تعطیلی اضطراری آلودگی هوا' } });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ date: '1405-09-15', gregorian: '2026-12-06' });
    clock.set('2026-12-07T04:30:00Z'); // Mon 08:00: 300 (Sat) + 60 = 360 elapsed
    const moved = await t.view(code);
    expect(moved.sla.steps[0]).toMatchObject({ dueAt: '2026-12-07T05:30:00.000Z', elapsedWorkingMinutes: 360, status: 'warning' });
    const explained = await t.api('GET', `/api/v1/requests/${code}/sla`, { token: await t.staffToken('supervisor') });
    expect(explained.status).toBe(200);
    const pauses = explained.json.steps[0].timeline.filter((p: any) => !p.running).map((p: any) => p.reason);
    // Sat 09:00–14:00 ran; from Sat 14:00 to Mon 07:00 it stood still, and the reason names the new holiday; Mon 07:00–08:00 ran.
    expect(explained.json.steps[0].timeline.map((p: any) => [p.from, p.to, p.running])).toEqual([
      ['2026-12-05T05:30:00.000Z', '2026-12-05T10:30:00.000Z', true],
      ['2026-12-05T10:30:00.000Z', '2026-12-07T03:30:00.000Z', false],
      ['2026-12-07T03:30:00.000Z', '2026-12-07T04:30:00.000Z', true],
    ]);
    expect(pauses).toEqual(['تعطیل رسمی: تعطیلی اضطراری آلودگی هوا']);

    const adminNow = await t.staffToken('admin'); // the morning's session has expired by Monday
    const list = await t.api('GET', '/api/v1/admin/calendar/holidays?year=1405', { token: adminNow });
    expect(list.status).toBe(200);
    expect(list.json.holidays.length).toBeGreaterThan(25);
    expect((await t.api('DELETE', `/api/v1/admin/calendar/holidays/${added.json.id}`, { token: adminNow })).status).toBe(204);
    expect((await t.view(code)).sla.steps[0].dueAt).toBe('2026-12-06T05:30:00.000Z');
  });

  it('refuses a bad holiday date, and anyone but an administrator', async () => {
    const admin = await t.staffToken('admin');
    const bad = await t.api('POST', '/api/v1/admin/calendar/holidays', { token: admin, body: { date: '1405-12-30', title: 'روز ناموجود' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'date' } });
    const clerk = await t.api('POST', '/api/v1/admin/calendar/holidays', { token: await t.staffToken('clerk'), body: { date: '1405-10-10', title: 'آزمایش' } });
    expect(clerk.status).toBe(403);
  });

  it('publishes a new agreement version; requests keep the version they were filed under', async () => {
    clock.set(TEST_START);
    const admin = await t.staffToken('admin');
    const current = await t.api('GET', '/api/v1/admin/sla/agreements', { token: admin });
    const targets = current.json.inForce.targets;
    const s1 = t.subscriber();
    const first = (await t.file(s1)).view;
    const published = await t.api('POST', '/api/v1/admin/sla/agreements', {
      token: admin,
      body: { validFrom: '1405-09-14', validTo: '1406-12-29', approvedBy: 'مدیرعامل', targets: { ...targets, steps: { ...targets.steps, quote: 840 } } },
    });
    expect(published.status).toBe(201);
    const s2 = t.subscriber();
    const second = (await t.file(s2)).view;
    expect(first.sla.agreementVersion).toBe(1);
    expect(second.sla.agreementVersion).toBe(2);
    expect(second.sla.steps[0].targetMinutes).toBe(840);
    expect((await t.view(first.trackingCode)).sla.steps[0].targetMinutes).toBe(420);
  });
});
