// Tariff rules (pure): which row of the tariff in force prices what. The figures themselves live
// in the database, versioned by effective date; the demo version is seeded by `seed-demo`.

export type TariffKind = 'removal-fee' | 'meter-test-fee' | 'pishkhan-fee' | 'reconnection-fee' | 'damage';

export interface TariffItem {
  id: string;
  code: string;
  kind: TariffKind;
  phase: number | null;
  amperes: number | null;
  titleFa: string;
  amountRials: number;
}

/** Damage items of metering equipment that can be priced (خسارت لوازم اندازه‌گیری). */
export const DAMAGE_ITEMS = ['meter-single-phase', 'meter-three-phase', 'seal', 'meter-box', 'current-transformer', 'cable'] as const;
export type DamageItem = (typeof DAMAGE_ITEMS)[number];

/**
 * The row for a connection-dependent fee: the exact phase and amperes when listed, otherwise the
 * smallest listed rating of the same phase that covers it; null when nothing covers it.
 */
export function findConnectionFee(items: readonly TariffItem[], kind: 'removal-fee' | 'meter-test-fee' | 'reconnection-fee', phase: number, amperes: number): TariffItem | null {
  const candidates = items
    .filter((i) => i.kind === kind && i.phase === phase)
    .sort((a, b) => (a.amperes ?? Infinity) - (b.amperes ?? Infinity));
  return candidates.find((i) => (i.amperes ?? Infinity) >= amperes) ?? null;
}

/** The demo tariff of 1405 (believable figures, marked as demo values, not the company's). */
export const DEMO_TARIFF_1405: ReadonlyArray<Omit<TariffItem, 'id'>> = [
  { code: 'removal-1p-25', kind: 'removal-fee', phase: 1, amperes: 25, titleFa: 'هزینه جمع‌آوری انشعاب تک‌فاز تا ۲۵ آمپر', amountRials: 3_450_000 },
  { code: 'removal-1p-32', kind: 'removal-fee', phase: 1, amperes: 32, titleFa: 'هزینه جمع‌آوری انشعاب تک‌فاز ۳۲ آمپر', amountRials: 3_900_000 },
  { code: 'removal-3p-25', kind: 'removal-fee', phase: 3, amperes: 25, titleFa: 'هزینه جمع‌آوری انشعاب سه‌فاز ۳×۲۵ آمپر', amountRials: 6_900_000 },
  { code: 'removal-3p-32', kind: 'removal-fee', phase: 3, amperes: 32, titleFa: 'هزینه جمع‌آوری انشعاب سه‌فاز ۳×۳۲ آمپر', amountRials: 7_800_000 },
  { code: 'removal-3p-50', kind: 'removal-fee', phase: 3, amperes: 50, titleFa: 'هزینه جمع‌آوری انشعاب سه‌فاز ۳×۵۰ آمپر', amountRials: 9_800_000 },
  { code: 'removal-3p-200', kind: 'removal-fee', phase: 3, amperes: 200, titleFa: 'هزینه جمع‌آوری انشعاب سه‌فاز بیش از ۵۰ آمپر', amountRials: 14_500_000 },
  { code: 'meter-test-1p', kind: 'meter-test-fee', phase: 1, amperes: 200, titleFa: 'هزینه آزمایش کنتور تک‌فاز', amountRials: 1_200_000 },
  { code: 'meter-test-3p', kind: 'meter-test-fee', phase: 3, amperes: 200, titleFa: 'هزینه آزمایش کنتور سه‌فاز', amountRials: 2_100_000 },
  { code: 'pishkhan-intake', kind: 'pishkhan-fee', phase: null, amperes: null, titleFa: 'کارمزد ثبت در دفتر پیشخوان', amountRials: 250_000 },
  { code: 'reconnection-1p', kind: 'reconnection-fee', phase: 1, amperes: 200, titleFa: 'هزینه وصل مجدد انشعاب تک‌فاز', amountRials: 2_500_000 },
  { code: 'reconnection-3p', kind: 'reconnection-fee', phase: 3, amperes: 200, titleFa: 'هزینه وصل مجدد انشعاب سه‌فاز', amountRials: 5_000_000 },
  { code: 'damage-meter-single-phase', kind: 'damage', phase: null, amperes: null, titleFa: 'خسارت کنتور تک‌فاز', amountRials: 18_500_000 },
  { code: 'damage-meter-three-phase', kind: 'damage', phase: null, amperes: null, titleFa: 'خسارت کنتور سه‌فاز', amountRials: 42_000_000 },
  { code: 'damage-seal', kind: 'damage', phase: null, amperes: null, titleFa: 'خسارت پلمب', amountRials: 350_000 },
  { code: 'damage-meter-box', kind: 'damage', phase: null, amperes: null, titleFa: 'خسارت جعبه کنتور', amountRials: 4_800_000 },
  { code: 'damage-current-transformer', kind: 'damage', phase: null, amperes: null, titleFa: 'خسارت ترانسفورماتور جریان', amountRials: 9_500_000 },
  { code: 'damage-cable', kind: 'damage', phase: null, amperes: null, titleFa: 'خسارت کابل سرویس', amountRials: 1_900_000 },
];

