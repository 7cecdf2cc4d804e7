// The report and audit endpoints' query schemas, shared with the web client.
import { z } from 'zod';
import { toAsciiDigits } from '../platform/digits.ts';

const jalaliDate = z
  .string()
  .max(20)
  .transform((v) => toAsciiDigits(v).trim())
  .refine((v) => /^\d{4}[-/]\d{1,2}[-/]\d{1,2}$/.test(v), { error: 'تاریخ را شمسی و به شکل ۱۴۰۵-۰۹-۰۱ بنویسید.' });

const Channel = z.enum(['web', 'app', 'pishkhan', 'counter'], { error: 'درگاه باید یکی از web، app، pishkhan یا counter باشد.' });
const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

export const DashboardQuery = z.object({
  from: z.preprocess(emptyToUndefined, jalaliDate.optional()).describe('آغاز بازه (تاریخ شمسی، روز تهران)، مانند 1405-09-01؛ پیش‌فرض: آغاز ماه جاری'),
  to: z.preprocess(emptyToUndefined, jalaliDate.optional()).describe('پایان بازه (شامل همان روز)، مانند 1405-09-30؛ پیش‌فرض: امروز'),
  channel: z.preprocess(emptyToUndefined, Channel.optional()).describe('فقط یک درگاه'),
  office: z.preprocess(emptyToUndefined, z.string().transform((v) => toAsciiDigits(v).trim()).pipe(z.string().regex(/^\d{4,12}$/, { error: 'کد دفتر پیشخوان باید عددی باشد.' })).optional()).describe('فقط یک دفتر پیشخوان'),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

export const AgreementReviewQuery = DashboardQuery.extend({
  format: z.enum(['json', 'xlsx', 'csv'], { error: 'قالب باید json، xlsx یا csv باشد.' }).default('json').describe('قالب خروجی'),
});

export const AuditEventsQuery = z.object({
  from: z.preprocess(emptyToUndefined, jalaliDate.optional()).describe('آغاز بازه (تاریخ شمسی)'),
  to: z.preprocess(emptyToUndefined, jalaliDate.optional()).describe('پایان بازه (شامل همان روز)'),
  action: z.preprocess(emptyToUndefined, z.string().regex(/^[a-z-]{2,40}$/, { error: 'نام اقدام درست نیست.' }).optional()).describe('نام اقدام، مانند quote'),
  actorRole: z.preprocess(emptyToUndefined, z.string().regex(/^[a-z-]{2,40}$/, { error: 'نقش درست نیست.' }).optional()).describe('نقش کنشگر، مانند clerk'),
  trackingCode: z.preprocess(emptyToUndefined, z.string().transform((v) => toAsciiDigits(v).trim()).pipe(z.string().regex(/^\d{12}$/, { error: 'کد رهگیری ۱۲ رقم است.' })).optional()).describe('کد رهگیری'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type AuditEventsQuery = z.infer<typeof AuditEventsQuery>;

export const AuditExportQuery = AuditEventsQuery.omit({ page: true, pageSize: true }).extend({
  format: z.enum(['csv', 'xlsx'], { error: 'قالب باید csv یا xlsx باشد.' }).default('csv'),
});
