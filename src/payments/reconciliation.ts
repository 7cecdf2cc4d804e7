// The daily reconciliation for finance (تطبیق روزانه), pure: one Tehran day's amounts due issued,
// payments by channel with their gateway / POS / bank references, and the mismatches (flags and
// callbacks that recorded no money); as JSON, or as CSV that Excel opens with Persian intact.
import { formatJalaliDateTime } from '../platform/jalali.ts';
import { PAYMENT_METHOD_TITLES_FA, type ReceiptRow } from './receipt.ts';
import { sumRials } from './tariffs.ts';

type Method = ReceiptRow['method'];

export interface ReconciliationInput {
  date: string;
  from: Date;
  to: Date;
  payments: ReadonlyArray<Pick<ReceiptRow, 'id' | 'method' | 'amountRials' | 'reference' | 'traceNo' | 'rrn' | 'verifiedAt' | 'recordedBy' | 'amountDueId' | 'purpose' | 'billId' | 'paymentId' | 'trackingCode'> & { amountDueRials: number }>;
  amountsDue: ReadonlyArray<{ id: string; stage: string; purpose: string; amountRials: number; billId: string; paymentId: string; createdAt: Date; paidAt: Date | null; expiresAt: Date | null; trackingCode: string }>;
  flags: ReadonlyArray<{ id: string; kind: string; amountRials: number; details: unknown; createdAt: Date; trackingCode: string | null; billId: string | null; paymentId: string | null; method: string | null; reference: string | null }>;
  callbacks: ReadonlyArray<{ id: string; receivedAt: Date; outcome: string; refNum: string | null; resNum: string | null; amount: string | null }>;
}

export interface Reconciliation {
  date: string;
  from: string;
  to: string;
  totals: {
    amountsDueCount: number;
    amountsDueRials: number;
    paymentsCount: number;
    paidRials: number;
    byChannel: Array<{ method: Method; title: string; count: number; rials: number }>;
    mismatchesCount: number;
  };
  amountsDue: Array<{ id: string; trackingCode: string; stage: string; purpose: string; amountRials: number; billId: string; paymentId: string; createdAt: string; expiresAt: string | null; paid: boolean }>;
  payments: Array<{
    id: string; trackingCode: string; purpose: string; billId: string; paymentId: string; amountDueRials: number; paidRials: number;
    method: Method; methodTitle: string; reference: string | null; traceNo: string | null; rrn: string | null; paidAt: string; paidAtJalali: string; recordedBy: string | null;
  }>;
  mismatches: Array<{ source: 'flag' | 'callback'; id: string; kind: string; at: string; trackingCode: string | null; billId: string | null; paymentId: string | null; amountRials: number | null; reference: string | null; note: string }>;
}

const CHANNEL_ORDER: readonly Method[] = ['online', 'bank', 'pos', 'cash', 'counter'];

