// Digit conversion and money formatting for Persian-language display. Pure functions, no I/O.

const PERSIAN_ZERO = 0x06f0; // ۰
const ARABIC_INDIC_ZERO = 0x0660; // ٠
const ASCII_ZERO = 0x30;

/** Persian thousands separator (ARABIC THOUSANDS SEPARATOR, U+066C). */
export const THOUSANDS_SEPARATOR = '\u066C';
/** Minus sign used for negative amounts (U+2212). */
export const MINUS_SIGN = '\u2212';

/** Replaces Persian (۰-۹) and Arabic-Indic (٠-٩) digits with ASCII 0-9; every other character is unchanged. */
export function toAsciiDigits(s: string): string {
  return s.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (ch) => {
    const code = ch.charCodeAt(0);
    const base = code >= PERSIAN_ZERO ? PERSIAN_ZERO : ARABIC_INDIC_ZERO;
    return String.fromCharCode(ASCII_ZERO + code - base);
  });
}

/** Replaces ASCII and Arabic-Indic digits with Persian digits (۰-۹); numbers are first rendered with String(n). */
export function toPersianDigits(s: string | number): string {
  return String(s).replace(/[0-9\u0660-\u0669]/g, (ch) => {
    const code = ch.charCodeAt(0);
    const base = code >= ARABIC_INDIC_ZERO ? ARABIC_INDIC_ZERO : ASCII_ZERO;
    return String.fromCharCode(PERSIAN_ZERO + code - base);
  });
}

function assertSafeInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`${what} must be a safe integer, got ${String(n)}`);
  }
}

/** Groups the decimal digits of a non-negative integer string in threes with '٬'. */
function groupThrees(digits: string): string {
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) {
    groups.unshift(digits.slice(Math.max(0, end - 3), end));
  }
  return groups.join(THOUSANDS_SEPARATOR);
}

/** Formats a safe integer with Persian digits grouped by '٬' and a leading '−' if negative; throws RangeError otherwise. */
export function formatPersianInteger(n: number): string {
  assertSafeInteger(n, 'amount');
  // BigInt gives exact decimal digits for every safe integer (no exponent notation, no rounding).
  const big = BigInt(n);
  const negative = big < 0n;
  const digits = (negative ? -big : big).toString();
  return (negative ? MINUS_SIGN : '') + toPersianDigits(groupThrees(digits));
}

/** Formats an integer amount of rials, e.g. 1234500 → "۱٬۲۳۴٬۵۰۰ ریال"; throws RangeError for non-safe-integers. */
export function formatRials(n: number): string {
  return `${formatPersianInteger(n)} ریال`;
}

/** Formats rials as tomans (rials/10) + " تومان" when exactly divisible by 10, otherwise falls back to formatRials. */
export function formatTomans(rials: number): string {
  assertSafeInteger(rials, 'rials');
  if (rials % 10 !== 0) return formatRials(rials);
  return `${formatPersianInteger(rials / 10)} تومان`;
}
