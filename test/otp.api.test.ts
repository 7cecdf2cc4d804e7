// One-time sign-in codes: 6 digits, 2-minute expiry, an HMAC with the server secret at rest, at
// most 5 tries per code, rate limits per mobile and per IP, a timing-safe comparison that refuses
// a wrong code of any length the same way, and the same answers for a known and an unknown mobile.
import { createHmac } from 'node:crypto';
import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { toAsciiDigits } from '../src/platform/digits.ts';
import { startTestApp, type TestApp } from './support/app.ts';

const SECRET = 'test-otp-secret-0123456789abcdef-0123';
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { BARQ_OTP_SECRET: SECRET } });
});
afterAll(async () => t?.close());
afterEach(() => vi.restoreAllMocks());

let serial = 0;
/** A mobile no other test uses, and an IP address of its own (the per-IP limit is per test). */
const freshMobile = () => `0935${String(4_100_000 + (serial += 1)).padStart(7, '0')}`;
let ipSerial = 0;
const freshIp = () => `10.9.${Math.floor((ipSerial += 1) / 250)}.${(ipSerial % 250) + 1}`;

async function call(url: string, body: unknown, ip: string) {
  const response = await t.app.inject({ method: 'POST', url, payload: body as object, remoteAddress: ip });
  return { status: response.statusCode, body: response.body, json: response.json(), headers: response.headers };
}
const requestCode = (mobile: string, ip: string) => call('/api/v1/auth/otp', { mobile }, ip);
const verify = (mobile: string, code: string, ip: string) => call('/api/v1/auth/otp/verify', { mobile, code }, ip);
const codeIn = (mobile: string) => toAsciiDigits(t.sms(mobile)[0]?.text ?? '').match(/\b\d{6}\b/)?.[0] ?? '';

