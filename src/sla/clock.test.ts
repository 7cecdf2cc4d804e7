// SLA clock math over a request's events. Default agreement: quote 420, meter test 1260,
// conditions 420, removal 1260 working minutes; whole request 2940; payment 30 days, acceptance
// 10 days. Calendar: Saturday–Wednesday 07:00–14:00 Tehran (03:30Z–10:30Z), official holidays.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TARGETS } from './agreement.ts';
import { makeCalendar } from './calendar.ts';
import { computeSla, stepsOf, type SlaEvent } from './clock.ts';
import { holidayMap, officialHolidays } from './holidays.ts';

const calendar = makeCalendar({ holidays: holidayMap(officialHolidays()) });
const ev = (action: string, fromState: string | null, toState: string, iso: string): SlaEvent => ({ action, fromState, toState, at: new Date(iso) });
const iso = (d: Date | null) => d?.toISOString() ?? null;

const submitted = ev('submit', null, 'submitted', '2026-12-05T05:30:00Z'); // Sat 09:00 local
const quoted = ev('quote', 'submitted', 'awaiting-payment', '2026-12-05T06:30:00Z'); // Sat 10:00
const paidAfter20Days = ev('confirm-payment', 'awaiting-payment', 'meter-test', '2026-12-25T06:30:00Z'); // Fri 12-25 10:00

