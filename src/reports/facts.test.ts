import { describe, expect, it } from 'vitest';
import { DEFAULT_TARGETS } from '../sla/agreement.ts';
import { makeCalendar } from '../sla/calendar.ts';
import { computeSla } from '../sla/clock.ts';
import { stepFacts } from './facts.ts';

const e = (action: string, fromState: string | null, toState: string, at: string) => ({ action, fromState, toState, at: new Date(at) });

describe('step facts', () => {
  it('records each ended step with working minutes against its target, and the whole request once closed', () => {
    // Sat 2026-12-05 09:00 Tehran filed; quoted Mon 09:00 (840 working minutes > 420); withdrawn Mon 09:30.
    const events = [e('submit', null, 'submitted', '2026-12-05T05:30:00Z'), e('quote', 'submitted', 'awaiting-payment', '2026-12-07T05:30:00Z'), e('withdraw', 'awaiting-payment', 'withdrawn', '2026-12-07T06:00:00Z')];
    const picture = computeSla({ events, state: 'withdrawn', calendar: makeCalendar(), targets: DEFAULT_TARGETS, now: new Date('2026-12-08T00:00:00Z') });
    const facts = stepFacts(picture, { requestId: 'r', channel: 'pishkhan', officeCode: '37100123', agreementVersion: 1, createdAt: events[0]!.at, closedAt: events[2]!.at });
    expect(facts.map((f) => [f.step, f.clock, f.workingMinutes, f.calendarMinutes, f.targetMinutes, f.breached, f.unit])).toEqual([
      ['quote', 'company', 840, 2880, 420, true, 'امور مشترکین'],
      ['payment', 'applicant', 0, 30, 30 * 1440, false, null],
      ['whole', 'whole', 840, 2910, 2940, false, null],
    ]);
  });
  it('leaves an open step out, and adds no whole fact before the end', () => {
    const events = [e('submit', null, 'submitted', '2026-12-05T05:30:00Z')];
    const picture = computeSla({ events, state: 'submitted', calendar: makeCalendar(), targets: DEFAULT_TARGETS, now: new Date('2026-12-08T00:00:00Z') });
    expect(stepFacts(picture, { requestId: 'r', channel: 'web', officeCode: null, agreementVersion: 1, createdAt: events[0]!.at, closedAt: null })).toEqual([]);
  });
});
