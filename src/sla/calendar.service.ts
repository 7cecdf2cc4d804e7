// The working calendar as administrators keep it: working days and hours (settings), holidays
// (seeded with the official ones, corrected by hand), ad-hoc closures. Cached for a short while;
// a change here makes every open request check its SLA again.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database/schema.ts';
import { AppError } from '../platform/errors.ts';
import { gregorianToJalali, parseJalaliDate } from '../platform/jalali.ts';
import { makeCalendar, type WorkingCalendar } from './calendar.ts';
import { holidayMap, officialHolidays } from './holidays.ts';
import { slaRepository as repo } from './sla.repository.ts';

const CACHE_MS = 30_000;
const SETTINGS_KEY = 'working-calendar';

export const WorkingHours = z
  .object({
    workingWeekdays: z.array(z.number().int().min(0).max(6)).min(1).max(7).describe('روزهای کاری (۰ یکشنبه … ۶ شنبه)'),
    dayStart: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).describe('آغاز ساعت کاری، مانند 07:00'),
    dayEnd: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).describe('پایان ساعت کاری، مانند 14:00'),
  })
  .refine((v) => v.dayStart < v.dayEnd, { message: 'پایان ساعت کاری باید پس از آغاز آن باشد.', path: ['dayEnd'] });
export type WorkingHours = z.infer<typeof WorkingHours>;

export const DEFAULT_HOURS: WorkingHours = { workingWeekdays: [6, 0, 1, 2, 3], dayStart: '07:00', dayEnd: '14:00' };
const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export type CalendarService = ReturnType<typeof createCalendarService>;

export function createCalendarService(deps: { db: Kysely<Database>; clock: Clock; openStates: readonly string[] }) {
  const { db, clock } = deps;
  let cached: { at: number; calendar: WorkingCalendar } | null = null;
  const listeners: Array<() => void> = [];

  /** Every open request's SLA is computed again: due dates, statuses and next checks move with the calendar. */
  async function changed() {
    cached = null;
    for (const listener of listeners) listener();
  }

  async function hours(executor: Kysely<Database> | Transaction<Database> = db): Promise<WorkingHours> {
    const row = await repo.getSetting(executor, SETTINGS_KEY);
    return row ? WorkingHours.parse(row.value) : DEFAULT_HOURS;
  }

  return {
    /** Registers what runs after the calendar changed (the SLA recompute of open requests). */
    onChange(listener: () => void) {
      listeners.push(listener);
    },

    /** The calendar in force (cached for 30 s so several instances converge quickly). */
    async current(executor: Kysely<Database> | Transaction<Database> = db): Promise<WorkingCalendar> {
      if (cached && Date.now() - cached.at < CACHE_MS) return cached.calendar;
      const [h, holidays, closures] = await Promise.all([hours(executor), repo.listHolidays(executor), repo.listClosures(executor)]);
      const calendar = makeCalendar({
        workingWeekdays: h.workingWeekdays,
        dayStartMinute: toMinutes(h.dayStart),
        dayEndMinute: toMinutes(h.dayEnd),
        holidays: holidayMap(holidays.map((x) => ({ gregorian: x.date, title_fa: x.title }))),
        closures: closures.map((c) => ({ from: c.startsAt, to: c.endsAt, title: c.title })),
      });
      cached = { at: Date.now(), calendar };
      return calendar;
    },

    /** Seeds the official holidays of 1405 once. */
    async seedOfficialHolidays() {
      const { count } = await repo.countOfficialHolidays(db);
      if (count > 0) return 0;
      const now = clock.now();
      const rows = officialHolidays().map((h) => ({
        id: randomUUID(), date: h.gregorian, jalali: h.jalali, title: h.title_fa, kind: h.kind, source: 'official' as const, createdBy: 'seed', createdAt: now,
      }));
      const inserted = await repo.insertHolidays(db, rows);
      cached = null;
      return inserted.length;
    },

    async listHolidays(jalaliYear?: number) {
      const range = jalaliYear ? { from: parseJalaliDate(`${jalaliYear}-01-01`)!.gregorian, to: parseJalaliDate(`${jalaliYear + 1}-01-01`)!.gregorian } : undefined;
      return (await repo.listHolidays(db, range)).map((h) => ({ id: h.id, date: h.jalali, gregorian: h.date, title: h.title, kind: h.kind, source: h.source }));
    },

    /** Adds a holiday by its Jalali date; open requests are recomputed. */
    async addHoliday(input: { date: string; title: string; kind?: 'solar' | 'lunar' | 'ad-hoc' }, actor: string) {
      const parsed = parseJalaliDate(input.date);
      if (!parsed) throw new AppError('VALIDATION_FAILED', 'تاریخ تعطیل باید یک تاریخ شمسی درست باشد، مانند ۱۴۰۵-۰۹-۱۵.', { field: 'date' });
      const jalali = `${parsed.jy}-${String(parsed.jm).padStart(2, '0')}-${String(parsed.jd).padStart(2, '0')}`;
      const [row] = await repo.insertHolidays(db, [{ id: randomUUID(), date: parsed.gregorian, jalali, title: input.title, kind: input.kind ?? 'ad-hoc', source: 'admin', createdBy: actor, createdAt: clock.now() }]);
      if (!row) throw new AppError('VALIDATION_FAILED', 'این تعطیل با همین عنوان پیش‌تر ثبت شده است.', { field: 'date' });
      await changed();
      return { id: row.id, date: row.jalali, gregorian: row.date, title: row.title, kind: row.kind, source: row.source };
    },

    async deleteHoliday(id: string) {
      const row = await repo.deleteHoliday(db, id);
      if (!row) throw new AppError('NOT_FOUND', 'این تعطیل یافت نشد.');
      await changed();
    },

    async listClosures() {
      return (await repo.listClosures(db)).map((c) => ({ id: c.id, startsAt: c.startsAt.toISOString(), endsAt: c.endsAt.toISOString(), title: c.title, date: gregorianToJalali(c.startsAt.toISOString().slice(0, 10)) }));
    },

    async addClosure(input: { startsAt: Date; endsAt: Date; title: string }, actor: string) {
      if (input.endsAt <= input.startsAt) throw new AppError('VALIDATION_FAILED', 'پایان تعطیلی باید پس از آغاز آن باشد.', { field: 'endsAt' });
      const row = await repo.insertClosure(db, { id: randomUUID(), ...input, createdBy: actor, createdAt: clock.now() });
      await changed();
      return { id: row.id, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString(), title: row.title };
    },

    async deleteClosure(id: string) {
      if (!(await repo.deleteClosure(db, id))) throw new AppError('NOT_FOUND', 'این تعطیلی یافت نشد.');
      await changed();
    },

    hours: () => hours(),

    async setHours(value: WorkingHours, actor: string) {
      await repo.putSetting(db, { key: SETTINGS_KEY, value, updatedBy: actor, updatedAt: clock.now() });
      await changed();
      return value;
    },
  };
}