/** Assembles the day's reconciliation from its rows; totals are exact integer sums. */
export function buildReconciliation(input: ReconciliationInput): Reconciliation {
  const payments = input.payments.map((p) => {
    const paidAt = p.verifiedAt ?? input.from;
    return {
      id: p.id, trackingCode: p.trackingCode, purpose: p.purpose, billId: p.billId, paymentId: p.paymentId, amountDueRials: p.amountDueRials, paidRials: p.amountRials,
      method: p.method, methodTitle: PAYMENT_METHOD_TITLES_FA[p.method], reference: p.reference, traceNo: p.traceNo, rrn: p.rrn,
      paidAt: paidAt.toISOString(), paidAtJalali: formatJalaliDateTime(paidAt), recordedBy: p.recordedBy,
    };
  });
  const byChannel = CHANNEL_ORDER.map((method) => {
    const of = payments.filter((p) => p.method === method);
    return { method, title: PAYMENT_METHOD_TITLES_FA[method], count: of.length, rials: sumRials(of.map((p) => p.paidRials)) };
  }).filter((c) => c.count > 0);
  const mismatches: Reconciliation['mismatches'] = [
    ...input.flags.map((f) => ({
      source: 'flag' as const, id: f.id, kind: f.kind, at: f.createdAt.toISOString(), trackingCode: f.trackingCode, billId: f.billId ?? detail(f.details, 'billId'),
      paymentId: f.paymentId ?? detail(f.details, 'paymentId'), amountRials: f.amountRials, reference: f.reference ?? detail(f.details, 'reference') ?? detail(f.details, 'refNum'),
      note: FLAG_NOTES_FA[f.kind] ?? f.kind,
    })),
    ...input.callbacks.map((c) => ({
      source: 'callback' as const, id: c.id, kind: `callback-${c.outcome}`, at: c.receivedAt.toISOString(), trackingCode: null, billId: null, paymentId: null,
      amountRials: c.amount !== null && /^\d{1,15}$/.test(c.amount) ? Number(c.amount) : null, reference: c.refNum, note: CALLBACK_NOTES_FA[c.outcome] ?? c.outcome,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return {
    date: input.date,
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    totals: {
      amountsDueCount: input.amountsDue.length,
      amountsDueRials: sumRials(input.amountsDue.map((a) => a.amountRials)),
      paymentsCount: payments.length,
      paidRials: sumRials(payments.map((p) => p.paidRials)),
      byChannel,
      mismatchesCount: mismatches.length,
    },
    amountsDue: input.amountsDue.map((a) => ({
      id: a.id, trackingCode: a.trackingCode, stage: a.stage, purpose: a.purpose, amountRials: a.amountRials, billId: a.billId, paymentId: a.paymentId,
      createdAt: a.createdAt.toISOString(), expiresAt: a.expiresAt ? a.expiresAt.toISOString() : null, paid: a.paidAt !== null,
    })),
    payments,
    mismatches,
  };
}

function detail(details: unknown, key: string): string | null {
  const value = details && typeof details === 'object' ? (details as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : null;
}

const FLAG_NOTES_FA: Record<string, string> = {
  'after-expiry': 'پرداخت پس از پایان مهلت',
  'request-closed': 'پرداخت برای درخواست بسته‌شده',
  'double-payment': 'پرداخت دوباره یک مبلغ',
  'amount-mismatch': 'مبلغ پرداخت‌شده با مبلغ قبض یکی نیست',
  'unmatched-bank-payment': 'پرداخت بانکی بی‌مطابق',
};

const CALLBACK_NOTES_FA: Record<string, string> = {
  unknown: 'بازگشت از درگاه با توکن ناشناخته (جعلی)',
  mismatch: 'بازگشت از درگاه با مبلغ یا شماره فاکتور نادرست',
  refused: 'تراکنش در تأیید درگاه پذیرفته نشد',
  'duplicate-reference': 'شماره مرجع تکراری',
};

/** One CSV field: quoted when needed; text that a spreadsheet would run as a formula is defused. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV columns, Persian headers for finance. */
export const RECONCILIATION_CSV_HEADER = [
  'نوع ردیف', 'زمان', 'کد رهگیری', 'بابت', 'شناسه قبض', 'شناسه پرداخت', 'مبلغ قابل پرداخت (ریال)', 'مبلغ پرداخت‌شده (ریال)',
  'شیوه پرداخت', 'شماره مرجع', 'شماره پیگیری', 'ثبت‌کننده', 'توضیح',
] as const;

/** The reconciliation as CSV: UTF-8 with a byte-order mark (so Excel reads Persian), CRLF lines, integer rials without grouping so sums work. */
export function reconciliationCsv(r: Reconciliation): string {
  const lines: Array<Array<string | number | null>> = [[...RECONCILIATION_CSV_HEADER]];
  for (const a of r.amountsDue) lines.push(['amount-due', a.createdAt, a.trackingCode, a.purpose, a.billId, a.paymentId, a.amountRials, null, null, null, null, null, a.paid ? 'پرداخت‌شده' : 'پرداخت‌نشده']);
  for (const p of r.payments) lines.push(['payment', p.paidAt, p.trackingCode, p.purpose, p.billId, p.paymentId, p.amountDueRials, p.paidRials, p.method, p.reference, p.traceNo ?? p.rrn, p.recordedBy, p.methodTitle]);
  for (const m of r.mismatches) lines.push(['mismatch', m.at, m.trackingCode, m.kind, m.billId, m.paymentId, null, m.amountRials, null, m.reference, null, null, m.note]);
  for (const c of r.totals.byChannel) lines.push(['total-channel', r.date, null, null, null, null, null, c.rials, c.method, null, null, null, `${c.title}: ${c.count}`]);
  lines.push(['total', r.date, null, null, null, null, r.totals.amountsDueRials, r.totals.paidRials, null, null, null, null, `پرداخت‌ها: ${r.totals.paymentsCount}؛ مغایرت‌ها: ${r.totals.mismatchesCount}`]);
  return '\uFEFF' + lines.map((l) => l.map(csvField).join(',')).join('\r\n') + '\r\n';
}
