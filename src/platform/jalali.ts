// Display and parsing of dates in the Solar Hijri (Jalali) calendar, always in Asia/Tehran.
// Pure functions, no I/O. Intl (ICU) and jalaali-js agree on every day of 1300–1500 (checked).

import { isValidJalaaliDate, toGregorian, toJalaali } from 'jalaali-js';
import { toAsciiDigits } from './digits.ts';

/** IANA zone every displayed instant is converted to. */
export const TEHRAN_TIME_ZONE = 'Asia/Tehran';

const faDateFormat = new Intl.DateTimeFormat('fa-IR-u-ca-persian-nu-arabext', {
  timeZone: TEHRAN_TIME_ZONE,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

const faDateTimeFormat = new Intl.DateTimeFormat('fa-IR-u-ca-persian-nu-arabext', {
  timeZone: TEHRAN_TIME_ZONE,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

// Gregorian wall-clock date in Tehran, ASCII digits (historical DST handled by ICU's tz data).
const tehranGregorianFormat = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
  timeZone: TEHRAN_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

type Parts = Partial<Record<Intl.DateTimeFormatPartTypes, string>>;

function partsOf(format: Intl.DateTimeFormat, d: Date): Parts {
  if (Number.isNaN(d.getTime())) throw new RangeError('invalid Date');
  const out: Parts = {};
  for (const p of format.formatToParts(d)) out[p.type] = p.value;
  return out;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Formats the Tehran calendar day of `d` as "پنجشنبه ۱۲ آذر ۱۴۰۵"; throws RangeError for an invalid Date. */
export function formatJalaliDate(d: Date): string {
  const p = partsOf(faDateFormat, d);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** Formats `d` in Tehran time as "پنجشنبه ۱۲ آذر ۱۴۰۵، ساعت ۱۳:۳۰" (24-hour, two-digit hour); throws RangeError for an invalid Date. */
export function formatJalaliDateTime(d: Date): string {
  const p = partsOf(faDateTimeFormat, d);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}، ساعت ${p.hour}:${p.minute}`;
}

/** Returns the Tehran calendar day of `d` as Jalali 'YYYY-MM-DD' with ASCII digits, e.g. '1405-09-12'. */
export function toJalaliDateString(d: Date): string {
  const p = partsOf(tehranGregorianFormat, d);
  const { jy, jm, jd } = toJalaali(Number(p.year), Number(p.month), Number(p.day));
  return `${jy}-${pad2(jm)}-${pad2(jd)}`;
}

export interface ParsedJalaliDate {
  jy: number;
  jm: number;
  jd: number;
  /** Same day in the Gregorian calendar, 'YYYY-MM-DD'. */
  gregorian: string;
}

/** Parses 'YYYY-MM-DD' or 'YYYY/M/D' (any digit script, 4-digit year) into a Jalali date plus its Gregorian 'YYYY-MM-DD'; null if not a real Jalali date. */
export function parseJalaliDate(s: string): ParsedJalaliDate | null {
  const m = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/.exec(toAsciiDigits(s).trim());
  if (!m) return null;
  const jy = Number(m[1]);
  const jm = Number(m[3]);
  const jd = Number(m[4]);
  if (!isValidJalaaliDate(jy, jm, jd)) return null;
  const { gy, gm, gd } = toGregorian(jy, jm, jd);
  return { jy, jm, jd, gregorian: `${String(gy).padStart(4, '0')}-${pad2(gm)}-${pad2(gd)}` };
}

/** Converts a Gregorian 'YYYY-MM-DD' to Jalali 'YYYY-MM-DD' (ASCII digits); throws RangeError if the input is not a real Gregorian date. */
export function gregorianToJalali(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(toAsciiDigits(isoDate).trim());
  const gy = Number(m?.[1]);
  const gm = Number(m?.[2]);
  const gd = Number(m?.[3]);
  const check = new Date(Date.UTC(gy, gm - 1, gd));
  if (!m || check.getUTCFullYear() !== gy || check.getUTCMonth() !== gm - 1 || check.getUTCDate() !== gd) {
    throw new RangeError(`not a Gregorian date: "${isoDate}"`);
  }
  const { jy, jm, jd } = toJalaali(gy, gm, gd);
  return `${jy}-${pad2(jm)}-${pad2(jd)}`;
}

const tehranOffsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: TEHRAN_TIME_ZONE, timeZoneName: 'longOffset' });

/** Minutes Tehran is ahead of UTC at instant `d` (210 since 2022; 270 in the summers before). */
function tehranOffsetMinutes(d: Date): number {
  const name = tehranOffsetFormat.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+03:30';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 210;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** The instants a Tehran calendar day given in Jalali ('1405-09-14', any digit script) starts and ends at ([start, end)); null if not a real Jalali date. */
export function tehranDayBounds(jalali: string): { start: Date; end: Date; jalali: string } | null {
  const parsed = parseJalaliDate(jalali);
  if (!parsed) return null;
  const midnightAt = (gregorian: string) => {
    const [y, m, d] = gregorian.split('-').map(Number) as [number, number, number];
    const utcMidnight = Date.UTC(y, m - 1, d);
    // Twice: the offset at the first guess may differ from the offset at local midnight (a DST edge).
    let guess = utcMidnight - 210 * 60_000;
    for (let i = 0; i < 2; i++) guess = utcMidnight - tehranOffsetMinutes(new Date(guess)) * 60_000;
    return new Date(guess);
  };
  const start = midnightAt(parsed.gregorian);
  const [y, m, d] = parsed.gregorian.split('-').map(Number) as [number, number, number];
  const end = midnightAt(new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10));
  return { start, end, jalali: `${parsed.jy}-${pad2(parsed.jm)}-${pad2(parsed.jd)}` };
}
