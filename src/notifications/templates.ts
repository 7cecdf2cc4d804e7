// Persian SMS templates for every message the service sends. `{field}` placeholders are filled
// from the message's data; numbers are shown in Persian digits.
import { toPersianDigits } from '../platform/digits.ts';

export const SMS_TEMPLATES = {
  otp: {
    title: 'کد ورود',
    text: 'میز خدمت برق\nکد ورود شما: {code}\nاین کد تا ۲ دقیقه معتبر است؛ آن را به هیچ‌کس ندهید.',
  },
  'request-registered': {
    title: 'ثبت درخواست',
    text: '{name} گرامی، درخواست جمع‌آوری موقت انشعاب (شناسه قبض {billId}) ثبت شد.\nکد رهگیری: {trackingCode}\nموعد انجام: {promisedAt}\nپیگیری: {trackUrl}',
  },
  'quote-issued': {
    title: 'اعلام هزینه',
    text: 'درخواست {trackingCode}: هزینه جمع‌آوری و بدهی مصرفی، جمعاً {total}، آماده پرداخت است.\nپرداخت: {payUrl}\nپس از پرداخت، وجه در صورت انصراف بازگردانده نمی‌شود.',
  },
  'payment-received': {
    title: 'دریافت پرداخت',
    text: 'درخواست {trackingCode}: پرداخت {amount} دریافت شد. مرحله بعد آزمایش کنتور است.\nموعد انجام خدمت: {promisedAt}',
  },
  'conditions-announced': {
    title: 'اعلام شرایط فنی و مالی',
    text: 'درخواست {trackingCode}: نتیجه آزمایش کنتور: {meterResult}. {financial}\nلطفاً شرایط را تا {deadline} بپذیرید یا رد کنید: {url}\nدر صورت عدم پذیرش، درخواست بایگانی می‌شود.',
  },
  'removal-scheduled': {
    title: 'زمان جمع‌آوری',
    text: 'درخواست {trackingCode}: جمع‌آوری انشعاب برای {date} برنامه‌ریزی شد.',
  },
  'final-bill': {
    title: 'صورتحساب نهایی',
    text: 'درخواست {trackingCode}: انشعاب جمع‌آوری شد. صورتحساب نهایی: {total}.\nپرداخت: {payUrl}',
  },
  completed: {
    title: 'پایان خدمت',
    text: 'درخواست {trackingCode}: جمع‌آوری موقت انشعاب انجام شد. گواهی نتیجه: {url}',
  },
  archived: {
    title: 'بایگانی',
    text: 'درخواست {trackingCode} بایگانی شد ({reason}). وجوه پرداخت‌شده بازگردانده نمی‌شود.',
  },
  withdrawn: {
    title: 'انصراف',
    text: 'درخواست {trackingCode} به درخواست شما لغو شد. وجوه پرداخت‌شده بازگردانده نمی‌شود.',
  },
  rejected: {
    title: 'رد درخواست',
    text: 'درخواست {trackingCode} پذیرفته نشد: {reason}',
  },
  'payment-reminder': {
    title: 'یادآوری پرداخت',
    text: 'درخواست {trackingCode}: مهلت پرداخت هزینه‌ها تا {deadline} است؛ پس از آن درخواست بایگانی می‌شود.\nپرداخت: {payUrl}',
  },
  'acceptance-reminder': {
    title: 'یادآوری پاسخ به شرایط',
    text: 'درخواست {trackingCode}: لطفاً تا {deadline} شرایط فنی و مالی را بپذیرید یا رد کنید؛ پس از آن درخواست بایگانی می‌شود.\n{url}',
  },
  'settlement-reminder': {
    title: 'یادآوری تسویه',
    text: 'درخواست {trackingCode}: مهلت پرداخت صورتحساب نهایی تا {deadline} است.\nپرداخت: {payUrl}',
  },
  'sla-breach-apology': {
    title: 'پوزش بابت تأخیر',
    text: 'درخواست {trackingCode}: مرحله «{step}» از زمان تعهدشده گذشت. پوزش می‌خواهیم؛ موعد تازه انجام خدمت: {promisedAt}.',
  },
} as const satisfies Record<string, { title: string; text: string }>;

export type SmsTemplateName = keyof typeof SMS_TEMPLATES;

/** Fills a template; throws when a placeholder has no value (a bug, not a user error). */
export function renderTemplate(text: string, data: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, field: string) => {
    const value = data[field];
    if (value === undefined) throw new Error(`template field {${field}} has no value`);
    // Links stay ASCII so phones can open them; everything else reads in Persian digits.
    return typeof value === 'string' && /^https?:\/\//.test(value) ? value : toPersianDigits(value);
  });
}
