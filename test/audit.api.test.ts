// The auditors' view of the event log (filters, paging, CSV and xlsx exports, roles) and the
// log's append-only guarantee: UPDATE, DELETE and TRUNCATE are refused to everyone, and on a
// PostgreSQL server an application role that does not own the table cannot lift that.
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { startTestApp, TEST_START, type TestApp } from './support/app.ts';
import { onPostgres } from './support/database.ts';

let t: TestApp;
const clock = new ManualClock(TEST_START);
let code = '';
beforeAll(async () => {
  t = await startTestApp({ clock });
  const s = t.subscriber((x) => x.owner.personType === 'natural');
  code = (await t.file(s)).view.trackingCode;
  clock.advance(3_600_000);
  await t.act(code, 'clerk', 'quote');
  const other = t.subscriber((x) => x.owner.personType === 'natural');
  const second = (await t.file(other)).view.trackingCode;
  await t.act(second, 'clerk', 'reject', { reason: 'مالک نیست' });
});
afterAll(async () => t?.close());

describe('audit view', () => {
  it('lists every event newest first, filtered by request, action, role and Jalali dates', async () => {
    const token = await t.staffToken('auditor');
    const all = await t.api('GET', '/api/v1/audit/events', { token });
    expect(all.status).toBe(200);
    expect(all.json.total).toBe(4);
    expect(all.json.items.map((e: any) => e.action)).toEqual(['reject', 'submit', 'quote', 'submit']);
    const mine = await t.api('GET', `/api/v1/audit/events?trackingCode=${code}`, { token });
    expect(mine.json.items.map((e: any) => e.action)).toEqual(['quote', 'submit']);
    expect(mine.json.items[0]).toMatchObject({ trackingCode: code, fromState: 'submitted', toState: 'awaiting-payment', actorId: 'staff:clerk', actorRole: 'clerk', actorRoleLabel: 'کارشناس پذیرش', actionLabel: 'اعلام هزینه' });
    expect(mine.json.items[0].atJalali).toContain('آذر ۱۴۰۵');
    expect((await t.api('GET', '/api/v1/audit/events?action=reject', { token })).json.total).toBe(1);
    expect((await t.api('GET', '/api/v1/audit/events?actorRole=clerk', { token })).json.total).toBe(2);
    expect((await t.api('GET', '/api/v1/audit/events?from=1405-09-14&to=1405-09-14', { token })).json.total).toBe(4);
    expect((await t.api('GET', '/api/v1/audit/events?from=1405-09-15', { token })).json.total).toBe(0);
    const paged = await t.api('GET', '/api/v1/audit/events?page=2&pageSize=3', { token });
    expect(paged.json).toMatchObject({ page: 2, pageSize: 3, total: 4 });
    expect(paged.json.items).toHaveLength(1);
  });

  it('exports CSV (with BOM) and xlsx of every matching event', async () => {
    const token = await t.staffToken('admin');
    const csv = await t.raw('GET', '/api/v1/audit/events/export?format=csv', { token });
    expect(csv.status).toBe(200);
    expect(csv.body.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.body.trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('شناسه رویداد,کد رهگیری');
    expect(lines[2]).toContain(`${code},`);
    const xlsx = await t.app.inject({ method: 'GET', url: `/api/v1/audit/events/export?format=xlsx&trackingCode=${code}`, headers: { authorization: `Bearer ${token}` } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('رویدادها')!;
    expect(sheet.views[0]?.rightToLeft).toBe(true);
    expect(sheet.rowCount).toBe(3);
    expect(typeof sheet.getRow(2).getCell(1).value).toBe('number');
    expect(sheet.getRow(3).getCell(5).value).toBe('quote');
  });

  it('is for auditors and administrators only', async () => {
    for (const user of ['supervisor', 'clerk']) expect((await t.api('GET', '/api/v1/audit/events', { token: await t.staffToken(user) })).status).toBe(403);
    expect((await t.api('GET', '/api/v1/audit/events')).status).toBe(401);
  });
});

describe('the event log is append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE even to the connection that owns the table', async () => {
    const db = t.app.barq.db;
    await expect(sql`update request_events set reason = 'x'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from request_events`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate request_events cascade`.execute(db)).rejects.toThrow(/append-only/);
    expect((await t.api('GET', '/api/v1/audit/events', { token: await t.staffToken('auditor') })).json.total).toBe(4);
  });

  it.runIf(onPostgres)('refuses them to a non-superuser application role, which cannot drop or disable the triggers either', async () => {
    const role = `barq_app_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    const db = t.app.barq.db;
    // The worst case: the app's role has every privilege on every table (but does not own them).
    await sql.raw(`create role ${role} login password '${password}' nosuperuser; grant usage on schema public to ${role};
      grant all privileges on all tables in schema public to ${role}; grant usage on all sequences in schema public to ${role}`).execute(db);
    const url = new URL(t.databaseUrl!);
    url.username = role;
    url.password = password;
    const app = new pg.Client({ connectionString: url.toString() });
    await app.connect();
    try {
      expect((await app.query('select count(*)::int as n from request_events')).rows[0].n).toBe(4);
      await expect(app.query(`update request_events set reason = 'x'`)).rejects.toThrow(/append-only/);
      await expect(app.query('delete from request_events')).rejects.toThrow(/append-only/);
      await expect(app.query('truncate request_events cascade')).rejects.toThrow(/append-only/);
      await expect(app.query('alter table request_events disable trigger request_events_no_change')).rejects.toThrow(/must be owner/);
      await expect(app.query('drop trigger request_events_no_change on request_events')).rejects.toThrow(/must be owner/);
      // The recommended grant (README): the event log is select and insert only for the app's role.
      await sql.raw(`revoke update, delete, truncate on request_events from ${role}`).execute(db);
      await expect(app.query(`update request_events set reason = 'x'`)).rejects.toThrow(/permission denied/);
      await expect(app.query('delete from request_events')).rejects.toThrow(/permission denied/);
      await expect(app.query('truncate request_events')).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
      await sql.raw(`drop owned by ${role}; drop role ${role}`).execute(db);
    }
  });
});
