// Notifications through the API and the dispatcher: the outbox is written with the transition
// (a rollback writes nothing, a commit always does), backoff and giving up on the fake clock,
// delivery receipts (queued → sent → delivered | failed), a must-act SMS that does not arrive
// opening a call task and stopping the applicant's clock until a clerk reaches them, the staff
// view of a request's messages, the failed queue with retry, administrators' templates, and two
// dispatchers on one database never sending the same message.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNotificationService } from '../src/notifications/notification.service.ts';
import type { SmsProvider } from '../src/notifications/sms.adapter.ts';
import { openDatabase } from '../src/platform/database/database.ts';
import { createOutbox, MAX_ATTEMPTS } from '../src/platform/outbox.ts';
import { startTestApp, TEST_START, type TestApp } from './support/app.ts';
import { onPostgres } from './support/database.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ poolSize: 10 });
});
afterAll(async () => t?.close());
afterEach(() => vi.restoreAllMocks());

const db = () => t.app.barq.db;
async function requestId(code: string) {
  return (await db().selectFrom('requests').select('id').where('trackingCode', '=', code).executeTakeFirstOrThrow()).id;
}
async function smsOf(code: string) {
  return db().selectFrom('smsMessages').selectAll().where('requestId', '=', await requestId(code)).orderBy('createdAt').execute();
}
const natural = () => t.subscriber((x) => x.owner.personType === 'natural');

describe('the outbox is written with the transition', () => {
  it('a transition that rolls back writes no message', async () => {
    t.clock.set(TEST_START);
    const s = natural();
    const { view } = await t.file(s);
    await t.flush();
    const before = await smsOf(view.trackingCode);
    // The quote fails after its SMS was written in the transaction (recording the amounts due).
    vi.spyOn(t.app.barq.payments, 'addAmountsDue').mockRejectedValueOnce(new Error('disk full'));
    const failed = await t.act(view.trackingCode, 'clerk', 'quote');
    expect(failed.status).toBe(500);
    expect((await t.view(view.trackingCode)).state).toBe('submitted');
    expect(await smsOf(view.trackingCode)).toEqual(before);
    const outbox = await db().selectFrom('outbox').select('payload').where('requestId', '=', await requestId(view.trackingCode)).execute();
    expect(outbox.map((o) => (o.payload as { template: string }).template)).toEqual(['request-registered']);
    await t.flush();
    expect(t.sms(s.owner.mobile).filter((m) => m.text.includes('آماده پرداخت'))).toEqual([]);
  });

  it('a committed one always does, even when nothing dispatches it after commit', async () => {
    t.clock.set(TEST_START);
    const s = natural();
    const { view } = await t.file(s);
    await t.flush();
    // The process "dies" right after commit: no post-commit dispatch happens.
    const dispatch = vi.spyOn(t.app.barq.outbox, 'dispatch').mockResolvedValue(0);
    expect((await t.act(view.trackingCode, 'clerk', 'quote')).status).toBe(200);
    expect(dispatch).toHaveBeenCalled();
    const quote = (await smsOf(view.trackingCode)).find((m) => m.template === 'quote-issued')!;
    expect(quote).toMatchObject({ status: 'queued', sentAt: null, mustAct: true });
    expect((await db().selectFrom('outbox').select('status').where('id', '=', quote.id).executeTakeFirstOrThrow()).status).toBe('pending');
    dispatch.mockRestore();
    // The worker's next tick sends it.
    await t.flush();
    expect((await smsOf(view.trackingCode)).find((m) => m.id === quote.id)).toMatchObject({ status: 'sent', providerMessageId: expect.any(String) });
    expect(t.sms(s.owner.mobile).filter((m) => m.text.includes('آماده پرداخت'))).toHaveLength(1);
  });
});