describe('one-time codes', () => {
  it('are 6 digits, kept only as an HMAC keyed with BARQ_OTP_SECRET, and their text is never kept after sending', async () => {
    const mobile = freshMobile();
    const ip = freshIp();
    expect((await requestCode(mobile, ip)).status).toBe(202);
    const code = codeIn(mobile);
    expect(code).toMatch(/^\d{6}$/);
    const row = await t.app.barq.db.selectFrom('otpCodes').selectAll().where('mobile', '=', mobile).executeTakeFirstOrThrow();
    expect(row.codeHash).toBe(createHmac('sha256', SECRET).update(`${mobile}:${code}`).digest('hex'));
    expect(row.codeHash).not.toContain(code);
    // The delivery record has no text; the outbox payload's text is dropped once the provider has it.
    const sms = await t.app.barq.db.selectFrom('smsMessages').selectAll().where('mobile', '=', mobile).executeTakeFirstOrThrow();
    expect(sms).toMatchObject({ template: 'otp', text: null, status: 'sent' });
    const outbox = await t.app.barq.db.selectFrom('outbox').selectAll().where('id', '=', sms.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(outbox.payload)).not.toContain(toAsciiDigits(code));
    expect(outbox.payload).not.toHaveProperty('text');
    expect((await verify(mobile, code, ip)).status).toBe(200);
  });

  it('expire after 2 minutes', async () => {
    const mobile = freshMobile();
    const ip = freshIp();
    await requestCode(mobile, ip);
    const code = codeIn(mobile);
    t.clock.advance(120_000);
    const late = await verify(mobile, code, ip);
    expect([late.status, late.json.error.code]).toEqual([401, 'INVALID_OTP']);

    await requestCode(mobile, ip);
    t.clock.advance(119_000);
    expect((await verify(mobile, codeIn(mobile), ip)).status).toBe(200);
  });

  it('allow at most 5 tries per code: after 5 wrong ones even the right code is refused', async () => {
    const mobile = freshMobile();
    const ip = freshIp();
    await requestCode(mobile, ip);
    const code = codeIn(mobile);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i += 1) expect((await verify(mobile, wrong, ip)).status).toBe(401);
    // The fifth try is still a try: the right code works.
    expect((await verify(mobile, code, ip)).status).toBe(200);

    await requestCode(mobile, ip);
    const second = codeIn(mobile);
    for (let i = 0; i < 5; i += 1) expect((await verify(mobile, second === '000000' ? '111111' : '000000', ip)).status).toBe(401);
    const sixth = await verify(mobile, second, ip);
    expect([sixth.status, sixth.json.error.code]).toEqual([401, 'INVALID_OTP']);
    // And a code, once used, is gone (past the per-mobile window of three codes first).
    t.clock.advance(10 * 60_000 + 1_000);
    await requestCode(mobile, ip);
    const third = codeIn(mobile);
    expect((await verify(mobile, third, ip)).status).toBe(200);
    expect((await verify(mobile, third, ip)).status).toBe(401);
  });

  it('compare with crypto.timingSafeEqual and refuse a wrong code of every length with the same answer', async () => {
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    const mobile = freshMobile();
    const ip = freshIp();
    await requestCode(mobile, ip);
    const code = codeIn(mobile);
    const wrongs = ['', '1', '12', '123', '1234', '12345', '1234567', '12345678', '1234567890', '123456789012', 'abcdef', '۱۲۳۴۵', 'x'.repeat(64)];
    const answers = new Set<string>();
    for (const wrong of wrongs) {
      const r = await verify(mobile, wrong, ip);
      answers.add(`${r.status} ${r.body}`);
    }
    // A mobile with no code at all answers the same, and its path compares too.
    const none = await verify(freshMobile(), code, ip);
    answers.add(`${none.status} ${none.body}`);
    expect([...answers]).toEqual([`401 ${JSON.stringify({ error: { code: 'INVALID_OTP', message: 'کد یکبارمصرف درست نیست یا منقضی شده است.' } })}`]);
    // Every comparison went through timingSafeEqual with two 32-byte HMACs, whatever was typed.
    expect(spy.mock.calls.length).toBe(wrongs.length + 1);
    for (const [a, b] of spy.mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
    // Longer than 64 characters is refused by the schema (400), for a known and an unknown mobile alike.
    expect((await verify(mobile, '1'.repeat(65), ip)).status).toBe(400);
  });

  it('limit codes per mobile: the fourth within ten minutes is refused, the window slides', async () => {
    const mobile = freshMobile();
    const ip = freshIp();
    for (let i = 0; i < 3; i += 1) {
      expect((await requestCode(mobile, ip)).status).toBe(202);
      t.clock.advance(60_000);
    }
    const refused = await requestCode(mobile, ip);
    expect([refused.status, refused.json.error.code]).toEqual([429, 'TOO_MANY_REQUESTS']);
    t.clock.advance(8 * 60_000);
    expect((await requestCode(mobile, ip)).status).toBe(202);
  });

  it('limit requests per IP address: the 31st within ten minutes is refused, another address is not', async () => {
    const ip = freshIp();
    for (let i = 0; i < 30; i += 1) expect((await requestCode(freshMobile(), ip)).status).toBe(202);
    const refused = await requestCode(freshMobile(), ip);
    expect([refused.status, refused.json.error.code]).toEqual([429, 'TOO_MANY_REQUESTS']);
    expect((await requestCode(freshMobile(), freshIp())).status).toBe(202);

    const verifyIp = freshIp();
    for (let i = 0; i < 30; i += 1) expect((await verify(freshMobile(), '123456', verifyIp)).status).toBe(401);
    expect((await verify(freshMobile(), '123456', verifyIp)).status).toBe(429);
  });

  it('answer a known and an unknown mobile identically', async () => {
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    await t.file(s); // the owner has signed in and filed a request: as known as a mobile gets
    t.clock.advance(11 * 60_000); // past the per-mobile window of that sign-in
    const known = s.owner.mobile;
    const unknown = freshMobile();
    const strip = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([k]) => !['date', 'x-request-id', 'x-ratelimit-reset', 'x-ratelimit-remaining'].includes(k)));
    const [a, b] = [await requestCode(known, freshIp()), await requestCode(unknown, freshIp())];
    expect(a.status).toBe(202);
    expect([b.status, b.body, strip(b.headers)]).toEqual([a.status, a.body, strip(a.headers)]);
    const [c, d] = [await verify(known, '000001', freshIp()), await verify(unknown, '000001', freshIp())];
    expect([d.status, d.body, strip(d.headers)]).toEqual([c.status, c.body, strip(c.headers)]);
    // Both got a code by SMS: the sender does not look the mobile up.
    expect(codeIn(unknown)).toMatch(/^\d{6}$/);
  });
});
