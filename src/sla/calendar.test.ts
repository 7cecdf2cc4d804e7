// Working-calendar arithmetic. Default calendar: Saturday–Wednesday, 07:00–14:00 Tehran
// (UTC+03:30, so 07:00 = 03:30Z and 14:00 = 10:30Z), one working day = 420 minutes, with the
// official holidays of 1405. Every expected value is worked out by hand in its comment.
import { describe, expect, it } from 'vitest';
import { addWorkingMinutes, makeCalendar, timeline, workingMinutesBetween } from './calendar.ts';
import { holidayMap, officialHolidays } from './holidays.ts';

const official = makeCalendar({ holidays: holidayMap(officialHolidays()) });
const at = (iso: string) => new Date(iso);

describe('addWorkingMinutes', () => {
  it.each([
    {
      name: 'Wednesday 13:00, one working day (Thursday and Friday off)',
      // Wed 2026-12-09 13:00 local (09:30Z): 60 min until 14:00; Thu 10, Fri 11 off;
      // Sat 12-12 from 07:00 the remaining 360 min → 13:00 local = 09:30Z.
      from: '2026-12-09T09:30:00Z', minutes: 420, due: '2026-12-12T09:30:00Z',
    },
    {
      name: 'holiday eve: Tuesday 10:00 before the Birth of Imam Ali (Wed 1405-10-02), three working days',
      // Tue 12-22 10:00–14:00 = 240; Wed 12-23 holiday; Thu, Fri off; Sat 12-26 +420 = 660;
      // Sun 12-27 +420 = 1080; Mon 12-28 07:00 + 180 → 10:00 local = 06:30Z.
      from: '2026-12-22T06:30:00Z', minutes: 1260, due: '2026-12-28T06:30:00Z',
    },
    {
      name: 'spanning Nowruz 1406: Wednesday 1405-12-26 12:00, three working days',
      // Wed 2027-03-17 12:00–14:00 = 120; Thu 18, Fri 19 off; Sat 20 (1405-12-29 Oil Day) holiday;
      // Sun 21–Wed 24 Nowruz; Thu 25, Fri 26 off; Sat 27 +420 = 540; Sun 28 +420 = 960;
      // Mon 29 07:00 + 300 → 12:00 local = 08:30Z.
      from: '2027-03-17T08:30:00Z', minutes: 1260, due: '2027-03-29T08:30:00Z',
    },
    {
      name: 'submitted outside working hours (Friday 22:00): the clock starts Saturday 07:00',
      // Fri 2026-12-04 22:00 local (18:30Z) → Sat 12-05 07:00 + 420 → 14:00 local = 10:30Z.
      from: '2026-12-04T18:30:00Z', minutes: 420, due: '2026-12-05T10:30:00Z',
    },
    {
      name: 'a budget that ends exactly at closing time ends then, not at the next opening',
      // Sat 12-05 07:00 (03:30Z) + 420 → Sat 14:00 (10:30Z), not Sun 07:00.
      from: '2026-12-05T03:30:00Z', minutes: 420, due: '2026-12-05T10:30:00Z',
    },
    {
      name: 'zero minutes is now, even after hours',
      from: '2026-12-04T18:30:00Z', minutes: 0, due: '2026-12-04T18:30:00Z',
    },
  ])('$name', ({ from, minutes, due }) => {
    expect(addWorkingMinutes(official, at(from), minutes).toISOString()).toBe(new Date(due).toISOString());
  });
});

