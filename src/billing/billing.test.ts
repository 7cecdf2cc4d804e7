import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBillId, makePaymentId, normalizeLegalNationalId, normalizeMobile, normalizeNationalCode, normalizePostalCode, parseBillId } from '../platform/identifiers.ts';
import { BillingSubscriberSchema, createHttpBillingClient, UpstreamError, type BillingSystem } from './billing.adapter.ts';
import { createBillingTwin, generateTwinSubscribers, priceTwinConsumptionRials } from './billing.twin.ts';

const COMPANY = '131';

async function start(twin: ReturnType<typeof createBillingTwin>): Promise<{ app: FastifyInstance; base: string }> {
  const app = Fastify();
  await app.register(twin.plugin, { prefix: '/__twins/billing' });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `${address}/__twins/billing` };
}

describe('billing twin demo data', () => {
  const subscribers = generateTwinSubscribers(1405, COMPANY);

  it('is deterministic for a seed', () => {
    expect(generateTwinSubscribers(1405, COMPANY)).toEqual(subscribers);
    expect(generateTwinSubscribers(7, COMPANY)).not.toEqual(subscribers);
  });

  it('holds the invariants the demo and acceptance checks rely on', () => {
    expect(subscribers.length).toBeGreaterThanOrEqual(60);
    expect(subscribers.some((s) => s.owner.personType === 'legal')).toBe(true);
    expect(subscribers.some((s) => s.connection.phase === 1)).toBe(true);
    expect(subscribers.some((s) => s.connection.phase === 3)).toBe(true);
    for (const [phase, amperes] of [[1, 25], [1, 32], [3, 25], [3, 32], [3, 50]] as const) {
      expect(subscribers.some((s) => s.connection.phase === phase && s.connection.amperes === amperes)).toBe(true);
    }
    expect(subscribers.filter((s) => s.connection.state === 'temporarily-removed')).toHaveLength(1);
    const shared = subscribers.filter((s) => s.connection.shared);
    expect(shared).toHaveLength(1);
    expect(shared[0]!.connection.users!.length).toBeGreaterThanOrEqual(2);
    expect(shared[0]!.connection.users!.length).toBeLessThanOrEqual(3);

    const firstNatural = subscribers.find((s) => s.owner.personType === 'natural')!;
    expect(firstNatural.connection.state).toBe('active');
    expect(firstNatural.connection.shared).toBe(false);

    const withDebt = subscribers.filter((s) => s.debtRials > 0);
    expect(withDebt.length).toBeGreaterThan(subscribers.length * 0.3);
    expect(withDebt.length).toBeLessThan(subscribers.length * 0.7);
    for (const s of subscribers) {
      expect(BillingSubscriberSchema.safeParse(s).success).toBe(true);
      const bill = parseBillId(s.billId);
      expect(bill, s.billId).not.toBeNull();
      expect(bill!.companyCode).toBe(COMPANY);
      expect(bill!.serviceType).toBe(2);
      expect(bill!.fileNumber).toBe(s.fileNumber);
      expect(s.fileNumber).toMatch(/^\d{7,8}$/);
      expect(normalizeMobile(s.owner.mobile)).toBe(s.owner.mobile);
      expect(s.owner.mobile).toMatch(/^09\d{9}$/);
      expect(normalizePostalCode(s.postalCode)).toBe(s.postalCode);
      expect(s.address).toMatch(/^قم، /);
      expect(s.debtRials % 1000).toBe(0);
      if (s.debtRials > 0) {
        expect(s.debtRials).toBeGreaterThanOrEqual(150_000);
        expect(s.debtRials).toBeLessThanOrEqual(12_000_000);
      }
      if (s.owner.personType === 'natural') {
        expect(normalizeNationalCode(s.owner.nationalCode!)).toBe(s.owner.nationalCode);
        expect(s.owner.firstName).toMatch(/[\u0600-\u06FF]/);
        expect(s.owner.lastName).toMatch(/[\u0600-\u06FF]/);
      } else {
        expect(normalizeLegalNationalId(s.owner.nationalId!)).toBe(s.owner.nationalId);
        expect(s.owner.name).toMatch(/[\u0600-\u06FF]/);
      }
      for (const user of s.connection.users ?? []) expect(normalizeNationalCode(user.nationalCode)).toBe(user.nationalCode);
    }
    expect(new Set(subscribers.map((s) => s.billId)).size).toBe(subscribers.length);
  });
});