export interface QuoteLine {
  purpose: 'removal-fee' | 'meter-test-fee' | 'pishkhan-fee' | 'consumption-debt' | 'damage' | 'final-consumption-debt';
  titleFa: string;
  amountRials: number;
  tariffItems: { id: string; code: string; amountRials: number }[];
}

/** Rounds down to whole thousands of rials, as Iranian bills are paid (the payment ID carries amount ÷ 1000). */
export function toPayableRials(amount: number): number {
  return Math.floor(amount / 1000) * 1000;
}

/** The lines of the first quote: removal fee, meter test fee, Pishkhan fee on that channel, consumption debt. */
export function quoteLines(input: { items: readonly TariffItem[]; phase: number; amperes: number; channel: string; debtRials: number }): QuoteLine[] {
  const removal = findConnectionFee(input.items, 'removal-fee', input.phase, input.amperes);
  const meterTest = findConnectionFee(input.items, 'meter-test-fee', input.phase, input.amperes);
  if (!removal || !meterTest) throw new Error(`the tariff in force has no removal or meter-test fee for ${input.phase}×${input.amperes} A`);
  const line = (purpose: QuoteLine['purpose'], item: TariffItem): QuoteLine => ({
    purpose,
    titleFa: item.titleFa,
    amountRials: item.amountRials,
    tariffItems: [{ id: item.id, code: item.code, amountRials: item.amountRials }],
  });
  const lines = [line('removal-fee', removal), line('meter-test-fee', meterTest)];
  if (input.channel === 'pishkhan') {
    const office = input.items.find((i) => i.kind === 'pishkhan-fee');
    if (office) lines.push(line('pishkhan-fee', office));
  }
  const debt = toPayableRials(input.debtRials);
  if (debt > 0) lines.push({ purpose: 'consumption-debt', titleFa: 'بدهی مصرفی تا امروز', amountRials: debt, tariffItems: [] });
  return lines.filter((l) => l.amountRials > 0);
}

/** The lines of the final bill: each damaged item once, priced from the damage list, plus the final consumption debt. */
export function settlementLines(input: { items: readonly TariffItem[]; damagedItems: readonly string[]; finalDebtRials: number }): QuoteLine[] {
  const lines: QuoteLine[] = [];
  for (const code of [...new Set(input.damagedItems)]) {
    const item = input.items.find((i) => i.kind === 'damage' && i.code === `damage-${code}`);
    if (!item) throw new Error(`the tariff in force has no damage price for ${code}`);
    lines.push({ purpose: 'damage', titleFa: item.titleFa, amountRials: item.amountRials, tariffItems: [{ id: item.id, code: item.code, amountRials: item.amountRials }] });
  }
  const debt = toPayableRials(input.finalDebtRials);
  if (debt > 0) lines.push({ purpose: 'final-consumption-debt', titleFa: 'بدهی مصرفی تا شماره نهایی کنتور', amountRials: debt, tariffItems: [] });
  return lines.filter((l) => l.amountRials > 0);
}
