// Display helpers: Persian digits, Jalali dates as Iranians write them, money in rials and
// tomans. The rules live in src/platform (pure modules shared with the server).
import { formatPersianInteger, formatRials, toAsciiDigits, toPersianDigits } from '../../../src/platform/digits.ts';
import { formatJalaliDate, formatJalaliDateTime, parseJalaliDate, toJalaliDateString } from '../../../src/platform/jalali.ts';

export { formatPersianInteger, formatRials, parseJalaliDate, toAsciiDigits, toJalaliDateString, toPersianDigits };

/** "پنجشنبه ۱۲ آذر ۱۴۰۵" from an ISO instant (Tehran day); "—" when missing. */
export function dateFa(iso: string | null | undefined): string {
  return iso ? formatJalaliDate(new Date(iso)) : '—';
}

/** "پنجشنبه ۱۲ آذر ۱۴۰۵، ساعت ۱۳:۳۰"; "—" when missing. */
export function dateTimeFa(iso: string | null | undefined): string {
  return iso ? formatJalaliDateTime(new Date(iso)) : '—';
}

/** Amount in tomans for a hint beside rials: "۳۴۵٬۰۰۰ تومان". */
export function tomansFa(rials: number): string {
  return `${formatPersianInteger(Math.round(rials / 10))} تومان`;
}

/** Minutes as "۲ روز و ۳ ساعت" / "۴ ساعت و ۱۰ دقیقه" / "۵ دقیقه". */
export function durationFa(minutes: number, opts: { workingDayMinutes?: number } = {}): string {
  const m = Math.max(0, Math.round(minutes));
  const dayLength = opts.workingDayMinutes ?? 1440;
  const days = Math.floor(m / dayLength);
  const hours = Math.floor((m % dayLength) / 60);
  const mins = m % 60;
  const parts: string[] = [];
  if (days) parts.push(`${toPersianDigits(days)} ${opts.workingDayMinutes ? 'روز کاری' : 'روز'}`);
  if (hours) parts.push(`${toPersianDigits(hours)} ساعت`);
  if (mins && !days) parts.push(`${toPersianDigits(mins)} دقیقه`);
  return parts.length ? parts.join(' و ') : 'کمتر از یک دقیقه';
}

/** Groups a long number for reading: tracking code "۹۴۷۵ ۶۷۷۷ ۲۴۹۱". */
export function groupedCode(code: string, size = 4): string {
  const out: string[] = [];
  for (let i = 0; i < code.length; i += size) out.push(code.slice(i, i + size));
  return toPersianDigits(out.join(' '));
}

/** Normalises typed digits (Persian, Arabic-Indic) to ASCII and trims. */
export function asciiTrim(value: unknown): string {
  return toAsciiDigits(String(value ?? '')).trim();
}
