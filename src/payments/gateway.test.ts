import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSepClient, isSepCallbackSuccessful, UpstreamError, type SepCallbackFields, type SepClient } from './gateway.adapter.ts';
import { createGatewayTwin } from './gateway.twin.ts';

describe('SEP client against the gateway twin', () => {
  const twin = createGatewayTwin();
  const callbacks: Array<Record<string, string>> = [];
  let app: FastifyInstance;
  let origin: string;
  let gateway: SepClient;

  beforeAll(async () => {
    app = Fastify();
    await app.register(formbody);
    await app.register(twin.plugin, { prefix: '/__twins/gateway' });
    // A small merchant: records the gateway's callback and sends the browser on.
    app.post('/merchant/callback', async (request, reply) => {
      callbacks.push(request.body as Record<string, string>);
      return reply.redirect('/merchant/done', 303);
    });
    origin = await app.listen({ port: 0, host: '127.0.0.1' });
    gateway = createSepClient({ baseUrl: () => `${origin}/__twins/gateway`, terminalId: '13245678' });
  });
  afterAll(() => app.close());

  const pay = (token: string, outcome: 'success' | 'failure') =>
    fetch(`${origin}/__twins/gateway/pay/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome }) });

  it('token → page → pay → callback → verify, then a duplicate verify', async () => {
    const { token, paymentUrl } = await gateway.requestToken({
      amountRials: 1_250_000,
      resNum: '125000542',
      callbackUrl: `${origin}/merchant/callback`,
      cellNumber: '09121234567',
    });
    expect(paymentUrl).toBe(`${origin}/__twins/gateway/pay/${token}`);
    expect(new URL(paymentUrl).pathname.split('/').pop()).toBe(token);

    const pageResponse = await fetch(paymentUrl);
    const html = await pageResponse.text();
    expect(pageResponse.status).toBe(200);
    expect(html).toContain('dir="rtl"');
    expect(html).toContain('۱٬۲۵۰٬۰۰۰ ریال');
    expect(html).toContain('پرداخت');
    expect(html).toContain('انصراف');

    const done = await pay(token, 'success');
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ status: 'completed', callbackStatus: 303 });

    expect(callbacks).toHaveLength(1);
    const fields = callbacks[0] as SepCallbackFields;
    expect(fields).toMatchObject({ MID: '13245678', TerminalId: '13245678', State: 'OK', Status: '2', ResNum: '125000542', Amount: '1250000', Token: token });
    for (const key of ['RRN', 'RefNum', 'TraceNo', 'SecurePan'] as const) expect(fields[key]).toBeTruthy();
    expect(fields.SecurePan).toMatch(/^\d{6}\*{6}\d{4}$/);
    expect(isSepCallbackSuccessful(fields)).toBe(true);

    const first = await gateway.verify({ refNum: fields.RefNum, token });
    expect(first).toMatchObject({ ok: true, resultCode: 0, amountRials: 1_250_000, resNum: '125000542', traceNo: fields.TraceNo, rrn: fields.RRN, maskedPan: fields.SecurePan });
    const second = await gateway.verify({ refNum: fields.RefNum, token });
    expect(second).toMatchObject({ ok: true, resultCode: 2, amountRials: 1_250_000, traceNo: fields.TraceNo });

    // Paying twice is refused; the page now shows the result.
    expect((await pay(token, 'success')).status).toBe(409);
    expect(await (await fetch(paymentUrl)).text()).toContain('پرداخت با موفقیت انجام شد');

    // Reversal, then the transaction no longer verifies.
    expect(await gateway.reverse({ refNum: fields.RefNum })).toEqual({ ok: true, resultCode: 0 });
    expect((await gateway.verify({ refNum: fields.RefNum, token })).ok).toBe(false);
  });

  it('a cancelled payment calls back CanceledByUser and does not verify', async () => {
    callbacks.length = 0;
    const { token } = await gateway.requestToken({ amountRials: 500_000, resNum: 'R-2', callbackUrl: `${origin}/merchant/callback` });
    expect(await (await pay(token, 'failure')).json()).toEqual({ status: 'failed', callbackStatus: 303 });
    expect(callbacks[0]).toMatchObject({ State: 'CanceledByUser', Status: '1', ResNum: 'R-2', RefNum: '', Token: token });
    expect(isSepCallbackSuccessful(callbacks[0]!)).toBe(false);
    const verification = await gateway.verify({ refNum: callbacks[0]!.RefNum ?? '', token });
    expect(verification.ok).toBe(false);
    expect(verification.resultCode).toBeLessThan(0);
  });

  it('a browser form POST is redirected to where the merchant callback pointed', async () => {
    const { token } = await gateway.requestToken({ amountRials: 20_000, resNum: 'R-3', callbackUrl: `${origin}/merchant/callback` });
    const response = await fetch(`${origin}/__twins/gateway/pay/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=success',
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${origin}/merchant/done`);
  });

  it('unknown tokens and references fail', async () => {
    expect(await gateway.verify({ refNum: 'no-such-ref', token: 'no-such-token' })).toEqual({ ok: false, resultCode: -2 });
    expect((await pay('no-such-token', 'success')).status).toBe(404);
    expect((await fetch(`${origin}/__twins/gateway/pay/no-such-token`)).status).toBe(404);
  });

  it('a refused token request throws UpstreamError with the SEP error code', async () => {
    await expect(gateway.requestToken({ amountRials: 0, resNum: 'R-4', callbackUrl: `${origin}/merchant/callback` })).rejects.toMatchObject({
      name: 'UpstreamError',
      code: '5',
    });
    await expect(gateway.requestToken({ amountRials: 10_000, resNum: 'R-5', callbackUrl: 'not a url' })).rejects.toBeInstanceOf(UpstreamError);
  });

  it('the SendToken page URL leads to the same page', async () => {
    const sendTokenClient = createSepClient({ baseUrl: () => `${origin}/__twins/gateway`, terminalId: '13245678', paymentPage: 'send-token' });
    const { token, paymentUrl } = await sendTokenClient.requestToken({ amountRials: 30_000, resNum: 'R-6', callbackUrl: `${origin}/merchant/callback` });
    expect(paymentUrl).toBe(`${origin}/__twins/gateway/OnlinePG/SendToken?token=${token}`);
    const response = await fetch(paymentUrl);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${origin}/__twins/gateway/pay/${token}`);
  });
});
