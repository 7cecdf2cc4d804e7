// Receipts (رسید پرداخت), pure: a verified payment → the receipt's JSON and its printable Persian,
// right-to-left HTML page (Jalali date, Persian digits, amounts grouped in rials).
import { formatRials, toPersianDigits } from '../platform/digits.ts';
import { formatJalaliDateTime } from '../platform/jalali.ts';

/** The columns of a verified payment a receipt is made from (payment.repository's receipt query). */
export interface ReceiptRow {
  id: string;
  method: 'online' | 'counter' | 'bank' | 'pos' | 'cash';
  amountRials: number;
  reference: string | null;
  traceNo: string | null;
  rrn: string | null;
  maskedPan: string | null;
  verifiedAt: Date | null;
  recordedBy: string | null;
  amountDueId: string;
  stage: 'quote' | 'settlement';
  purpose: string;
  titleFa: string;
  billId: string;
  paymentId: string;
  trackingCode: string;
  personType: string;
  firstName: string | null;
  lastName: string | null;
  legalName: string | null;
  subscriberBillId: string;
}

/** Persian names of the payment channels. */
export const PAYMENT_METHOD_TITLES_FA = {
  online: 'درگاه پرداخت اینترنتی',
  bank: 'درگاه‌های بانکی (با شناسه قبض و پرداخت)',
  pos: 'کارت‌خوان (POS) در باجه',
  cash: 'نقدی در باجه',
  counter: 'باجه',
} as const satisfies Record<ReceiptRow['method'], string>;

/** The SLA §4 sentence every receipt carries. */
export const NO_REFUND_NOTICE_FA = 'وجوه پرداخت‌شده در صورت انصراف از درخواست یا بایگانی آن بازگردانده نمی‌شود (بند ۴ توافقنامه سطح خدمت).';

export interface Receipt {
  id: string;
  trackingCode: string;
  payerName: string;
  amountDueId: string;
  stage: 'quote' | 'settlement';
  purpose: string;
  title: string;
  amountRials: number;
  amountText: string;
  billId: string;
  paymentId: string;
  subscriberBillId: string;
  method: ReceiptRow['method'];
  methodTitle: string;
  reference: string | null;
  traceNo: string | null;
  rrn: string | null;
  maskedPan: string | null;
  paidAt: string;
  paidAtJalali: string;
  recordedBy: string | null;
  url: string;
  noRefundNotice: string;
}

/** The receipt of one verified payment; url is where its printable page answers. */
export function toReceipt(row: ReceiptRow, url: string): Receipt {
  const paidAt = row.verifiedAt ?? new Date(0);
  return {
    id: row.id,
    trackingCode: row.trackingCode,
    payerName: row.personType === 'legal' ? (row.legalName ?? '') : `${row.firstName ?? ''} ${row.lastName ?? ''}`.trim(),
    amountDueId: row.amountDueId,
    stage: row.stage,
    purpose: row.purpose,
    title: row.titleFa,
    amountRials: row.amountRials,
    amountText: formatRials(row.amountRials),
    billId: row.billId,
    paymentId: row.paymentId,
    subscriberBillId: row.subscriberBillId,
    method: row.method,
    methodTitle: PAYMENT_METHOD_TITLES_FA[row.method],
    reference: row.reference,
    traceNo: row.traceNo,
    rrn: row.rrn,
    maskedPan: row.maskedPan,
    paidAt: paidAt.toISOString(),
    paidAtJalali: formatJalaliDateTime(paidAt),
    recordedBy: row.recordedBy,
    url,
    noRefundNotice: NO_REFUND_NOTICE_FA,
  };
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The printable receipt page: Persian, RTL, one A5-friendly card, a print button hidden on paper. */
export function renderReceiptHtml(receipt: Receipt, company = 'شرکت توزیع نیروی برق'): string {
  const fa = (s: string | null) => (s ? escapeHtml(toPersianDigits(s)) : '—');
  // Identifiers read left to right even inside a right-to-left page.
  const ltr = (s: string | null) => (s ? `<bdi dir="ltr">${fa(s)}</bdi>` : '—');
  const rows: Array<[string, string]> = [
    ['کد رهگیری درخواست', ltr(receipt.trackingCode)],
    ['پرداخت‌کننده', escapeHtml(receipt.payerName || '—')],
    ['بابت', escapeHtml(receipt.title)],
    ['مبلغ', `<strong>${escapeHtml(receipt.amountText)}</strong>`],
    ['شناسه قبض', ltr(receipt.billId)],
    ['شناسه پرداخت', ltr(receipt.paymentId)],
    ['شیوه پرداخت', escapeHtml(receipt.methodTitle)],
    ['شماره مرجع', ltr(receipt.reference)],
    ['شماره پیگیری', ltr(receipt.traceNo)],
    ['شماره مرجع بانکی (RRN)', ltr(receipt.rrn)],
    ['کارت', ltr(receipt.maskedPan)],
    ['تاریخ و ساعت پرداخت', escapeHtml(receipt.paidAtJalali)],
    ['شناسه قبض انشعاب', ltr(receipt.subscriberBillId)],
  ];
  const body = rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>رسید پرداخت ${fa(receipt.trackingCode)}</title>
<style>
  body { font-family: Vazirmatn, Tahoma, sans-serif; margin: 0; padding: 1.5rem; color: #111827; background: #f3f4f6; }
  main { max-width: 34rem; margin: 0 auto; background: #fff; border: 1px solid #d1d5db; border-radius: 10px; padding: 1.5rem; }
  h1 { font-size: 1.25rem; margin: 0 0 .25rem; } .company { color: #4b5563; margin: 0 0 1rem; }
  table { width: 100%; border-collapse: collapse; } th, td { text-align: right; padding: .45rem .25rem; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
  th { color: #4b5563; font-weight: normal; width: 45%; }
  .note { font-size: .85rem; color: #374151; margin-top: 1rem; } .receipt-id { font-size: .75rem; color: #6b7280; direction: ltr; text-align: left; }
  button { font: inherit; margin-top: 1rem; padding: .5rem 1.25rem; border: 0; border-radius: 6px; background: #1d4ed8; color: #fff; cursor: pointer; }
  @media print { body { background: #fff; padding: 0; } main { border: 0; } button { display: none; } }
</style>
</head>
<body>
<main>
<h1>رسید پرداخت</h1>
<p class="company">${escapeHtml(company)} — میز خدمت برق</p>
<table>
${body}
</table>
<p class="note">${escapeHtml(receipt.noRefundNotice)}</p>
<p class="receipt-id">${escapeHtml(receipt.id)}</p>
<button type="button" onclick="window.print()">چاپ رسید</button>
</main>
</body>
</html>`;
}