describe('computeSla', () => {
  it('a fresh request: the quote step runs, the promise is seven working days away', () => {
    // At Sat 09:00 nothing has elapsed. Quote due Sat 09:00 + 420 → Sun 12-06 09:00 (05:30Z).
    // Promise: 2940 working minutes from Sat 09:00: Sat 12-05 300 (09–14), Sun 06 720, Mon 07 1140,
    // Tue 08 1560, Wed 09 1980, (Thu, Fri off) Sat 12 2400, Sun 13 2820, Mon 14 07:00 + 120
    // → 09:00 local = 05:30Z.
    const sla = computeSla({ events: [submitted], state: 'submitted', calendar, targets: DEFAULT_TARGETS, now: submitted.at });
    expect(sla.steps).toHaveLength(1);
    expect(sla.steps[0]).toMatchObject({ key: 'quote', status: 'on-track', elapsedWorkingMinutes: 0, targetMinutes: 420 });
    expect(iso(sla.steps[0]!.dueAt)).toBe('2026-12-06T05:30:00.000Z');
    expect(iso(sla.promisedAt)).toBe('2026-12-14T05:30:00.000Z');
    // Next check: 50 % of the quote (210 min) → Sat 12:30 local = 09:00Z.
    expect(iso(sla.nextCheckAt)).toBe('2026-12-05T09:00:00.000Z');
  });

  it.each([
    // 50 % of 420 = 210 working minutes from Sat 09:00 → Sat 12:30 (09:00Z): warning.
    { now: '2026-12-05T09:00:00Z', status: 'warning', elapsed: 210 },
    // Just before: 209 minutes → on-track.
    { now: '2026-12-05T08:59:00Z', status: 'on-track', elapsed: 209 },
    // 100 %: 300 on Sat (09–14) + 120 on Sun (07–09) → Sun 09:00 (05:30Z): breached.
    { now: '2026-12-06T05:30:00Z', status: 'breached', elapsed: 420 },
  ])('quote step at $now is $status', ({ now, status, elapsed }) => {
    const sla = computeSla({ events: [submitted], state: 'submitted', calendar, targets: DEFAULT_TARGETS, now: new Date(now) });
    expect(sla.steps[0]).toMatchObject({ status, elapsedWorkingMinutes: elapsed });
  });

  it('an applicant who takes 20 calendar days to pay: the company clock is paused throughout', () => {
    // Quote took Sat 09:00–10:00 = 60 working minutes (met). Payment waited 20 days (met: under 30).
    // During those 20 days the company's used time stays 60.
    const midway = computeSla({ events: [submitted, quoted], state: 'awaiting-payment', calendar, targets: DEFAULT_TARGETS, now: new Date('2026-12-15T06:30:00Z') });
    expect(midway.companyWorkingMinutes).toBe(60);
    expect(midway.steps[1]).toMatchObject({ key: 'payment', clock: 'applicant', status: 'paused', elapsedWorkingMinutes: 0 });
    // Payment deadline: 30 calendar days after the quote → 2027-01-04 06:30Z.
    expect(iso(midway.steps[1]!.dueAt)).toBe('2027-01-04T06:30:00.000Z');
    expect(midway.wholeStatus).toBe('paused');

    // Paid Fri 12-25 10:00 (a day off): the meter test starts counting Sat 12-26 07:00, so on
    // Sat 12-26 08:00 (04:30Z) only 60 working minutes of the meter test have passed, 120 in all.
    const after = computeSla({ events: [submitted, quoted, paidAfter20Days], state: 'meter-test', calendar, targets: DEFAULT_TARGETS, now: new Date('2026-12-26T04:30:00Z') });
    expect(after.steps.map((s) => [s.key, s.status, s.elapsedWorkingMinutes])).toEqual([
      ['quote', 'met', 60],
      ['payment', 'met', 0],
      ['meter-test', 'on-track', 60],
    ]);
    expect(after.companyWorkingMinutes).toBe(120);
    // Meter test due: 1260 from Fri 10:00 → Sat 420, Sun 840, Mon 12-28 1260 → Mon 14:00 (10:30Z).
    expect(iso(after.steps[2]!.dueAt)).toBe('2026-12-28T10:30:00.000Z');
    // Promise: 2940 − 120 = 2820 more from Sat 08:00: Sat 360, Sun 780, Mon 1200, Tue 1620,
    // (Wed 12-30) 2040, Sat 01-02 2460, Sun 01-03 2880 > 2820 → Sun 07:00 + 360 → 13:00 (09:30Z).
    expect(iso(after.promisedAt)).toBe('2027-01-03T09:30:00.000Z');
  });

  it('splits the meter-test state into the test and the announcement of the conditions', () => {
    const tested = ev('record-meter-test', 'meter-test', 'meter-test', '2026-12-26T05:30:00Z'); // Sat 09:00
    const announced = ev('announce-conditions', 'meter-test', 'awaiting-acceptance', '2026-12-26T07:30:00Z'); // Sat 11:00
    const steps = stepsOf([submitted, quoted, paidAfter20Days, tested, announced]);
    expect(steps.map((s) => [s.key, iso(s.startedAt), iso(s.endedAt)])).toEqual([
      ['quote', '2026-12-05T05:30:00.000Z', '2026-12-05T06:30:00.000Z'],
      ['payment', '2026-12-05T06:30:00.000Z', '2026-12-25T06:30:00.000Z'],
      ['meter-test', '2026-12-25T06:30:00.000Z', '2026-12-26T05:30:00.000Z'],
      ['conditions', '2026-12-26T05:30:00.000Z', '2026-12-26T07:30:00.000Z'],
      ['acceptance', '2026-12-26T07:30:00.000Z', null],
    ]);
    const sla = computeSla({ events: [submitted, quoted, paidAfter20Days, tested, announced], state: 'awaiting-acceptance', calendar, targets: DEFAULT_TARGETS, now: new Date('2026-12-27T05:30:00Z') });
    // meter test Sat 07:00–09:00 = 120 (met); conditions Sat 09:00–11:00 = 120 (met).
    expect(sla.steps.map((s) => [s.key, s.status, s.elapsedWorkingMinutes])).toEqual([
      ['quote', 'met', 60], ['payment', 'met', 0], ['meter-test', 'met', 120], ['conditions', 'met', 120], ['acceptance', 'paused', 0],
    ]);
    // Acceptance deadline 10 days → 2027-01-05 07:30Z; reminders 7 and 2 days before; next check = 7 days before = 12-29 07:30Z.
    expect(iso(sla.steps[4]!.dueAt)).toBe('2027-01-05T07:30:00.000Z');
    expect(iso(sla.nextCheckAt)).toBe('2026-12-29T07:30:00.000Z');
  });

  it('a step finished late stays breached and names its unit', () => {
    // Quote from Sat 09:00 to Mon 12-07 09:00: Sat 300 + Sun 420 + Mon 120 = 840 > 420 → breached.
    const late = ev('quote', 'submitted', 'awaiting-payment', '2026-12-07T05:30:00Z');
    const sla = computeSla({ events: [submitted, late], state: 'awaiting-payment', calendar, targets: DEFAULT_TARGETS, now: new Date('2026-12-08T05:30:00Z') });
    expect(sla.steps[0]).toMatchObject({ status: 'breached', elapsedWorkingMinutes: 840, unit: 'امور مشترکین' });
    expect(iso(sla.steps[0]!.breachedAt)).toBe('2026-12-06T05:30:00.000Z');
  });

  it('terminal requests promise nothing', () => {
    const withdrawn = ev('withdraw', 'submitted', 'withdrawn', '2026-12-05T06:00:00Z');
    const sla = computeSla({ events: [submitted, withdrawn], state: 'withdrawn', calendar, targets: DEFAULT_TARGETS, now: new Date('2026-12-06T06:00:00Z') });
    expect(sla.promisedAt).toBeNull();
    expect(sla.nextCheckAt).toBeNull();
    expect(sla.steps[0]).toMatchObject({ status: 'met', elapsedWorkingMinutes: 30 });
  });
});
