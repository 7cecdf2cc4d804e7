// Persian SMS templates for every message the service sends: built-in text, the fields each may
// use (with a Persian title and sample data for the administrators' preview), and whether the
// applicant must act on it (a failed delivery then raises a call task). `{field}` placeholders are
// filled from the message's data; numbers read in Persian digits, links stay ASCII. Also the SMS
// length rules (GSM-7 / UCS-2 segments). Pure: no database, no HTTP.
import { toPersianDigits } from '../platform/digits.ts';

const SAMPLE_CODE = '140509120037';
const SAMPLE_LINK = `https://desk.example.ir/requests/${SAMPLE_CODE}`;

/** Every field a template may reference: its Persian title and a sample value. */
export const TEMPLATE_FIELDS = {
  code: { title: 'کد یکبارمصرف', sample: '482917' },
  name: { title: 'نام متقاضی', sample: 'زهرا احمدی' },
  billId: { title: 'شناسه قبض', sample: '4867611013122' },
  trackingCode: { title: 'کد رهگیری', sample: SAMPLE_CODE },
  promisedAt: { title: 'موعد انجام خدمت', sample: 'دوشنبه ۲۳ آذر ۱۴۰۵' },
  trackUrl: { title: 'پیوند پیگیری', sample: `https://desk.example.ir/track?code=${SAMPLE_CODE}` },
  total: { title: 'مبلغ کل', sample: '۱۲٬۵۰۰٬۰۰۰ ریال' },
  amount: { title: 'مبلغ پرداخت‌شده', sample: '۱۲٬۵۰۰٬۰۰۰ ریال' },
  payUrl: { title: 'پیوند پرداخت', sample: SAMPLE_LINK },
  url: { title: 'پیوند درخواست', sample: SAMPLE_LINK },
  date: { title: 'تاریخ', sample: 'شنبه ۲۸ آذر ۱۴۰۵، ساعت ۱۰:۰۰' },
  meterResult: { title: 'نتیجه آزمایش کنتور', sample: 'سالم' },
  financial: { title: 'شرایط مالی', sample: 'بدهی مصرفی تا شماره نهایی کنتور هنگام جمع‌آوری محاسبه و اعلام می‌شود.' },
  deadline: { title: 'مهلت', sample: 'سه‌شنبه ۱ دی ۱۴۰۵' },
  reason: { title: 'علت', sample: 'مالک انشعاب نیستید' },
  step: { title: 'مرحله', sample: 'آزمایش کنتور' },
  surveyUrl: { title: 'پیوند نظرسنجی', sample: 'https://desk.example.ir/survey/q7Kx2mPa' },
} as const satisfies Record<string, { title: string; sample: string }>;

export type TemplateField = keyof typeof TEMPLATE_FIELDS;

interface TemplateDefinition {
  title: string;
  text: string;
  fields: readonly TemplateField[];
  /** Fields an edited text may not drop (a sign-in SMS without its code is useless). */
  required?: readonly TemplateField[];
  /**
   * The applicant must act on it, in this request state: a failed delivery while the request is
   * still there raises a task to phone them, and their clock stops until they are reached.
   */
  awaits?: 'awaiting-payment' | 'awaiting-acceptance' | 'awaiting-settlement';
}

