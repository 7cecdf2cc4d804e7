// Agreement validity: administrators are warned once from 30 days before the version in force
// expires; an expired version keeps being applied, flagged on the service page, until a
// successor is published. Version 1 is valid through 1405/12/29 (2027-03-20, Tehran).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { startTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
const clock = new ManualClock('2027-02-17T06:00:00Z'); // 1405-11-28, 31 days before the end

beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterAll(async () => t?.close());

const adminInbox = async () =>
  t.app.barq.db.selectFrom('staffNotifications').select(['kind', 'textFa']).where('role', '=', 'admin').execute();

describe('agreement expiry', () => {
  it('warns administrators once, from 30 days before the end', async () => {
    expect(await t.app.barq.sla.checkAgreementExpiry('temporary-removal')).toBe(false);
    expect(await adminInbox()).toEqual([]);

    clock.set('2027-02-19T06:00:00Z'); // 29 days before the end of 2027-03-20 (Tehran)
    await Promise.all([t.app.barq.sla.checkAgreementExpiry('temporary-removal'), t.app.barq.sla.checkAgreementExpiry('temporary-removal')]);
    await t.app.barq.sla.checkAgreementExpiry('temporary-removal');
    const inbox = await adminInbox();
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.textFa).toContain('۲۹ اسفند ۱۴۰۵');

    const form = await t.api('GET', '/api/v1/services/temporary-removal');
    expect(form.json.agreement).toMatchObject({ version: 1, expired: false, validTo: '2027-03-20' });
  });

  it('an expired version is still applied and flagged until a successor is published', async () => {
    clock.set('2027-03-21T05:30:00Z'); // 1406-01-01, the day after
    const form = await t.api('GET', '/api/v1/services/temporary-removal');
    expect(form.json.agreement).toMatchObject({ version: 1, expired: true });
    const s = t.subscriber();
    const { view } = await t.file(s);
    expect(view.sla.agreementVersion).toBe(1);

    const admin = await t.staffToken('admin');
    const current = (await t.api('GET', '/api/v1/admin/sla/agreements', { token: admin })).json.inForce;
    const published = await t.api('POST', '/api/v1/admin/sla/agreements', {
      token: admin,
      body: { validFrom: '1406-01-01', validTo: '1406-12-29', approvedBy: 'مدیرعامل شرکت توزیع نیروی برق استان قم', targets: current.targets },
    });
    expect(published.status).toBe(201);
    expect((await t.api('GET', '/api/v1/services/temporary-removal')).json.agreement).toMatchObject({ version: 2, expired: false });
    const s2 = t.subscriber();
    expect((await t.file(s2)).view.sla.agreementVersion).toBe(2);
    // The request filed under version 1 keeps it.
    expect((await t.view(view.trackingCode)).sla.agreementVersion).toBe(1);
  });

  it('refuses a version that starts before the one in force, or ends before it starts', async () => {
    const admin = await t.staffToken('admin');
    const current = (await t.api('GET', '/api/v1/admin/sla/agreements', { token: admin })).json.inForce;
    const early = await t.api('POST', '/api/v1/admin/sla/agreements', { token: admin, body: { validFrom: '1405-06-01', validTo: '1406-12-29', approvedBy: 'مدیرعامل', targets: current.targets } });
    expect(early.status).toBe(400);
    expect(early.json.error.details.field).toBe('validFrom');
    const backwards = await t.api('POST', '/api/v1/admin/sla/agreements', { token: admin, body: { validFrom: '1406-06-01', validTo: '1406-02-01', approvedBy: 'مدیرعامل', targets: current.targets } });
    expect(backwards.status).toBe(400);
    expect(backwards.json.error.details.field).toBe('validTo');
    const badTargets = await t.api('POST', '/api/v1/admin/sla/agreements', { token: admin, body: { validFrom: '1406-06-01', validTo: '1406-12-29', approvedBy: 'مدیرعامل', targets: { ...current.targets, wholeRequestWorkingMinutes: -5 } } });
    expect(badTargets.status).toBe(400);
  });
});
