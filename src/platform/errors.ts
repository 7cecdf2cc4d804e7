// The closed set of error codes the API answers with: one code → one HTTP status and one Persian
// message. Codes are stable English (integrators switch on them); messages are for people.

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'اطلاعات ارسال‌شده کامل یا درست نیست.' },
  INVALID_NATIONAL_CODE: { status: 400, message: 'کد ملی واردشده معتبر نیست.' },
  INVALID_NATIONAL_ID: { status: 400, message: 'شناسه ملی واردشده معتبر نیست.' },
  INVALID_MOBILE: { status: 400, message: 'شماره همراه باید یک شماره همراه ایرانی باشد (مانند ۰۹۱۲۱۲۳۴۵۶۷).' },
  INVALID_BILL_ID: { status: 400, message: 'شناسه قبض واردشده معتبر نیست.' },
  INVALID_TRACKING_CODE: { status: 400, message: 'کد رهگیری واردشده معتبر نیست.' },
  UNKNOWN_BILL_ID: { status: 400, message: 'انشعابی با این شناسه قبض در سامانه مشترکین یافت نشد.' },
  NOT_OWNER: { status: 400, message: 'متقاضی مالک این انشعاب نیست؛ در صورت داشتن وکالت‌نامه، درخواست را به عنوان وکیل ثبت کنید.' },
  POWER_OF_ATTORNEY_REQUIRED: { status: 400, message: 'برای ثبت درخواست به عنوان وکیل، مشخصات وکالت‌نامه لازم است.' },
  CONSENT_MISSING: { status: 400, message: 'این انشعاب مشترک است و رضایت همه بهره‌برداران آن لازم است.' },
  CHANNEL_NOT_ALLOWED: { status: 400, message: 'این درگاه برای نقش شما مجاز نیست.' },
  MOBILE_MISMATCH: { status: 400, message: 'شماره همراه متقاضی باید همان شماره‌ای باشد که با آن وارد شده‌اید.' },
  UNKNOWN_ACTION: { status: 400, message: 'این اقدام شناخته‌شده نیست.' },
  UNKNOWN_SERVICE: { status: 404, message: 'این خدمت ارائه نمی‌شود.' },
  AMOUNT_DUE_NOT_FOUND: { status: 404, message: 'مبلغ قابل پرداختی با این شناسه برای این درخواست یافت نشد.' },
  ALREADY_PAID: { status: 409, message: 'این مبلغ پیش‌تر پرداخت شده است.' },
  PAYMENT_NOT_EXPECTED: { status: 409, message: 'در مرحله فعلی درخواست، پرداختی انتظار نمی‌رود.' },
  UNAUTHENTICATED: { status: 401, message: 'برای این کار ابتدا وارد سامانه شوید.' },
  INVALID_CREDENTIALS: { status: 401, message: 'نام کاربری یا گذرواژه درست نیست.' },
  INVALID_OTP: { status: 401, message: 'کد یکبارمصرف درست نیست یا منقضی شده است.' },
  FORBIDDEN: { status: 403, message: 'شما اجازه این کار را ندارید.' },
  NOT_FOUND: { status: 404, message: 'موردی یافت نشد.' },
  INVALID_TRANSITION: { status: 409, message: 'این اقدام در وضعیت فعلی درخواست امکان‌پذیر نیست.' },
  CONCURRENT_UPDATE: { status: 409, message: 'این درخواست هم‌زمان به دست کاربر دیگری تغییر کرد؛ صفحه را تازه کنید و دوباره تلاش کنید.' },
  REASON_REQUIRED: { status: 400, message: 'برای این اقدام، نوشتن علت لازم است.' },
  PRECONDITION_FAILED: { status: 409, message: 'پیش‌نیاز این اقدام فراهم نیست.' },
  OPEN_REQUEST_EXISTS: { status: 409, message: 'برای این انشعاب یک درخواست باز وجود دارد؛ تا پایان آن، درخواست تازه ثبت نمی‌شود.' },
  CONNECTION_ALREADY_REMOVED: { status: 409, message: 'این انشعاب پیش‌تر جمع‌آوری شده است.' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: 'این کلید یکتایی پیش‌تر برای درخواست دیگری به کار رفته است.' },
  SURVEY_ALREADY_ANSWERED: { status: 409, message: 'این نظرسنجی پیش‌تر پاسخ داده شده است؛ از همراهی شما سپاسگزاریم.' },
  SURVEY_EXPIRED: { status: 410, message: 'مهلت پاسخ به این نظرسنجی به پایان رسیده است.' },
  USERNAME_TAKEN: { status: 409, message: 'این نام کاربری پیش‌تر ثبت شده است.' },
  UNKNOWN_TEMPLATE_FIELD: { status: 400, message: 'متن الگو فیلدی دارد که این الگو ندارد.' },
  TOO_MANY_REQUESTS: { status: 429, message: 'تعداد تلاش‌ها بیش از حد مجاز است؛ کمی بعد دوباره تلاش کنید.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'حجم اطلاعات ارسال‌شده بیش از حد مجاز است.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'قالب اطلاعات ارسال‌شده پشتیبانی نمی‌شود؛ JSON بفرستید.' },
  INVALID_AMOUNT: { status: 400, message: 'مبلغ باید به ریال، عددی صحیح، نامنفی، مضربی از ۱۰۰۰ ریال و در حد معقول باشد.' },
  INVALID_DATE: { status: 400, message: 'تاریخ واردشده یک تاریخ شمسی درست نیست (مانند ۱۴۰۶-۰۱-۰۱).' },
  UNKNOWN_TARIFF_KIND: { status: 400, message: 'نوع ردیف تعرفه شناخته‌شده نیست.' },
  UNKNOWN_TARIFF_ROW: { status: 400, message: 'ردیف تعرفه شناخته‌شده نیست یا تکراری است.' },
  TARIFF_INCOMPLETE: { status: 400, message: 'نسخه تعرفه کامل نیست؛ همه ردیف‌های لازم برای محاسبه هزینه‌ها باید در آن باشد.' },
  TARIFF_OVERLAP: { status: 409, message: 'تاریخ اجرای نسخه تازه تعرفه باید پس از تاریخ اجرای همه نسخه‌های موجود باشد.' },
  TARIFF_IN_FORCE: { status: 409, message: 'نسخه‌ای از تعرفه که اجرا شده یا تاریخ اجرایش گذشته است تغییر نمی‌کند؛ نسخه تازه‌ای با تاریخ آینده ثبت کنید.' },
  QUOTE_EXPIRED: { status: 409, message: 'مهلت پرداخت این مبلغ گذشته است.' },
  DUPLICATE_PAYMENT_REFERENCE: { status: 409, message: 'پرداختی با همین شماره مرجع پیش‌تر ثبت شده است.' },
  UPSTREAM_UNAVAILABLE: { status: 503, message: 'سامانه‌ای که این کار به آن نیاز دارد اکنون پاسخ نمی‌دهد؛ کمی بعد دوباره تلاش کنید.' },
  INTERNAL: { status: 500, message: 'خطایی پیش‌بینی‌نشده رخ داد؛ لطفاً دوباره تلاش کنید.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** The only error the domains throw on purpose; the central handler turns it into the API's error shape. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? ERRORS[code].message);
    this.status = ERRORS[code].status;
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export function errorBody(code: ErrorCode, message?: string, details?: Record<string, unknown>): ErrorBody {
  return { error: { code, message: message ?? ERRORS[code].message, ...(details ? { details } : {}) } };
}
