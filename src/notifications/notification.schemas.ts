// Schemas of the notification endpoints (shared with clients): SMS templates, messages with
// their delivery status, staff tasks.
import { z } from 'zod';

const Iso = z.string().describe('ISO 8601 UTC');

export const SmsTemplateView = z.object({
  name: z.string(),
  title: z.string().describe('عنوان فارسی الگو'),
  text: z.string().describe('متن در حال اجرا (ویرایش مدیر یا متن پیش‌فرض)'),
  builtInText: z.string(),
  fields: z.array(z.string()).describe('فیلدهایی که متن می‌تواند به کار ببرد، به شکل {field}'),
  fieldTitles: z.record(z.string(), z.string()),
  sample: z.record(z.string(), z.string()).describe('داده نمونه برای پیش‌نمایش'),
  rendered: z.string().describe('متن با داده نمونه'),
  segments: z.number().int().describe('تعداد بخش‌های پیامک (فارسی: UCS-2، ۷۰ نویسه در یک بخش، ۶۷ در هر بخش پیوسته)'),
  characters: z.number().int(),
  encoding: z.enum(['GSM-7', 'UCS-2']),
  mustAct: z.boolean().describe('متقاضی باید بر اساس آن اقدام کند؛ نرسیدنش کار تماس تلفنی می‌سازد'),
  custom: z.boolean().describe('متن را مدیر ویرایش کرده است'),
  version: z.number().int(),
  updatedBy: z.string().nullable(),
  updatedAt: Iso.nullable(),
});
export const SmsTemplateList = z.object({ templates: z.array(SmsTemplateView) });
export const TemplateParams = z.object({ name: z.string().min(1).max(60) });
export const PutTemplateBody = z.object({ text: z.string().max(1000).describe('متن تازه الگو با فیلدهای {field}') });
export const PreviewTemplateBody = z.object({ text: z.string().max(1000).optional().describe('متن پیشنهادی؛ بدون آن متن در حال اجرا') });
export const TemplatePreview = z.object({ rendered: z.string(), segments: z.number().int(), characters: z.number().int(), encoding: z.enum(['GSM-7', 'UCS-2']) });
export const TemplateVersions = z.object({
  versions: z.array(z.object({ version: z.number().int(), text: z.string().nullable().describe('null: بازگشت به متن پیش‌فرض'), updatedBy: z.string(), updatedAt: Iso })),
});

export const SmsStatus = z.enum(['queued', 'sent', 'delivered', 'failed']);
export const MessageView = z.object({
  id: z.string().describe('شناسه پیام (کلید یکتایی نزد سامانه پیامک، localid)'),
  requestId: z.string().nullable(),
  trackingCode: z.string().nullable(),
  to: z.string(),
  template: z.string(),
  title: z.string(),
  text: z.string().nullable().describe('متن پیامک؛ برای کد یکبارمصرف هرگز نمایش داده نمی‌شود'),
  mustAct: z.boolean(),
  status: SmsStatus,
  statusTitle: z.string(),
  createdAt: Iso,
  sentAt: Iso.nullable(),
  deliveredAt: Iso.nullable(),
  failedAt: Iso.nullable(),
  statusCheckedAt: Iso.nullable(),
  failureReason: z.string().nullable(),
  failureReasonFa: z.string().nullable(),
  retryOf: z.string().nullable(),
  retriedAt: Iso.nullable(),
  retriedBy: z.string().nullable(),
});
export const MessageList = z.object({ messages: z.array(MessageView) });
export const MessagesQuery = z.object({ status: SmsStatus.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
export const MessageParams = z.object({ id: z.uuid() });

export const TaskView = z.object({
  id: z.string(),
  kind: z.literal('call-applicant'),
  role: z.string(),
  trackingCode: z.string(),
  mobile: z.string(),
  smsMessageId: z.string().nullable(),
  reason: z.string(),
  status: z.enum(['open', 'done']),
  attempts: z.number().int(),
  outcome: z.enum(['reached', 'unreachable']).nullable(),
  note: z.string().nullable(),
  createdAt: Iso,
  updatedAt: Iso,
  resolvedAt: Iso.nullable(),
  resolvedBy: z.string().nullable(),
});
export const TaskList = z.object({ tasks: z.array(TaskView) });
export const TasksQuery = z.object({ status: z.enum(['open', 'done']).optional() });
export const TaskParams = z.object({ id: z.uuid() });
export const ResolveTaskBody = z.object({
  outcome: z.enum(['reached', 'unreachable']).describe('reached: با متقاضی صحبت شد؛ unreachable: پاسخ نداد (کار باز می‌ماند)'),
  note: z.string().trim().max(500).optional(),
});