describe('the dispatcher', () => {
  it('retries with exponential backoff on the fake clock and gives up after MAX_ATTEMPTS', async () => {
    t.clock.set('2026-12-05T08:00:00Z');
    // The provider refuses this receptor every time (Kavenegar 411).
    const id = await t.app.barq.notifications.enqueueSms(db(), { to: '0912', template: 'withdrawn', data: { trackingCode: '140509120037' } });
    const row = () => db().selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const dispatchDue = () => t.app.barq.outbox.dispatch({ ids: [id] });
    let at = t.clock.now().getTime();
    await dispatchDue();
    // 30 s, 1, 2, 4, 8, 16, 32 minutes between tries.
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      const wait = 30_000 * 2 ** (attempt - 1);
      expect(await row()).toMatchObject({ status: 'pending', attempts: attempt });
      expect((await row()).availableAt.getTime()).toBe(at + wait);
      t.clock.set(new Date(at + wait - 1_000));
      await dispatchDue();
      expect((await row()).attempts).toBe(attempt); // not yet due
      at += wait;
      t.clock.set(new Date(at));
      await dispatchDue();
    }
    // The eighth failure gives up: 63.5 minutes after the first try.
    expect(at - new Date('2026-12-05T08:00:00Z').getTime()).toBe(3_810_000);
    expect(await row()).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    const sms = await db().selectFrom('smsMessages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(sms).toMatchObject({ status: 'failed', failedAt: new Date(at) });
    expect(sms.failureReason).toContain('411');
    t.clock.advance(3_600_000);
    await dispatchDue();
    expect((await row()).attempts).toBe(MAX_ATTEMPTS);
  });

  it('gives a sign-in code up once it has expired (2 minutes), long before MAX_ATTEMPTS', async () => {
    t.clock.set('2026-12-05T09:00:00Z');
    const id = await t.app.barq.notifications.enqueueSms(db(), { to: '0912', template: 'otp', data: { code: '123456' } });
    const row = () => db().selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await t.app.barq.outbox.dispatch({ ids: [id] }); // 09:00:00 fails, next 09:00:30
    t.clock.advance(30_000);
    await t.app.barq.outbox.dispatch({ ids: [id] }); // fails, next 09:01:30
    t.clock.advance(60_000);
    await t.app.barq.outbox.dispatch({ ids: [id] }); // fails; the next try (09:03:30) is past 09:02:00
    expect(await row()).toMatchObject({ status: 'failed', attempts: 3 });
    expect(await db().selectFrom('smsMessages').select(['status', 'text']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ status: 'failed', text: null });
    expect((await row()).payload).not.toHaveProperty('text');
  });

  it('two dispatchers on one database never send the same message', async () => {
    t.clock.set('2026-12-05T10:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 60; i += 1) ids.push(await t.app.barq.notifications.enqueueSms(db(), { to: `0935${String(5_000_000 + i)}`, template: 'withdrawn', data: { trackingCode: '140509120037' } }));
    // Two worker instances, each with its own pool on PostgreSQL (real concurrency), and a provider that counts every send.
    const sent: Array<{ worker: number; localId: string }> = [];
    const provider = (worker: number): SmsProvider => ({
      async send(input) {
        sent.push({ worker, localId: input.localId });
        await new Promise((resolve) => setTimeout(resolve, 3));
        return { providerMessageId: `${worker}-${input.localId}`, status: 'queued' };
      },
      status: async () => [],
    });
    const handles = onPostgres ? [await openDatabase({ databaseUrl: t.databaseUrl!, poolSize: 4 }), await openDatabase({ databaseUrl: t.databaseUrl!, poolSize: 4 })] : [];
    try {
      const workers = [0, 1].map((worker) => {
        const workerDb = handles[worker]?.db ?? db();
        const outbox = createOutbox({ db: workerDb, clock: t.clock, log: t.app.log });
        createNotificationService({ db: workerDb, clock: t.clock, outbox, sms: provider(worker), log: t.app.log });
        return outbox;
      });
      const drain = async (outbox: (typeof workers)[number]) => {
        while ((await outbox.dispatch({ limit: 7 })) > 0);
      };
      await Promise.all([drain(workers[0]!), drain(workers[1]!), drain(workers[0]!), drain(workers[1]!)]);
    } finally {
      for (const h of handles) await h.close();
    }
    const mine = sent.filter((s) => ids.includes(s.localId));
    expect(mine).toHaveLength(60);
    expect(new Set(mine.map((s) => s.localId)).size).toBe(60);
    if (onPostgres) expect(new Set(mine.map((s) => s.worker)).size).toBe(2);
    const statuses = await db().selectFrom('outbox').select('status').where('id', 'in', ids).execute();
    expect(statuses.every((s) => s.status === 'sent')).toBe(true);
  });
});

describe('delivery receipts and contact with the applicant', () => {
  it('records queued → sent → delivered with timestamps, and shows them to staff (never a code)', async () => {
    t.clock.set(TEST_START);
    const s = natural();
    const { view } = await t.file(s);
    const queued = (await smsOf(view.trackingCode))[0]!;
    await t.flush();
    const sentRow = (await smsOf(view.trackingCode))[0]!;
    expect(sentRow).toMatchObject({ id: queued.id, status: 'sent', sentAt: new Date(TEST_START) });
    // Receipts are asked for a minute after sending.
    expect(await t.app.barq.notifications.pollReceipts()).toBe(0);
    t.clock.advance(60_000);
    expect(await t.app.barq.notifications.pollReceipts()).toBeGreaterThan(0);
    const messages = await t.api('GET', `/api/v1/requests/${view.trackingCode}/messages`, { token: await t.staffToken('clerk') });
    expect(messages.status).toBe(200);
    expect(messages.json.messages).toEqual([
      expect.objectContaining({ template: 'request-registered', status: 'delivered', statusTitle: 'به گیرنده رسید', createdAt: TEST_START.replace('Z', '.000Z'), sentAt: TEST_START.replace('Z', '.000Z'), deliveredAt: '2026-12-05T05:31:00.000Z', text: expect.stringContaining('کد رهگیری') }),
    ]);
    // The applicant's sign-in code went to the same mobile but is no message of the request; the queue never shows its text.
    const all = await t.api('GET', '/api/v1/admin/messages', { token: await t.staffToken('admin') });
    expect(all.json.messages.filter((m: { template: string }) => m.template === 'otp').every((m: { text: string | null }) => m.text === null)).toBe(true);
    expect((await t.api('GET', `/api/v1/requests/${view.trackingCode}/messages`, { token: await t.applicantToken(s.owner.mobile) })).status).toBe(403);
  });

  it('a quote that does not arrive opens a call task and stops the applicant clock until a clerk reaches them', async () => {
    t.clock.set(TEST_START);
    const s = natural();
    const { view } = await t.file(s);
    const code = view.trackingCode;
    t.app.barq.twins.sms!.setDeliveryOutcome(s.owner.mobile, 'failed');
    t.clock.set('2026-12-05T06:30:00Z');
    expect((await t.act(code, 'clerk', 'quote')).status).toBe(200);
    await t.flush();
    t.clock.set('2026-12-06T06:30:00Z'); // the receipt comes back a day later: lost
    await t.app.barq.notifications.pollReceipts();
    const rows = await smsOf(code);
    expect(rows.map((m) => [m.template, m.status, m.failureReason])).toEqual([
      ['request-registered', 'failed', 'undelivered'],
      ['quote-issued', 'failed', 'undelivered'],
    ]);
    // Only the message the applicant must act on raises a task, and the request records the lost contact.
    const clerk = await t.staffToken('clerk');
    const tasks = (await t.api('GET', '/api/v1/staff/tasks', { token: clerk })).json.tasks.filter((x: { trackingCode: string }) => x.trackingCode === code);
    expect(tasks).toEqual([expect.objectContaining({ kind: 'call-applicant', status: 'open', mobile: s.owner.mobile, smsMessageId: rows[1]!.id, attempts: 0 })]);
    expect((await t.eventRows(code)).map((e) => e.action)).toEqual(['submit', 'quote', 'contact-lost']);
    let sla = (await t.view(code)).sla;
    expect(sla.steps[1]).toMatchObject({ key: 'payment', status: 'paused' });

    // No reminder and no archiving while contact is lost, even 40 days on.
    t.clock.set('2027-01-15T06:30:00Z');
    await t.app.barq.sla.runDue();
    await t.app.barq.sla.runDue();
    expect((await t.view(code)).state).toBe('awaiting-payment');
    expect(t.sms(s.owner.mobile).filter((m) => m.text.includes('مهلت پرداخت'))).toEqual([]);

    // A call nobody answers keeps the task open and the clock stopped.
    const unreachable = await t.api('POST', `/api/v1/staff/tasks/${tasks[0].id}/resolve`, { token: await t.staffToken('clerk'), body: { outcome: 'unreachable', note: 'پاسخ نداد' } });
    expect(unreachable.json).toMatchObject({ status: 'open', attempts: 1, outcome: 'unreachable', note: 'پاسخ نداد' });
    expect((await t.eventRows(code)).map((e) => e.action).at(-1)).toBe('contact-lost');

    // Reached on 01-16 06:30Z: 41 days lost, so the payment deadline is 01-04 + 41 days = 02-14.
    t.clock.set('2027-01-16T06:30:00Z');
    const reached = await t.api('POST', `/api/v1/staff/tasks/${tasks[0].id}/resolve`, { token: await t.staffToken('clerk'), body: { outcome: 'reached', note: 'مبلغ و پیوند پرداخت تلفنی اعلام شد' } });
    expect(reached.json).toMatchObject({ status: 'done', attempts: 2, outcome: 'reached', resolvedBy: 'staff:clerk', resolvedAt: '2027-01-16T06:30:00.000Z' });
    expect((await t.eventRows(code)).map((e) => e.action)).toEqual(['submit', 'quote', 'contact-lost', 'contact-restored']);
    sla = (await t.view(code)).sla;
    expect(sla.steps[1].dueAt).toBe('2027-02-14T06:30:00.000Z');
    const again = await t.api('POST', `/api/v1/staff/tasks/${tasks[0].id}/resolve`, { token: await t.staffToken('clerk'), body: { outcome: 'reached' } });
    expect([again.status, again.json.error.code]).toEqual([409, 'PRECONDITION_FAILED']);

    // The explanation names the pause.
    const explained = await t.api('GET', `/api/v1/requests/${code}/sla`, { token: await t.staffToken('supervisor') });
    expect(JSON.stringify(explained.json.steps[1].timeline)).toContain('به او نرسید');

    // The deadline now runs: the job archives only once the moved deadline has passed.
    t.clock.set('2027-02-14T06:00:00Z');
    await t.app.barq.sla.runDue();
    expect((await t.view(code)).state).toBe('awaiting-payment');
    t.clock.set('2027-02-14T06:31:00Z');
    await t.app.barq.sla.runDue();
    expect((await t.view(code)).state).toBe('archived');
  });

  it('lists failed messages for administrators and sends one again as a new message', async () => {
    const admin = await t.staffToken('admin');
    const failed = await t.api('GET', '/api/v1/admin/messages?status=failed', { token: admin });
    expect(failed.status).toBe(200);
    const quote = failed.json.messages.find((m: { template: string }) => m.template === 'quote-issued');
    expect(quote).toMatchObject({ status: 'failed', statusTitle: 'ناموفق', failureReasonFa: expect.stringContaining('نرسید'), retriedAt: null });
    t.app.barq.twins.sms!.setDeliveryOutcome(quote.to, 'delivered');
    const retried = await t.api('POST', `/api/v1/admin/messages/${quote.id}/retry`, { token: admin });
    expect(retried.status).toBe(201);
    expect(retried.json).toMatchObject({ retryOf: quote.id, template: 'quote-issued', text: quote.text });
    await t.flush();
    expect(await db().selectFrom('smsMessages').select('status').where('id', '=', retried.json.id).executeTakeFirstOrThrow()).toEqual({ status: 'sent' });
    const after = await t.api('GET', '/api/v1/admin/messages?status=failed', { token: admin });
    expect(after.json.messages.some((m: { id: string }) => m.id === quote.id)).toBe(false);
    const twice = await t.api('POST', `/api/v1/admin/messages/${quote.id}/retry`, { token: admin });
    expect([twice.status, twice.json.error.code]).toEqual([409, 'PRECONDITION_FAILED']);
    expect((await t.api('POST', `/api/v1/admin/messages/${quote.id}/retry`, { token: await t.staffToken('clerk') })).status).toBe(403);
    // A sign-in code is never sent again.
    const otp = after.json.messages.find((m: { template: string }) => m.template === 'otp');
    expect((await t.api('POST', `/api/v1/admin/messages/${otp.id}/retry`, { token: admin })).status).toBe(409);
  });
});

describe('templates for administrators', () => {
  it('lists every template with its fields, sample, rendered text and SMS length', async () => {
    const r = await t.api('GET', '/api/v1/admin/sms-templates', { token: await t.staffToken('admin') });
    expect(r.status).toBe(200);
    expect(r.json.templates).toHaveLength(17);
    const quote = r.json.templates.find((x: { name: string }) => x.name === 'quote-issued');
    expect(quote).toMatchObject({
      title: 'اعلام هزینه', fields: ['trackingCode', 'total', 'payUrl'], custom: false, mustAct: true, encoding: 'UCS-2', segments: 3, characters: 199,
      sample: { trackingCode: '140509120037', total: '۱۲٬۵۰۰٬۰۰۰ ریال', payUrl: 'https://desk.example.ir/requests/140509120037' },
    });
    expect(quote.rendered).toContain('۱۴۰۵۰۹۱۲۰۰۳۷');
    expect(r.json.templates.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['meter-test-scheduled', 'survey-invitation']));
    expect((await t.api('GET', '/api/v1/admin/sms-templates', { token: await t.staffToken('clerk') })).status).toBe(403);
  });

  it('refuses an unknown field with a Persian message naming it, and only an administrator may edit', async () => {
    const admin = await t.staffToken('admin');
    const bad = await t.api('PUT', '/api/v1/admin/sms-templates/withdrawn', { token: admin, body: { text: 'درخواست {trackingCode} لغو شد؛ {refundAmount} بازگردانده نمی‌شود.' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'UNKNOWN_TEMPLATE_FIELD', details: { templateField: 'refundAmount', allowed: ['trackingCode'] } });
    expect(bad.json.error.message).toContain('«{refundAmount}»');
    const preview = await t.api('POST', '/api/v1/admin/sms-templates/withdrawn/preview', { token: admin, body: { text: '{nope}' } });
    expect([preview.status, preview.json.error.code]).toEqual([400, 'UNKNOWN_TEMPLATE_FIELD']);
    expect((await t.api('PUT', '/api/v1/admin/sms-templates/withdrawn', { token: await t.staffToken('supervisor'), body: { text: 'x {trackingCode}' } })).status).toBe(403);
    expect((await t.api('PUT', '/api/v1/admin/sms-templates/no-such', { token: admin, body: { text: 'x' } })).status).toBe(404);
  });

  it('previews, saves with who and when, uses the edited text for the next message, and goes back to the built-in text', async () => {
    t.clock.set(TEST_START);
    const admin = await t.staffToken('admin');
    const text = 'میز خدمت برق: درخواست {trackingCode} به خواست شما لغو شد.';
    const preview = await t.api('POST', '/api/v1/admin/sms-templates/withdrawn/preview', { token: admin, body: { text } });
    expect(preview.json).toEqual({ rendered: 'میز خدمت برق: درخواست ۱۴۰۵۰۹۱۲۰۰۳۷ به خواست شما لغو شد.', segments: 1, characters: 55, encoding: 'UCS-2' });
    const saved = await t.api('PUT', '/api/v1/admin/sms-templates/withdrawn', { token: admin, body: { text } });
    expect(saved.json).toMatchObject({ name: 'withdrawn', text, custom: true, version: 1, updatedBy: 'staff:admin', updatedAt: '2026-12-05T05:30:00.000Z', segments: 1 });
    expect((await t.api('POST', '/api/v1/admin/sms-templates/withdrawn/preview', { token: admin, body: {} })).json.rendered).toContain('به خواست شما');

    const s = natural();
    const { view } = await t.file(s);
    expect((await t.act(view.trackingCode, { applicant: s.owner.mobile }, 'withdraw', { reason: 'منصرف شدم' })).status).toBe(200);
    await t.flush();
    expect(t.sms(s.owner.mobile).map((m) => m.text)).toContain(`میز خدمت برق: درخواست ${view.trackingCode.replace(/\d/g, (d: string) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!)} به خواست شما لغو شد.`);

    const reset = await t.api('DELETE', '/api/v1/admin/sms-templates/withdrawn', { token: admin });
    expect(reset.json).toMatchObject({ custom: false, version: 0 });
    const versions = await t.api('GET', '/api/v1/admin/sms-templates/withdrawn/versions', { token: admin });
    expect(versions.json.versions).toEqual([
      { version: 2, text: null, updatedBy: 'staff:admin', updatedAt: '2026-12-05T05:30:00.000Z' },
      { version: 1, text, updatedBy: 'staff:admin', updatedAt: '2026-12-05T05:30:00.000Z' },
    ]);
  });
});