export const SMS_TEMPLATES = {
  otp: {
    title: 'کد ورود',
    // One segment (≤ 70 UCS-2 characters): the most frequent message costs the least.
    text: 'میز خدمت برق\nکد ورود شما: {code}\nتا ۲ دقیقه معتبر است؛ به کسی ندهید.',
    fields: ['code'],
    required: ['code'],
  },
  'request-registered': {
    title: 'ثبت درخواست',
    text: '{name} گرامی، درخواست جمع‌آوری موقت انشعاب (شناسه قبض {billId}) ثبت شد.\nکد رهگیری: {trackingCode}\nموعد انجام: {promisedAt}\nپیگیری: {trackUrl}',
    fields: ['name', 'billId', 'trackingCode', 'promisedAt', 'trackUrl'],
    required: ['trackingCode'],
  },
  'quote-issued': {
    title: 'اعلام هزینه',
    text: 'درخواست {trackingCode}: هزینه جمع‌آوری و بدهی مصرفی، جمعاً {total}، آماده پرداخت است.\nپرداخت: {payUrl}\nوجه پرداختی با انصراف یا رد شرایط بازگردانده نمی‌شود.',
    fields: ['trackingCode', 'total', 'payUrl'],
    awaits: 'awaiting-payment',
  },
  'payment-received': {
    title: 'دریافت پرداخت',
    text: 'درخواست {trackingCode}: پرداخت {amount} دریافت شد. مرحله بعد آزمایش کنتور است.\nموعد انجام خدمت: {promisedAt}',
    fields: ['trackingCode', 'amount', 'promisedAt'],
  },
  'meter-test-scheduled': {
    title: 'زمان آزمایش کنتور',
    text: 'درخواست {trackingCode}: کارشناس آزمایش کنتور {date} به محل مراجعه می‌کند؛ لطفاً دسترسی به کنتور را فراهم کنید.',
    fields: ['trackingCode', 'date'],
  },
  'conditions-announced': {
    title: 'اعلام شرایط فنی و مالی',
    text: 'درخواست {trackingCode}: نتیجه آزمایش کنتور: {meterResult}. {financial}\nلطفاً شرایط را تا {deadline} بپذیرید یا رد کنید: {url}\nدر صورت عدم پذیرش، درخواست بایگانی می‌شود.',
    fields: ['trackingCode', 'meterResult', 'financial', 'deadline', 'url'],
    awaits: 'awaiting-acceptance',
  },
  'removal-scheduled': {
    title: 'زمان جمع‌آوری',
    text: 'درخواست {trackingCode}: جمع‌آوری انشعاب برای {date} برنامه‌ریزی شد.',
    fields: ['trackingCode', 'date'],
  },
  'final-bill': {
    title: 'صورتحساب نهایی',
    text: 'درخواست {trackingCode}: انشعاب جمع‌آوری شد. صورتحساب نهایی: {total}.\nپرداخت: {payUrl}',
    fields: ['trackingCode', 'total', 'payUrl'],
    awaits: 'awaiting-settlement',
  },
  completed: {
    title: 'پایان خدمت',
    text: 'درخواست {trackingCode}: جمع‌آوری موقت انشعاب انجام شد. گواهی نتیجه: {url}',
    fields: ['trackingCode', 'url'],
  },
  archived: {
    title: 'بایگانی',
    text: 'درخواست {trackingCode} بایگانی شد ({reason}). وجوه پرداخت‌شده بازگردانده نمی‌شود.',
    fields: ['trackingCode', 'reason'],
  },
  withdrawn: {
    title: 'انصراف',
    text: 'درخواست {trackingCode} به درخواست شما لغو شد. وجوه پرداخت‌شده بازگردانده نمی‌شود.',
    fields: ['trackingCode'],
  },
  rejected: {
    title: 'رد درخواست',
    text: 'درخواست {trackingCode} پذیرفته نشد: {reason}',
    fields: ['trackingCode', 'reason'],
  },
  'payment-reminder': {
    title: 'یادآوری پرداخت',
    text: 'درخواست {trackingCode}: مهلت پرداخت هزینه‌ها تا {deadline} است؛ پس از آن درخواست بایگانی می‌شود.\nپرداخت: {payUrl}',
    fields: ['trackingCode', 'deadline', 'payUrl'],
  },
  'acceptance-reminder': {
    title: 'یادآوری پاسخ به شرایط',
    text: 'درخواست {trackingCode}: لطفاً تا {deadline} شرایط فنی و مالی را بپذیرید یا رد کنید؛ پس از آن درخواست بایگانی می‌شود.\n{url}',
    fields: ['trackingCode', 'deadline', 'url'],
  },
  'settlement-reminder': {
    title: 'یادآوری تسویه',
    text: 'درخواست {trackingCode}: مهلت پرداخت صورتحساب نهایی تا {deadline} است.\nپرداخت: {payUrl}',
    fields: ['trackingCode', 'deadline', 'payUrl'],
  },
  'sla-breach-apology': {
    title: 'پوزش بابت تأخیر',
    text: 'درخواست {trackingCode}: مرحله «{step}» از زمان تعهدشده گذشت. پوزش می‌خواهیم؛ موعد تازه انجام خدمت: {promisedAt}.',
    fields: ['trackingCode', 'step', 'promisedAt'],
  },
  'survey-invitation': {
    title: 'دعوت به نظرسنجی',
    text: 'درخواست {trackingCode} به پایان رسید. نظر شما به بهتر شدن خدمت کمک می‌کند؛ لطفاً در نظرسنجی کوتاه ما شرکت کنید: {surveyUrl}',
    fields: ['trackingCode', 'surveyUrl'],
  },
} as const satisfies Record<string, TemplateDefinition>;