describe('billing twin over HTTP', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'barq-billing-'));
  const stateFile = path.join(dir, 'billing.json');
  let app: FastifyInstance;
  let client: BillingSystem;
  let base: string;
  let twin: ReturnType<typeof createBillingTwin>;

  beforeAll(async () => {
    twin = createBillingTwin({ companyCode: COMPANY, stateFile });
    ({ app, base } = await start(twin));
    client = createHttpBillingClient({ baseUrl: () => base, apiKey: 'test-key' });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('looks a subscriber up, and answers null for an unknown bill ID', async () => {
    const known = twin.subscribers()[0]!;
    const found = await client.getSubscriber(known.billId);
    expect(found).toEqual(known);
    expect(await client.getSubscriber('1234567131235')).toBeNull();
  });

  it('lists the demo subscribers without a key, and refuses the protocol without one', async () => {
    const listing = (await (await fetch(`${base}/subscribers`)).json()) as { subscribers: unknown[] };
    expect(listing.subscribers.length).toBeGreaterThanOrEqual(60);
    const one = await fetch(`${base}/subscribers/${twin.subscribers()[1]!.billId}`);
    expect(one.status).toBe(200);
    const anonymous = await fetch(`${base}/api/subscribers/${twin.subscribers()[1]!.billId}`);
    expect(anonymous.status).toBe(401);
  });

  it('prices the final debt with the tiered household tariff plus unpaid debt', async () => {
    expect(priceTwinConsumptionRials(0)).toBe(0);
    expect(priceTwinConsumptionRials(100)).toBe(120_000);
    expect(priceTwinConsumptionRials(150)).toBe(120_000 + 75_000);
    expect(priceTwinConsumptionRials(315)).toBe(120_000 + 150_000 + 345_000);
    expect(priceTwinConsumptionRials(450)).toBe(120_000 + 150_000 + 600_000 + 300_000);
    expect(priceTwinConsumptionRials(1) % 1000).toBe(0); // 1,200 rounded down to 1,000

    const indebted = twin.subscribers().find((s) => s.debtRials > 0 && s.connection.state === 'active')!;
    const reading = indebted.connection.lastReading + 150;
    const result = await client.getFinalDebt(indebted.billId, reading);
    expect(result).toEqual({ consumedKwh: 150, debtRials: 195_000 + indebted.debtRials });

    await expect(client.getFinalDebt(indebted.billId, indebted.connection.lastReading - 1)).rejects.toBeInstanceOf(UpstreamError);
    await expect(client.getFinalDebt('1234567131235', 10)).rejects.toMatchObject({ status: 404 });
  });

  it('records a payment and a removal, persists them, and a restarted twin sees the same world', async () => {
    const subscriber = twin.subscribers().find((s) => s.debtRials > 0 && s.connection.state === 'active' && !s.connection.shared)!;
    const finalReading = subscriber.connection.lastReading + 80;
    const { debtRials } = await client.getFinalDebt(subscriber.billId, finalReading);
    expect(debtRials).toBe(subscriber.debtRials + 96_000);

    await client.recordDebtPaid(subscriber.billId, debtRials, 'PAY-1');
    await client.recordDebtPaid(subscriber.billId, debtRials, 'PAY-1'); // a retry is harmless
    expect((await client.getFinalDebt(subscriber.billId, finalReading)).debtRials).toBe(0);

    await client.recordConnectionRemoved(subscriber.billId, { finalReading, removedAt: '2026-12-03T10:30:00Z', trackingCode: 'TR-1' });
    await client.recordConnectionRemoved(subscriber.billId, { finalReading, removedAt: '2026-12-03T10:30:00Z', trackingCode: 'TR-1' });
    const after = (await client.getSubscriber(subscriber.billId))!;
    expect(after.connection.state).toBe('temporarily-removed');
    expect(after.connection.lastReading).toBe(finalReading);
    expect(after.debtRials).toBe(0);

    const restarted = createBillingTwin({ companyCode: COMPANY, stateFile });
    const again = restarted.subscribers().find((s) => s.billId === subscriber.billId)!;
    expect(again.connection.state).toBe('temporarily-removed');
    expect(again.debtRials).toBe(0);
    expect(restarted.subscribers().filter((s) => s.connection.state === 'temporarily-removed')).toHaveLength(2);
  });

  it('lists bank-channel payments after a cursor, each once, checking both identifiers', async () => {
    const billId = makeBillId('10000001', COMPANY);
    const paymentId = makePaymentId({ billId, amountRials: 3_450_000, jalaliYear: 1405, period: 9 });
    const pay = (body: Record<string, unknown>) => fetch(`${base}/bank-payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await pay({ billId, paymentId, amountRials: 3_450_000, reference: 'BANK-1' })).status).toBe(201);
    expect((await pay({ billId, paymentId, amountRials: 3_450_000, reference: 'BANK-1' })).status).toBe(200); // the same report again
    expect((await pay({ billId, paymentId: paymentId.slice(0, -1) + String((Number(paymentId.at(-1)) + 1) % 10), amountRials: 3_450_000, reference: 'BANK-2' })).status).toBe(400);
    expect((await pay({ billId: billId.padStart(13, '0'), paymentId, amountRials: 3_450_000, reference: 'BANK-3' })).status).toBe(201);
    const first = await client.listBankPayments(0, 1);
    expect(first.payments).toEqual([{ sequence: 1, billId, paymentId, amountRials: 3_450_000, reference: 'BANK-1', paidAt: expect.any(String), channel: 'internet-bank' }]);
    expect(first.next).toBe(1);
    const rest = await client.listBankPayments(first.next);
    expect(rest.payments.map((p) => [p.sequence, p.billId, p.reference])).toEqual([[2, billId, 'BANK-3']]);
    expect(await client.listBankPayments(rest.next)).toEqual({ payments: [], next: rest.next });
    expect((await fetch(`${base}/api/bank-payments?since=0`)).status).toBe(401);
  });

  it('throws UpstreamError when nothing answers', async () => {
    const dead = createHttpBillingClient({ baseUrl: () => 'http://127.0.0.1:9', apiKey: 'k', timeoutMs: 2000 });
    await expect(dead.getSubscriber('1234567131235')).rejects.toBeInstanceOf(UpstreamError);
  });
});

