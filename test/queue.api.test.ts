// Work queues: every item carries its running SLA step, and `sort=urgency` puts the most overdue
// company step first; the staff inbox names the request and can be marked read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { startTestApp, TEST_START, type TestApp } from './support/app.ts';

let t: TestApp;
const clock = new ManualClock(TEST_START);
beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterAll(async () => t?.close());

describe('work queue', () => {
  it('sorts by urgency: the oldest company step first, applicant steps after', async () => {
    clock.set(TEST_START); // Sat 09:00: quote due Sun 09:00
    const a = (await t.file(t.subscriber())).view.trackingCode;
    clock.set('2026-12-05T07:30:00Z'); // Sat 11:00: quote due Sun 11:00
    const b = (await t.file(t.subscriber())).view.trackingCode;
    clock.set('2026-12-05T06:30:00Z'); // Sat 10:00: quote due Sun 10:00
    const c = (await t.file(t.subscriber())).view.trackingCode;
    await t.act(c, 'clerk', 'quote'); // c now waits for the applicant (payment, 30 days)
    clock.set('2026-12-05T08:00:00Z');
    const clerk = await t.staffToken('clerk');
    const page = await t.api('GET', '/api/v1/requests?sort=urgency&pageSize=200', { token: clerk });
    expect(page.status).toBe(200);
    const order = page.json.items.map((i: any) => i.trackingCode).filter((code: string) => [a, b, c].includes(code));
    expect(order).toEqual([a, b, c]);
    const first = page.json.items.find((i: any) => i.trackingCode === a);
    expect(first.sla.current).toMatchObject({ key: 'quote', clock: 'company', dueAt: '2026-12-06T05:30:00.000Z', status: 'on-track' });
    expect(page.json.items.find((i: any) => i.trackingCode === c).sla.current).toMatchObject({ key: 'payment', clock: 'applicant', status: 'paused' });
    // Paging the sorted queue keeps the order.
    const second = await t.api('GET', '/api/v1/requests?sort=urgency&pageSize=1&page=2', { token: clerk });
    expect(second.json.items).toHaveLength(1);
  });
});

describe('staff inbox', () => {
  it('names the request of each alert and marks it read', async () => {
    clock.set(TEST_START);
    const code = (await t.file(t.subscriber())).view.trackingCode;
    clock.set('2026-12-05T09:00:00Z'); // 50 % of the quote
    await t.app.barq.sla.runDue();
    const clerk = await t.staffToken('clerk');
    const inbox = await t.api('GET', '/api/v1/staff/notifications', { token: clerk });
    const mine = inbox.json.notifications.find((n: any) => n.trackingCode === code);
    expect(mine).toMatchObject({ kind: 'sla-warning-50', read: false });
    expect((await t.api('POST', `/api/v1/staff/notifications/${mine.id}/read`, { token: clerk })).status).toBe(204);
    expect((await t.api('POST', `/api/v1/staff/notifications/${mine.id}/read`, { token: clerk })).status).toBe(204);
    const after = await t.api('GET', '/api/v1/staff/notifications', { token: clerk });
    expect(after.json.notifications.find((n: any) => n.id === mine.id)).toMatchObject({ read: true, readBy: 'staff:clerk' });
    // Another role's inbox does not hold it.
    const crew = await t.api('POST', `/api/v1/staff/notifications/${mine.id}/read`, { token: await t.staffToken('field-crew') });
    expect(crew.status).toBe(404);
  });
});
