import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKavenegarClient, kavenegarStatusToSmsStatus, UpstreamError, type SmsProvider } from './sms.adapter.ts';
import { createSmsTwin } from './sms.twin.ts';

describe('Kavenegar client against the SMS twin', () => {
  const twin = createSmsTwin({ failFor: (to) => to === '09120000013' });
  let app: FastifyInstance;
  let base: string;
  let sms: SmsProvider;

  beforeAll(async () => {
    app = Fastify();
    await app.register(twin.plugin, { prefix: '/__twins/sms' });
    base = `${await app.listen({ port: 0, host: '127.0.0.1' })}/__twins/sms`;
    sms = createKavenegarClient({ baseUrl: () => base, apiKey: 'TEST-KEY', sender: '20001521' });
  });
  afterAll(() => app.close());

  it('sends, lists newest first, and delivers on the next status query', async () => {
    const first = await sms.send({ to: '09121234567', text: 'کد ورود شما: ۴۸۲۹۱۷', localId: 'otp-1' });
    expect(first.status).toBe('queued');
    const second = await sms.send({ to: '+989121234567', text: 'درخواست شما ثبت شد.', localId: 'n-2' });
    expect(second.providerMessageId).not.toBe(first.providerMessageId);

    const listed = (await (await fetch(`${base}/messages?to=09121234567`)).json()) as { messages: Array<Record<string, unknown>> };
    expect(listed.messages.map((m) => m.text)).toEqual(['درخواست شما ثبت شد.', 'کد ورود شما: ۴۸۲۹۱۷']);
    expect(listed.messages[0]).toMatchObject({ id: second.providerMessageId, to: '09121234567', status: 'queued', localId: 'n-2' });
    expect(typeof listed.messages[0]!.sentAt).toBe('string');

    const statuses = await sms.status([first.providerMessageId, second.providerMessageId]);
    expect(statuses).toEqual([
      { providerMessageId: first.providerMessageId, status: 'delivered' },
      { providerMessageId: second.providerMessageId, status: 'delivered' },
    ]);
    expect(twin.messages('09121234567').every((m) => m.status === 'delivered')).toBe(true);
  });

  it('de-duplicates by localid: a repeated send returns the first message', async () => {
    const a = await sms.send({ to: '09351112233', text: 'متن اول', localId: 'dup-1' });
    const b = await sms.send({ to: '09351112233', text: 'متن اول', localId: 'dup-1' });
    expect(b.providerMessageId).toBe(a.providerMessageId);
    expect(twin.messages('09351112233')).toHaveLength(1);
  });

  it('fails delivery for numbers chosen by failFor, and for overrides', async () => {
    const sent = await sms.send({ to: '09120000013', text: 'پیام', localId: 'f-1' });
    expect((await sms.status([sent.providerMessageId]))[0]!.status).toBe('failed');

    twin.setDeliveryOutcome('09190000000', 'pending');
    const pending = await sms.send({ to: '09190000000', text: 'پیام', localId: 'p-1' });
    expect((await sms.status([pending.providerMessageId]))[0]!.status).toBe('queued');
    twin.setDeliveryOutcome('09190000000', 'delivered');
    expect((await sms.status([pending.providerMessageId]))[0]!.status).toBe('delivered');

    expect((await sms.status(['999']))[0]).toEqual({ providerMessageId: '999', status: 'failed' });
  });

  it('throws UpstreamError with Kavenegar return status on refusal', async () => {
    await expect(sms.send({ to: '12345', text: 'x', localId: 'bad-1' })).rejects.toMatchObject({ name: 'UpstreamError', status: 411 });
    await expect(sms.send({ to: '09121234567', text: '', localId: 'bad-2' })).rejects.toBeInstanceOf(UpstreamError);
  });

  it('maps Kavenegar status codes', () => {
    expect([1, 2, 4, 5, 10, 6, 11, 13, 14, 100].map(kavenegarStatusToSmsStatus)).toEqual([
      'queued', 'queued', 'sent', 'sent', 'delivered', 'failed', 'failed', 'failed', 'failed', 'failed',
    ]);
  });
});
