// Quote arithmetic, tariff checks, receipts and the reconciliation export: pure, no database.
import { describe, expect, it } from 'vitest';
import { tehranDayBounds, toJalaliDateString } from '../platform/jalali.ts';
import { buildReconciliation, reconciliationCsv } from './reconciliation.ts';
import { renderReceiptHtml, toReceipt, type ReceiptRow } from './receipt.ts';
import {
  checkTariffItems,
  DEMO_TARIFF_1405,
  MAX_TARIFF_AMOUNT_RIALS,
  quoteLines,
  settlementLines,
  sumRials,
  toPayableRials,
  type ProposedTariffItem,
  type TariffItem,
} from './tariffs.ts';

const items: TariffItem[] = DEMO_TARIFF_1405.map((item, i) => ({ ...item, id: `id-${i}` }));
const proposed = (): ProposedTariffItem[] => DEMO_TARIFF_1405.map((i) => ({ code: i.code, kind: i.kind, phase: i.phase, amperes: i.amperes, title: i.titleFa, amountRials: i.amountRials }));
const byCode = (code: string) => items.find((i) => i.code === code)!;

describe('quote arithmetic', () => {
  it('prices the removal and meter-test fees by phase × amperes, with the tariff rows used', () => {
    const lines = quoteLines({ items, phase: 1, amperes: 25, channel: 'app', debtRials: 0 });
    expect(lines.map((l) => [l.purpose, l.amountRials])).toEqual([['removal-fee', 3_450_000], ['meter-test-fee', 1_200_000]]);
    expect(lines[0]!.tariffItems).toEqual([{ id: byCode('removal-1p-25').id, code: 'removal-1p-25', amountRials: 3_450_000 }]);
    expect(quoteLines({ items, phase: 3, amperes: 32, channel: 'app', debtRials: 0 })[0]!.amountRials).toBe(7_800_000);
  });

  it('takes the smallest listed rating that covers the connection', () => {
    expect(quoteLines({ items, phase: 3, amperes: 40, channel: 'web', debtRials: 0 })[0]!.tariffItems[0]!.code).toBe('removal-3p-50');
    expect(quoteLines({ items, phase: 3, amperes: 63, channel: 'web', debtRials: 0 })[0]!.tariffItems[0]!.code).toBe('removal-3p-200');
    expect(() => quoteLines({ items, phase: 3, amperes: 250, channel: 'web', debtRials: 0 })).toThrow();
  });

  it('adds the Pishkhan fee only on that channel, and the consumption debt rounded down to thousands', () => {
    const lines = quoteLines({ items, phase: 1, amperes: 32, channel: 'pishkhan', debtRials: 1_234_567 });
    expect(lines.map((l) => l.purpose)).toEqual(['removal-fee', 'meter-test-fee', 'pishkhan-fee', 'consumption-debt']);
    expect(lines.at(-1)!.amountRials).toBe(1_234_000);
    expect(lines.at(-1)!.tariffItems).toEqual([]);
    expect(sumRials(lines.map((l) => l.amountRials))).toBe(3_900_000 + 1_200_000 + 250_000 + 1_234_000);
  });

  it('leaves out a credit, a debt under 1000 rials and zero-priced rows', () => {
    expect(quoteLines({ items, phase: 1, amperes: 25, channel: 'app', debtRials: -5_000 }).map((l) => l.purpose)).toEqual(['removal-fee', 'meter-test-fee']);
    expect(quoteLines({ items, phase: 1, amperes: 25, channel: 'app', debtRials: 999 }).map((l) => l.purpose)).toEqual(['removal-fee', 'meter-test-fee']);
    const free = items.map((i) => (i.code === 'meter-test-1p' ? { ...i, amountRials: 0 } : i));
    expect(quoteLines({ items: free, phase: 1, amperes: 25, channel: 'app', debtRials: 0 }).map((l) => l.purpose)).toEqual(['removal-fee']);
  });

  it('prices each damaged item once from the damage list, plus the final consumption debt', () => {
    const lines = settlementLines({ items, damagedItems: ['seal', 'meter-box', 'seal'], finalDebtRials: 2_000_999 });
    expect(lines.map((l) => [l.purpose, l.amountRials])).toEqual([['damage', 350_000], ['damage', 4_800_000], ['final-consumption-debt', 2_000_000]]);
    expect(lines[1]!.tariffItems[0]!.code).toBe('damage-meter-box');
    expect(settlementLines({ items, damagedItems: [], finalDebtRials: 0 })).toEqual([]);
  });

  it('keeps to integer arithmetic up to 10^12 rials and beyond', () => {
    expect(toPayableRials(1_000_000_000_000)).toBe(1_000_000_000_000);
    expect(toPayableRials(999_999_999_999_999)).toBe(999_999_999_999_000);
    expect(toPayableRials(Number.MAX_SAFE_INTEGER)).toBe(9_007_199_254_740_000);
    expect(toPayableRials(12.5)).toBe(0);
    const huge = items.map((i) => (i.code === 'removal-1p-25' ? { ...i, amountRials: 1_000_000_000_000 } : i));
    const lines = quoteLines({ items: huge, phase: 1, amperes: 25, channel: 'app', debtRials: 1_000_000_000_000 });
    expect(sumRials(lines.map((l) => l.amountRials))).toBe(2_000_001_200_000);
    expect(() => sumRials([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
    expect(() => sumRials([0.5])).toThrow(RangeError);
  });
});

describe('tariff versions', () => {
  it('accepts the demo table, reconnection fees included', () => {
    expect(checkTariffItems(proposed())).toBeNull();
    expect(proposed().filter((i) => i.kind === 'reconnection-fee')).toHaveLength(2);
  });

  it.each([
    ['negative', -1000],
    ['fractional', 1000.5],
    ['not a multiple of 1000', 1500],
    ['absurd', MAX_TARIFF_AMOUNT_RIALS + 1000],
    ['beyond safe integers', 2 ** 60],
  ])('refuses a %s amount', (_, amount) => {
    const rows = proposed();
    rows[0]!.amountRials = amount;
    expect(checkTariffItems(rows)).toMatchObject({ code: 'INVALID_AMOUNT', field: 'items.0.amountRials' });
  });

  it('accepts 10^12 rials and exactly the maximum', () => {
    const rows = proposed();
    rows[0]!.amountRials = 1_000_000_000_000;
    rows[1]!.amountRials = MAX_TARIFF_AMOUNT_RIALS;
    expect(checkTariffItems(rows)).toBeNull();
  });

  it('refuses unknown kinds, unknown or repeated rows, rows missing their rating, and an incomplete table', () => {
    const kind = proposed();
    kind[2]!.kind = 'installation-fee';
    expect(checkTariffItems(kind)?.code).toBe('UNKNOWN_TARIFF_KIND');
    const damage = proposed();
    damage.push({ code: 'damage-roof', kind: 'damage', phase: null, amperes: null, title: 'سقف', amountRials: 1000 });
    expect(checkTariffItems(damage)?.code).toBe('UNKNOWN_TARIFF_ROW');
    const repeated = proposed();
    repeated.push({ ...repeated[0]!, amperes: 63 });
    expect(checkTariffItems(repeated)).toMatchObject({ code: 'UNKNOWN_TARIFF_ROW', field: `items.${repeated.length - 1}.code` });
    const sameRating = proposed();
    sameRating.push({ ...sameRating[0]!, code: 'removal-1p-25-bis' });
    expect(checkTariffItems(sameRating)?.code).toBe('UNKNOWN_TARIFF_ROW');
    const noPhase = proposed();
    noPhase[0]!.phase = 2;
    expect(checkTariffItems(noPhase)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'items.0.phase' });
    const incomplete = proposed().filter((i) => i.code !== 'damage-cable' && i.kind !== 'reconnection-fee');
    expect(checkTariffItems(incomplete)).toMatchObject({ code: 'TARIFF_INCOMPLETE', details: { missing: ['reconnection-fee (phase 1)', 'reconnection-fee (phase 3)', 'damage-cable'] } });
  });
});

describe('Tehran days', () => {
  it('bounds a Jalali day at Tehran midnight, with and without the old daylight saving', () => {
    expect(tehranDayBounds('1406-01-01')).toMatchObject({ start: new Date('2027-03-20T20:30:00Z'), end: new Date('2027-03-21T20:30:00Z') });
    const summer1399 = tehranDayBounds('۱۳۹۹-۰۶-۰۱')!;
    expect(summer1399.start.toISOString()).toBe('2020-08-21T19:30:00.000Z');
    expect(toJalaliDateString(summer1399.start)).toBe('1399-06-01');
    expect(tehranDayBounds('1405-12-30')).toBeNull();
  });
});

const receiptRow: ReceiptRow = {
  id: '0b7e7a4e-2f1a-4c57-9d5e-1f1f7c2f9a11', method: 'pos', amountRials: 1_000_000_000_000, reference: '=HYPERLINK("x")', traceNo: '123456', rrn: null, maskedPan: null,
  verifiedAt: new Date('2026-12-05T06:00:00Z'), recordedBy: 'staff:finance', amountDueId: 'ad-1', stage: 'quote', purpose: 'removal-fee', titleFa: 'هزینه <جمع‌آوری>',
  billId: '100000011312', paymentId: '10000000005090914', trackingCode: '615098555481', personType: 'natural', firstName: 'علی', lastName: 'رضایی', legalName: null, subscriberBillId: '4867611013122',
};

describe('receipts and reconciliation', () => {
  it('prints a Persian, right-to-left receipt with Jalali date, Persian digits and grouped rials', () => {
    const receipt = toReceipt(receiptRow, 'http://x/api/v1/receipts/1');
    expect(receipt.amountText).toBe('۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال');
    const html = renderReceiptHtml(receipt);
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).toContain('۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال');
    expect(html).toContain('۶۱۵۰۹۸۵۵۵۴۸۱');
    expect(html).toContain('۱۰۰۰۰۰۰۱۱۳۱۲');
    expect(html).toContain('۱۴۰۵');
    expect(html).toContain('هزینه &lt;جمع‌آوری&gt;');
    expect(html).not.toContain('<جمع‌آوری>');
  });

  it('exports CSV with a byte-order mark, exact integer sums and formulas defused', () => {
    const day = tehranDayBounds('1405-09-14')!;
    const r = buildReconciliation({
      date: day.jalali, from: day.start, to: day.end,
      payments: [
        { ...receiptRow, amountDueRials: 1_000_000_000_000 },
        { ...receiptRow, id: 'p2', method: 'online', amountRials: 3_450_000, amountDueRials: 3_450_000, reference: 'Ref,"1"' },
      ],
      amountsDue: [{ id: 'ad-1', stage: 'quote', purpose: 'removal-fee', amountRials: 1_000_000_000_000, billId: 'b', paymentId: 'p', createdAt: day.start, paidAt: day.start, expiresAt: null, trackingCode: '615098555481' }],
      flags: [],
      callbacks: [{ id: 'c1', receivedAt: day.start, outcome: 'unknown', refNum: 'forged', resNum: null, amount: '5000' }],
    });
    expect(r.totals).toMatchObject({ paidRials: 1_000_003_450_000, paymentsCount: 2, amountsDueRials: 1_000_000_000_000, mismatchesCount: 1 });
    expect(r.totals.byChannel).toEqual([
      { method: 'online', title: expect.any(String), count: 1, rials: 3_450_000 },
      { method: 'pos', title: expect.any(String), count: 1, rials: 1_000_000_000_000 },
    ]);
    const csv = reconciliationCsv(r);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain(',1000000000000,');
    expect(csv).toContain(`'=HYPERLINK(""x"")`);
    expect(csv).toContain('"Ref,""1"""');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + 1 + 2 + 1 + 2 + 1);
  });
});
