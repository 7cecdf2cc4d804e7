// The working calendar (pure): which instants are company working time. Asia/Tehran has had no
// daylight saving since 2022, so local time is UTC+03:30 all year; working days and hours,
// official holidays and ad-hoc closures come from configuration and the database.

export const TEHRAN_OFFSET_MINUTES = 210;
const MINUTE = 60_000;
const DAY = 86_400_000;

export interface Closure {
  from: Date;
  to: Date;
  title: string;
}

export interface WorkingCalendar {
  /** JavaScript weekdays that are working days (0 = Sunday … 6 = Saturday). Default: Saturday to Wednesday. */
  workingWeekdays: readonly number[];
  /** Start and end of the working day, minutes after local midnight (default 07:00–14:00). */
  dayStartMinute: number;
  dayEndMinute: number;
  /** Holidays as local dates 'YYYY-MM-DD' (Gregorian), with their titles. */
  holidays: ReadonlyMap<string, string>;
  /** Ad-hoc closures (a snowy day, a system outage), as instants. */
  closures: readonly Closure[];
  offsetMinutes?: number;
}

export const DEFAULT_WORKING_WEEKDAYS = [6, 0, 1, 2, 3] as const;

export function makeCalendar(input: Partial<Omit<WorkingCalendar, 'holidays'>> & { holidays?: ReadonlyMap<string, string> | Iterable<readonly [string, string]> } = {}): WorkingCalendar {
  return {
    workingWeekdays: input.workingWeekdays ?? DEFAULT_WORKING_WEEKDAYS,
    dayStartMinute: input.dayStartMinute ?? 7 * 60,
    dayEndMinute: input.dayEndMinute ?? 14 * 60,
    holidays: input.holidays instanceof Map ? input.holidays : new Map(input.holidays ?? []),
    closures: input.closures ?? [],
    offsetMinutes: input.offsetMinutes ?? TEHRAN_OFFSET_MINUTES,
  };
}

const offset = (cal: WorkingCalendar) => (cal.offsetMinutes ?? TEHRAN_OFFSET_MINUTES) * MINUTE;

/** Local midnight (as a UTC instant in ms) of the local day containing `t`. */
function localMidnight(cal: WorkingCalendar, t: number): number {
  const local = t + offset(cal);
  return local - (((local % DAY) + DAY) % DAY) - offset(cal);
}

/** 'YYYY-MM-DD' of the local day starting at `midnight`. */
export function localDateOf(cal: WorkingCalendar, t: number): string {
  return new Date(localMidnight(cal, t) + offset(cal)).toISOString().slice(0, 10);
}

/** Why a local day is not worked, or null when it is a working day. */
export function dayOffReason(cal: WorkingCalendar, midnight: number): string | null {
  const date = new Date(midnight + offset(cal));
  const holiday = cal.holidays.get(date.toISOString().slice(0, 10));
  if (holiday) return `تعطیل رسمی: ${holiday}`;
  if (!cal.workingWeekdays.includes(date.getUTCDay())) return 'روز غیرکاری';
  return null;
}

/** The working windows [start, end) of the local day beginning at `midnight`, closures removed. */
export function workingWindows(cal: WorkingCalendar, midnight: number): Array<[number, number]> {
  if (dayOffReason(cal, midnight)) return [];
  let windows: Array<[number, number]> = [[midnight + cal.dayStartMinute * MINUTE, midnight + cal.dayEndMinute * MINUTE]];
  for (const closure of cal.closures) {
    const cs = closure.from.getTime();
    const ce = closure.to.getTime();
    windows = windows.flatMap(([s, e]): Array<[number, number]> => {
      if (ce <= s || cs >= e) return [[s, e]];
      const parts: Array<[number, number]> = [];
      if (cs > s) parts.push([s, cs]);
      if (ce < e) parts.push([ce, e]);
      return parts;
    });
  }
  return windows;
}

const MAX_DAYS = 3_660;

/** Working minutes between two instants (0 when `to` is not after `from`). */
export function workingMinutesBetween(cal: WorkingCalendar, from: Date, to: Date): number {
  const start = from.getTime();
  const end = to.getTime();
  if (end <= start) return 0;
  let total = 0;
  for (let day = localMidnight(cal, start), n = 0; day < end && n < MAX_DAYS; day += DAY, n += 1) {
    for (const [s, e] of workingWindows(cal, day)) {
      const overlap = Math.min(e, end) - Math.max(s, start);
      if (overlap > 0) total += overlap;
    }
  }
  return total / MINUTE;
}

/**
 * The instant at which `minutes` of working time have passed since `from`. Time before the next
 * working window does not count; a budget that ends exactly at closing time ends then, not at
 * the next opening.
 */
export function addWorkingMinutes(cal: WorkingCalendar, from: Date, minutes: number): Date {
  let t = from.getTime();
  let remaining = minutes * MINUTE;
  if (remaining <= 0) return new Date(t);
  for (let day = localMidnight(cal, t), n = 0; n < MAX_DAYS; day += DAY, n += 1) {
    for (const [s, e] of workingWindows(cal, day)) {
      if (e <= t) continue;
      const begin = Math.max(s, t);
      if (e - begin >= remaining) return new Date(begin + remaining);
      remaining -= e - begin;
      t = e;
    }
  }
  throw new RangeError(`no working time within ${MAX_DAYS} days of ${from.toISOString()}`);
}

/** The runs and pauses of a clock between two instants, each pause with its reason in Persian. */
export function timeline(cal: WorkingCalendar, from: Date, to: Date): Array<{ from: Date; to: Date; running: boolean; reason: string | null }> {
  const start = from.getTime();
  const end = to.getTime();
  const out: Array<{ from: Date; to: Date; running: boolean; reason: string | null }> = [];
  let cursor = start;
  for (let day = localMidnight(cal, start), n = 0; day < end && n < MAX_DAYS; day += DAY, n += 1) {
    for (const [s, e] of workingWindows(cal, day)) {
      const a = Math.max(s, start);
      const b = Math.min(e, end);
      if (b <= a) continue;
      if (a > cursor) out.push({ from: new Date(cursor), to: new Date(a), running: false, reason: pauseReason(cal, cursor, a) });
      out.push({ from: new Date(a), to: new Date(b), running: true, reason: null });
      cursor = b;
    }
  }
  if (end > cursor) out.push({ from: new Date(cursor), to: new Date(end), running: false, reason: pauseReason(cal, cursor, end) });
  return out;
}

/** Why the clock stood still in [a, b): a holiday, then a closure, then a day off, else after hours. */
function pauseReason(cal: WorkingCalendar, a: number, b: number): string {
  const reasons: string[] = [];
  for (let day = localMidnight(cal, a), n = 0; day < b && n < MAX_DAYS; day += DAY, n += 1) {
    const off = dayOffReason(cal, day);
    if (off) reasons.push(off);
  }
  const holiday = reasons.find((r) => r.startsWith('تعطیل رسمی'));
  if (holiday) return holiday;
  const closure = cal.closures.find((c) => c.from.getTime() < b && c.to.getTime() > a);
  if (closure) return `تعطیلی موردی: ${closure.title}`;
  if (reasons.length) return reasons[0]!;
  return 'خارج از ساعت کاری';
}