describe('workingMinutesBetween', () => {
  it.each([
    // Sat 07:00 → Sat 14:00 = 420.
    { from: '2026-12-05T03:30:00Z', to: '2026-12-05T10:30:00Z', minutes: 420 },
    // Fri 22:00 → Sat 06:00: nothing is working time.
    { from: '2026-12-04T18:30:00Z', to: '2026-12-05T02:30:00Z', minutes: 0 },
    // Wed 13:00 → Sat 08:00: 60 (Wed) + 60 (Sat 07–08) = 120.
    { from: '2026-12-09T09:30:00Z', to: '2026-12-12T04:30:00Z', minutes: 120 },
    // Tue 12-22 10:00 → Sat 12-26 10:00: 240 + 0 (holiday) + 0 + 0 + 180 = 420.
    { from: '2026-12-22T06:30:00Z', to: '2026-12-26T06:30:00Z', minutes: 420 },
    // Reversed interval: 0.
    { from: '2026-12-05T10:30:00Z', to: '2026-12-05T03:30:00Z', minutes: 0 },
  ])('$from → $to = $minutes', ({ from, to, minutes }) => {
    expect(workingMinutesBetween(official, at(from), at(to))).toBe(minutes);
  });

  it('a holiday added while a step is open moves its due date and its elapsed time', () => {
    // Removal step from Sat 2026-12-12 07:00 (03:30Z), 3 working days: Sat, Sun, Mon full → Mon 12-14 14:00 (10:30Z).
    const start = at('2026-12-12T03:30:00Z');
    expect(addWorkingMinutes(official, start, 1260).toISOString()).toBe('2026-12-14T10:30:00.000Z');
    expect(workingMinutesBetween(official, start, at('2026-12-14T10:30:00Z'))).toBe(1260);
    // An ad-hoc holiday on Sun 12-13: Sat, Mon, Tue → Tue 12-15 14:00 (10:30Z); by Mon 14:00 only 840 have passed.
    const withHoliday = makeCalendar({ holidays: new Map([...official.holidays, ['2026-12-13', 'تعطیل اضطراری']]) });
    expect(addWorkingMinutes(withHoliday, start, 1260).toISOString()).toBe('2026-12-15T10:30:00.000Z');
    expect(workingMinutesBetween(withHoliday, start, at('2026-12-14T10:30:00Z'))).toBe(840);
  });

  it('an ad-hoc closure of part of a day is not working time', () => {
    // Sat 12-05 closed 09:00–11:00 local (05:30Z–07:30Z): Sat 07:00–14:00 has 420 − 120 = 300.
    const closed = makeCalendar({ holidays: official.holidays, closures: [{ from: at('2026-12-05T05:30:00Z'), to: at('2026-12-05T07:30:00Z'), title: 'قطع سامانه' }] });
    expect(workingMinutesBetween(closed, at('2026-12-05T03:30:00Z'), at('2026-12-05T10:30:00Z'))).toBe(300);
    // 420 minutes from Sat 07:00: 120 before the closure, 180 after it (11:00–14:00), then Sun 07:00 + 120 → 09:00 (05:30Z).
    expect(addWorkingMinutes(closed, at('2026-12-05T03:30:00Z'), 420).toISOString()).toBe('2026-12-06T05:30:00.000Z');
  });

  it('a configurable working week (Saturday to Thursday noon is not the default, but allowed)', () => {
    const sixDays = makeCalendar({ workingWeekdays: [6, 0, 1, 2, 3, 4] });
    // Wed 12-09 13:00 + 420: 60 on Wed, Thu 12-10 07:00 + 360 → 13:00 (09:30Z).
    expect(addWorkingMinutes(sixDays, at('2026-12-09T09:30:00Z'), 420).toISOString()).toBe('2026-12-10T09:30:00.000Z');
  });
});

describe('timeline', () => {
  it('tells when the clock ran and why it paused', () => {
    // Wed 12-09 13:00 → Sat 12-12 08:00: runs 13:00–14:00 Wed, pauses until Sat 07:00 (Thursday is a day off), runs 07:00–08:00.
    const parts = timeline(official, at('2026-12-09T09:30:00Z'), at('2026-12-12T04:30:00Z'));
    expect(parts.map((p) => [p.from.toISOString(), p.to.toISOString(), p.running])).toEqual([
      ['2026-12-09T09:30:00.000Z', '2026-12-09T10:30:00.000Z', true],
      ['2026-12-09T10:30:00.000Z', '2026-12-12T03:30:00.000Z', false],
      ['2026-12-12T03:30:00.000Z', '2026-12-12T04:30:00.000Z', true],
    ]);
    expect(parts[1]!.reason).toBe('روز غیرکاری');
    // Across the holiday of 12-23 the reason names it.
    const holiday = timeline(official, at('2026-12-22T06:30:00Z'), at('2026-12-26T06:30:00Z'));
    expect(holiday.find((p) => !p.running && p.to.getTime() - p.from.getTime() > 86_400_000)?.reason).toContain('تعطیل رسمی');
  });
});