export type SmsTemplateName = keyof typeof SMS_TEMPLATES;

export const TEMPLATE_NAMES = Object.keys(SMS_TEMPLATES) as SmsTemplateName[];

/** The definition of one template, widened for generic code. */
export function templateDefinition(name: SmsTemplateName): TemplateDefinition {
  return SMS_TEMPLATES[name];
}

/** Whether `name` is one of the templates. */
export function isTemplateName(name: string): name is SmsTemplateName {
  return Object.hasOwn(SMS_TEMPLATES, name);
}

/** The fields a text references, in order of first use. */
export function fieldsOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))];
}

/** Sample data of a template, for previews and the segment report. */
export function sampleOf(name: SmsTemplateName): Record<string, string> {
  return Object.fromEntries(templateDefinition(name).fields.map((f) => [f, TEMPLATE_FIELDS[f].sample]));
}

/** Fills a template; throws when a placeholder has no value (a bug, not a user error). */
export function renderTemplate(text: string, data: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, field: string) => {
    const value = data[field];
    if (value === undefined) throw new Error(`template field {${field}} has no value`);
    // Links stay ASCII so phones can open them; everything else reads in Persian digits.
    return typeof value === 'string' && /^https?:\/\//.test(value) ? value : toPersianDigits(value);
  });
}

/** What is wrong with an edited text, in Persian, or null when it may be saved. */
export function templateTextProblem(name: SmsTemplateName, text: string): { messageFa: string; field?: string } | null {
  const def = templateDefinition(name);
  if (text.trim().length === 0) return { messageFa: 'متن الگو نمی‌تواند خالی باشد.' };
  const allowed = def.fields.map((f) => `{${f}}`).join('، ');
  for (const field of fieldsOf(text)) {
    if (!(def.fields as readonly string[]).includes(field)) {
      return { field, messageFa: `فیلد «{${field}}» در الگوی «${def.title}» شناخته‌شده نیست. فیلدهای مجاز: ${allowed}` };
    }
  }
  for (const field of def.required ?? []) {
    if (!text.includes(`{${field}}`)) return { field, messageFa: `الگوی «${def.title}» باید فیلد «{${field}}» (${TEMPLATE_FIELDS[field].title}) را داشته باشد.` };
  }
  const length = smsLength(renderTemplate(text, sampleOf(name)));
  if (length.segments > MAX_SEGMENTS) {
    return { messageFa: `متن الگو با داده نمونه ${toPersianDigits(length.segments)} بخش پیامک می‌شود؛ بیش از ${toPersianDigits(MAX_SEGMENTS)} بخش پذیرفته نیست.` };
  }
  return null;
}

/** Longest edited template accepted, in SMS segments (Kavenegar accepts up to 900 characters). */
export const MAX_SEGMENTS = 6;

// GSM 03.38: the basic set costs one septet a character, the extension table two.
const GSM_BASIC = new Set([...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà']);
const GSM_EXTENDED = new Set([...'^{}\\[~]|€\f']);

export interface SmsLength {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  characters: number;
  segments: number;
}

/**
 * How long an SMS is: GSM-7 when every character is in the GSM alphabet (160 in one segment, 153
 * per segment when concatenated), otherwise UCS-2 — every Persian text — (70 in one, 67 per segment).
 */
export function smsLength(text: string): SmsLength {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) septets += 1;
    else if (GSM_EXTENDED.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', characters: septets, segments: septets === 0 ? 0 : septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = text.length; // UTF-16 code units: a character outside the BMP takes two
  return { encoding: 'UCS-2', characters: units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
