// One schema per money endpoint; types are inferred from them and shared with the web client.
import { z } from 'zod';
import { toAsciiDigits } from '../platform/digits.ts';
import { TARIFF_KINDS } from './tariffs.ts';

const JalaliDate = z.string().trim().min(8).max(10).transform((v) => toAsciiDigits(v)).describe('تاریخ شمسی، مانند 1406-01-01');

export const TariffItemBody = z.object({
  code: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,59}$/).describe('کد ردیف (لاتین کوچک، رقم و خط تیره)، مانند removal-1p-25 یا damage-seal'),
  kind: z.string().trim().min(1).max(40).describe(`نوع ردیف: ${TARIFF_KINDS.join(', ')}`),
  phase: z.number().int().nullable().default(null).describe('فاز (۱ یا ۳) برای هزینه‌های وابسته به انشعاب؛ برای بقیه null'),
  amperes: z.number().int().nullable().default(null).describe('جریان نامی (آمپر) برای هزینه‌های وابسته به انشعاب؛ برای بقیه null'),
  title: z.string().trim().min(2).max(200).describe('عنوان فارسی ردیف'),
  amountRials: z.number().describe('مبلغ به ریال: عدد صحیح نامنفی، مضرب ۱۰۰۰، حداکثر ۱۰ به توان ۱۳'),
});

export const PublishTariffBody = z.object({
  effectiveFrom: JalaliDate.describe('تاریخ اجرای نسخه (شمسی، آغاز روز به وقت تهران)؛ باید در آینده و پس از همه نسخه‌های موجود باشد'),
  note: z.string().trim().max(500).nullable().default(null).describe('توضیح، مانند شماره مصوبه'),
  items: z.array(TariffItemBody).min(1).max(500),
});
export type PublishTariffBody = z.output<typeof PublishTariffBody>;

export const TariffItemView = z.object({
  code: z.string(), kind: z.string(), phase: z.number().nullable(), amperes: z.number().nullable(), title: z.string(), amountRials: z.number().int(),
});

export const TariffVersionView = z.object({
  id: z.string(),
  effectiveFrom: z.string(),
  effectiveFromJalali: z.string(),
  note: z.string().nullable(),
  isDemo: z.boolean().describe('ارقام نمایشی است، نه ارقام مصوب'),
  inForce: z.boolean(),
  scheduled: z.boolean().describe('تاریخ اجرا نرسیده است'),
  createdBy: z.string(),
  createdAt: z.string(),
  items: z.array(TariffItemView),
});

export const TariffVersionList = z.object({ versions: z.array(TariffVersionView) });

export const TariffVersionParams = z.object({ id: z.uuid() });

export const CounterPaymentBody = z.object({
  amountDueId: z.uuid(),
  method: z.enum(['pos', 'cash']).describe('pos: کارت‌خوان؛ cash: نقدی'),
  reference: z
    .string()
    .max(64)
    .transform((v) => toAsciiDigits(v).trim())
    .pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9/-]{3,63}$/))
    .describe('شماره مرجع کارت‌خوان (RRN) یا شماره رسید صندوق'),
});
export type CounterPaymentBody = z.output<typeof CounterPaymentBody>;

export const ReceiptView = z.object({
  id: z.string().describe('شناسه رسید (شناسه پرداخت در سامانه)'),
  trackingCode: z.string(),
  payerName: z.string(),
  amountDueId: z.string(),
  stage: z.enum(['quote', 'settlement']),
  purpose: z.string(),
  title: z.string(),
  amountRials: z.number().int(),
  amountText: z.string(),
  billId: z.string(),
  paymentId: z.string(),
  subscriberBillId: z.string(),
  method: z.enum(['online', 'counter', 'bank', 'pos', 'cash']),
  methodTitle: z.string(),
  reference: z.string().nullable(),
  traceNo: z.string().nullable(),
  rrn: z.string().nullable(),
  maskedPan: z.string().nullable(),
  paidAt: z.string(),
  paidAtJalali: z.string(),
  recordedBy: z.string().nullable(),
  url: z.string(),
  noRefundNotice: z.string(),
});

export const ReceiptList = z.object({ receipts: z.array(ReceiptView) });

export const ReceiptParams = z.object({ id: z.uuid() });
export const ReceiptQuery = z.object({ format: z.enum(['html', 'json']).default('html') });

export const FlagsQuery = z.object({ status: z.enum(['open', 'all']).default('open') });
export const FlagParams = z.object({ id: z.uuid() });
export const ResolveFlagBody = z.object({ note: z.string().trim().min(3).max(500).describe('نتیجه بررسی مالی') });

export const FlagView = z.object({
  id: z.string(),
  kind: z.enum(['after-expiry', 'request-closed', 'double-payment', 'amount-mismatch', 'unmatched-bank-payment']),
  title: z.string(),
  amountRials: z.number().int(),
  trackingCode: z.string().nullable(),
  requestState: z.string().nullable(),
  billId: z.string().nullable(),
  paymentId: z.string().nullable(),
  purpose: z.string().nullable(),
  method: z.string().nullable(),
  reference: z.string().nullable(),
  paymentRowId: z.string().nullable(),
  bankPaymentId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  createdAtJalali: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolutionNote: z.string().nullable(),
});
export const FlagList = z.object({ flags: z.array(FlagView) });

export const ReconciliationQuery = z.object({
  date: JalaliDate.describe('روز (شمسی، به وقت تهران)، مانند 1405-09-14'),
  format: z.enum(['csv', 'json']).default('csv'),
});
