// Tariff rules (pure): which row of the tariff in force prices what. The figures themselves live
// in the database, versioned by effective date; the demo version is seeded by `seed-demo`.

/** Every kind of tariff row; the database's check constraint holds the same list. */
export const TARIFF_KINDS = ['removal-fee', 'meter-test-fee', 'pishkhan-fee', 'reconnection-fee', 'damage'] as const;
export type TariffKind = (typeof TARIFF_KINDS)[number];

/** Persian names of the kinds, for people. */
export const TARIFF_KIND_TITLES_FA = {
  'removal-fee': 'هزینه جمع‌آوری انشعاب',
  'meter-test-fee': 'هزینه آزمایش کنتور',
  'pishkhan-fee': 'کارمزد دفتر پیشخوان',
  'reconnection-fee': 'هزینه وصل مجدد',
  damage: 'خسارت لوازم اندازه‌گیری',
} as const satisfies Record<TariffKind, string>;

/** Above this a tariff row is absurd (ten thousand billion rials); amounts due stay far below MAX_PAYMENT_AMOUNT_RIALS. */
export const MAX_TARIFF_AMOUNT_RIALS = 10_000_000_000_000;

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

/**
 * Rounds a debt down to whole thousands of rials, as Iranian bills are paid (the payment ID carries
 * amount ÷ 1000); a credit (negative) or a non-integer is nothing to pay. Integer arithmetic only.
 */
export function toPayableRials(amount: number): number {
  if (!Number.isSafeInteger(amount) || amount <= 0) return 0;
  return amount - (amount % 1000);
}

/** True for an amount a tariff row may carry: a safe integer of rials, ≥ 0, a multiple of 1000, at most MAX_TARIFF_AMOUNT_RIALS. */
export function isTariffAmount(amount: unknown): amount is number {
  return typeof amount === 'number' && Number.isSafeInteger(amount) && amount >= 0 && amount % 1000 === 0 && amount <= MAX_TARIFF_AMOUNT_RIALS;
}

/** Sums integer rials exactly; throws RangeError when the total would leave the safe-integer range. */
export function sumRials(amounts: readonly number[]): number {
  let total = 0;
  for (const amount of amounts) {
    if (!Number.isSafeInteger(amount)) throw new RangeError(`not an integer amount of rials: ${String(amount)}`);
    total += amount;
    if (!Number.isSafeInteger(total)) throw new RangeError('total amount of rials is beyond the safe-integer range');
  }
  return total;
}

/** A row of a tariff version an administrator proposes. */
export interface ProposedTariffItem {
  code: string;
  kind: string;
  phase: number | null;
  amperes: number | null;
  title: string;
  amountRials: number;
}

/** Why a proposed tariff version is refused; code is the API's error code, field points at the row. */
export interface TariffProblem {
  code: 'INVALID_AMOUNT' | 'UNKNOWN_TARIFF_KIND' | 'UNKNOWN_TARIFF_ROW' | 'TARIFF_INCOMPLETE' | 'VALIDATION_FAILED';
  messageFa: string;
  field: string;
  details?: Record<string, unknown>;
}

const CONNECTION_KINDS = ['removal-fee', 'meter-test-fee', 'reconnection-fee'] as const;

/**
 * Checks a proposed tariff version row by row, then as a whole: known kinds and rows, amounts
 * (integer rials, multiples of 1000, not absurd), phase × amperes where the kind needs them, no
 * duplicates, and every row a quote or a final bill needs. Returns the first problem, or null.
 */
export function checkTariffItems(items: readonly ProposedTariffItem[]): TariffProblem | null {
  const codes = new Set<string>();
  const connectionKeys = new Set<string>();
  for (const [index, item] of items.entries()) {
    const field = `items.${index}`;
    if (!(TARIFF_KINDS as readonly string[]).includes(item.kind)) {
      return { code: 'UNKNOWN_TARIFF_KIND', messageFa: `نوع «${item.kind}» در ردیف ${index + 1} شناخته‌شده نیست.`, field: `${field}.kind`, details: { kinds: [...TARIFF_KINDS] } };
    }
    if (!isTariffAmount(item.amountRials)) {
      return { code: 'INVALID_AMOUNT', messageFa: `مبلغ ردیف ${index + 1} («${item.code}») باید به ریال، عددی صحیح، نامنفی، مضربی از ۱۰۰۰ و حداکثر ${MAX_TARIFF_AMOUNT_RIALS} ریال باشد.`, field: `${field}.amountRials` };
    }
    if (codes.has(item.code)) return { code: 'UNKNOWN_TARIFF_ROW', messageFa: `کد ردیف «${item.code}» تکراری است.`, field: `${field}.code` };
    codes.add(item.code);
    const kind = item.kind as TariffKind;
    if ((CONNECTION_KINDS as readonly string[]).includes(kind)) {
      if (item.phase !== 1 && item.phase !== 3) return { code: 'VALIDATION_FAILED', messageFa: `ردیف ${index + 1} («${item.code}») باید فاز ۱ یا ۳ داشته باشد.`, field: `${field}.phase` };
      if (item.amperes === null || !Number.isSafeInteger(item.amperes) || item.amperes < 1 || item.amperes > 5000) {
        return { code: 'VALIDATION_FAILED', messageFa: `ردیف ${index + 1} («${item.code}») باید جریان نامی (آمپر) درستی داشته باشد.`, field: `${field}.amperes` };
      }
      const key = `${kind}:${item.phase}:${item.amperes}`;
      if (connectionKeys.has(key)) return { code: 'UNKNOWN_TARIFF_ROW', messageFa: `برای ${TARIFF_KIND_TITLES_FA[kind]} فاز ${item.phase} و ${item.amperes} آمپر دو ردیف آمده است.`, field: `${field}.amperes` };
      connectionKeys.add(key);
    } else if (item.phase !== null || item.amperes !== null) {
      return { code: 'VALIDATION_FAILED', messageFa: `ردیف ${index + 1} («${item.code}») فاز و آمپر ندارد؛ آن‌ها را خالی بگذارید.`, field: `${field}.phase` };
    }
    if (kind === 'damage' && !(DAMAGE_ITEMS as readonly string[]).includes(item.code.replace(/^damage-/, '')) ) {
      return { code: 'UNKNOWN_TARIFF_ROW', messageFa: `ردیف خسارت «${item.code}» شناخته‌شده نیست؛ کدهای مجاز: ${DAMAGE_ITEMS.map((d) => `damage-${d}`).join('، ')}.`, field: `${field}.code`, details: { allowed: DAMAGE_ITEMS.map((d) => `damage-${d}`) } };
    }
    if (kind === 'damage' && !item.code.startsWith('damage-')) {
      return { code: 'UNKNOWN_TARIFF_ROW', messageFa: `کد ردیف خسارت باید با «damage-» آغاز شود («${item.code}»).`, field: `${field}.code` };
    }
  }
  const missing: string[] = [];
  for (const kind of CONNECTION_KINDS) for (const phase of [1, 3]) if (!items.some((i) => i.kind === kind && i.phase === phase)) missing.push(`${kind} (phase ${phase})`);
  if (!items.some((i) => i.kind === 'pishkhan-fee')) missing.push('pishkhan-fee');
  for (const damage of DAMAGE_ITEMS) if (!items.some((i) => i.kind === 'damage' && i.code === `damage-${damage}`)) missing.push(`damage-${damage}`);
  if (missing.length > 0) return { code: 'TARIFF_INCOMPLETE', messageFa: `نسخه تعرفه کامل نیست؛ این ردیف‌ها لازم است: ${missing.join('، ')}.`, field: 'items', details: { missing } };
  return null;
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
