// Report periods (pure): Jalali dates to instants (whole Tehran days), Jalali weeks (Saturday to
// Friday) and months as bucket boundaries for SQL's width_bucket, and backlog age buckets.
// Asia/Tehran has been UTC+03:30 all year since 2022, the same assumption as sla/calendar.ts.
import { jalaaliMonthLength, toGregorian, toJalaali } from 'jalaali-js';
import { toPersianDigits } from '../platform/digits.ts';
import { parseJalaliDate } from '../platform/jalali.ts';

const DAY = 86_400_000;
const TEHRAN = '+03:30';

export const JALALI_MONTHS_FA = ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند'] as const;

export interface Period {
  /** Jalali 'YYYY-MM-DD' as given. */
  from: string;
  to: string;
  /** Tehran midnight starting `from`, and Tehran midnight after `to` (exclusive). */
  start: Date;
  end: Date;
}

export interface Bucket {
  label: string;
  start: Date;
  end: Date;
}

const pad = (n: number) => String(n).padStart(2, '0');
const tehranMidnight = (gy: number, gm: number, gd: number) => new Date(`${gy}-${pad(gm)}-${pad(gd)}T00:00:00${TEHRAN}`);
const jalaliOf = (instant: Date) => {
  const local = new Date(instant.getTime() + 210 * 60_000);
  return toJalaali(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
};

/** Parses a Jalali period (inclusive days); null when a date is not a real Jalali date or `to` precedes `from`. */
export function parsePeriod(from: string, to: string): Period | null {
  const a = parseJalaliDate(from);
  const b = parseJalaliDate(to);
  if (!a || !b) return null;
  const start = new Date(`${a.gregorian}T00:00:00${TEHRAN}`);
  const end = new Date(new Date(`${b.gregorian}T00:00:00${TEHRAN}`).getTime() + DAY);
  if (end <= start) return null;
  return { from: `${a.jy}-${pad(a.jm)}-${pad(a.jd)}`, to: `${b.jy}-${pad(b.jm)}-${pad(b.jd)}`, start, end };
}

/** The current Jalali month up to today (Tehran), the dashboard's default period. */
export function defaultPeriod(now: Date): Period {
  const { jy, jm, jd } = jalaliOf(now);
  return parsePeriod(`${jy}-${pad(jm)}-01`, `${jy}-${pad(jm)}-${pad(jd)}`)!;
}

/** Jalali weeks (Saturday–Friday) covering the period; the first and last may reach outside it. */
export function weekBuckets(period: Period): Bucket[] {
  // JavaScript weekday of the Tehran day: 6 = Saturday.
  const weekday = new Date(period.start.getTime() + 210 * 60_000).getUTCDay();
  let at = period.start.getTime() - ((weekday + 1) % 7) * DAY;
  const out: Bucket[] = [];
  while (at < period.end.getTime()) {
    const { jm, jd } = jalaliOf(new Date(at));
    out.push({ label: `هفته ${toPersianDigits(jd)} ${JALALI_MONTHS_FA[jm - 1]}`, start: new Date(at), end: new Date(at + 7 * DAY) });
    at += 7 * DAY;
  }
  return out;
}

/** Jalali months covering the period. */
export function monthBuckets(period: Period): Bucket[] {
  let { jy, jm } = jalaliOf(period.start);
  const out: Bucket[] = [];
  for (;;) {
    const g = toGregorian(jy, jm, 1);
    const start = tehranMidnight(g.gy, g.gm, g.gd);
    if (start >= period.end) break;
    const end = new Date(start.getTime() + jalaaliMonthLength(jy, jm) * DAY);
    out.push({ label: `${JALALI_MONTHS_FA[jm - 1]} ${toPersianDigits(jy)}`, start, end });
    jm += 1;
    if (jm > 12) {
      jm = 1;
      jy += 1;
    }
  }
  return out;
}

/** Backlog age buckets in whole calendar days since submission: [lowest day, label]. */
export const AGE_BUCKETS = [
  { key: '0-2', minDays: 0, label: '۰ تا ۲ روز' },
  { key: '3-6', minDays: 3, label: '۳ تا ۶ روز' },
  { key: '7-13', minDays: 7, label: '۷ تا ۱۳ روز' },
  { key: '14-29', minDays: 14, label: '۱۴ تا ۲۹ روز' },
  { key: '30+', minDays: 30, label: '۳۰ روز و بیشتر' },
] as const;

/** The age bucket of a request `days` whole days old. */
export function ageBucket(days: number): (typeof AGE_BUCKETS)[number] {
  return [...AGE_BUCKETS].reverse().find((b) => days >= b.minDays) ?? AGE_BUCKETS[0];
}
