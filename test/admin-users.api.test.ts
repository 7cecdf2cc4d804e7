// Administration of staff accounts through the API: list, create (with Persian validation
// messages), deactivate (sessions end at once), and who may do it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('admin users', () => {
  it('lists the demo accounts with their roles, for the administrator only', async () => {
    const admin = await t.staffToken('admin');
    const list = await t.api('GET', '/api/v1/admin/users', { token: admin });
    expect(list.status).toBe(200);
    expect(list.json.users.map((u: any) => u.username)).toEqual(expect.arrayContaining(['clerk', 'pishkhan-operator', 'admin']));
    expect(list.json.users.find((u: any) => u.username === 'pishkhan-operator')).toMatchObject({ roles: ['pishkhan-operator'], officeCode: '37100123', active: true });
    expect(JSON.stringify(list.json)).not.toContain('passwordHash');

    const clerk = await t.staffToken('clerk');
    expect((await t.api('GET', '/api/v1/admin/users', { token: clerk })).status).toBe(403);
    expect((await t.api('GET', '/api/v1/admin/users')).status).toBe(401);
  });

  it('creates an account that can sign in, and refuses a taken username or a bad body in Persian', async () => {
    const admin = await t.staffToken('admin');
    const created = await t.api('POST', '/api/v1/admin/users', {
      token: admin,
      body: { username: 'Clerk2', displayName: 'مریم احمدی', password: 'a-long-password', roles: ['clerk'] },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ username: 'clerk2', displayName: 'مریم احمدی', roles: ['clerk'], active: true, officeCode: null });
    const login = await t.api('POST', '/api/v1/auth/login', { body: { username: 'clerk2', password: 'a-long-password' } });
    expect(login.status).toBe(200);

    const again = await t.api('POST', '/api/v1/admin/users', { token: admin, body: { username: 'clerk2', displayName: 'دیگری', password: 'a-long-password', roles: ['clerk'] } });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('USERNAME_TAKEN');

    const bad = await t.api('POST', '/api/v1/admin/users', { token: admin, body: { username: 'x', displayName: 'ن', password: 'short', roles: [] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.field).toBe('username');
    expect(bad.json.error.message).toMatch(/[\u0600-\u06FF]/);

    const operator = await t.api('POST', '/api/v1/admin/users', { token: admin, body: { username: 'office2', displayName: 'دفتر دو', password: 'a-long-password', roles: ['pishkhan-operator'] } });
    expect(operator.status).toBe(400);
    expect(operator.json.error.message).toContain('کد دفتر');
    const withOffice = await t.api('POST', '/api/v1/admin/users', { token: admin, body: { username: 'office2', displayName: 'دفتر دو', password: 'a-long-password', roles: ['pishkhan-operator'], officeCode: '۳۷۱۰۰۲۰۰' } });
    expect(withOffice.status).toBe(201);
    expect(withOffice.json.officeCode).toBe('37100200');
  });

  it('deactivates an account: its session ends and it can no longer sign in', async () => {
    const admin = await t.staffToken('admin');
    const created = await t.api('POST', '/api/v1/admin/users', { token: admin, body: { username: 'leaver', displayName: 'کارمند رفته', password: 'a-long-password', roles: ['finance'] } });
    const session = (await t.api('POST', '/api/v1/auth/login', { body: { username: 'leaver', password: 'a-long-password' } })).json.token;
    expect((await t.api('GET', '/api/v1/auth/me', { token: session })).status).toBe(200);

    const done = await t.api('POST', `/api/v1/admin/users/${created.json.id}/deactivate`, { token: admin });
    expect(done.status).toBe(200);
    expect(done.json.active).toBe(false);
    expect((await t.api('GET', '/api/v1/auth/me', { token: session })).status).toBe(401);
    expect((await t.api('POST', '/api/v1/auth/login', { body: { username: 'leaver', password: 'a-long-password' } })).status).toBe(401);

    const self = (await t.api('GET', '/api/v1/admin/users', { token: admin })).json.users.find((u: any) => u.username === 'admin');
    const refused = await t.api('POST', `/api/v1/admin/users/${self.id}/deactivate`, { token: admin });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toContain('خودتان');
    expect((await t.api('POST', '/api/v1/admin/users/00000000-0000-4000-8000-000000000000/deactivate', { token: admin })).status).toBe(404);
  });
});
