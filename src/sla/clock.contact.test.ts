// The applicant's clock while contact is lost: an SMS the applicant must act on did not arrive
// (`contact-lost`) until a clerk reaches them (`contact-restored`); the applicant's deadline moves
// by the time in between. Default agreement: payment within 30 calendar days, reminders 7 and 2
// days before. Times in UTC; the payment step starts at the quote, Sat 2026-12-05 06:30Z.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TARGETS } from './agreement.ts';
import { makeCalendar } from './calendar.ts';
import { computeSla, contactPausesOf, explainStep, type SlaEvent } from './clock.ts';
import { holidayMap, officialHolidays } from './holidays.ts';

const calendar = makeCalendar({ holidays: holidayMap(officialHolidays()) });
const ev = (action: string, fromState: string | null, toState: string, iso: string): SlaEvent => ({ action, fromState, toState, at: new Date(iso) });
const iso = (d: Date | null) => d?.toISOString() ?? null;

const submitted = ev('submit', null, 'submitted', '2026-12-05T05:30:00Z');
const quoted = ev('quote', 'submitted', 'awaiting-payment', '2026-12-05T06:30:00Z');
const lost = ev('contact-lost', 'awaiting-payment', 'awaiting-payment', '2026-12-06T06:30:00Z'); // one day into the step
const restored = ev('contact-restored', 'awaiting-payment', 'awaiting-payment', '2026-12-09T06:30:00Z'); // three days later
const at = (events: SlaEvent[], now: string, state = 'awaiting-payment') => computeSla({ events, state, calendar, targets: DEFAULT_TARGETS, now: new Date(now) });

describe('contact lost with the applicant', () => {
  it('without any loss the deadline is 30 days after the quote', () => {
    const sla = at([submitted, quoted], '2026-12-10T06:30:00Z');
    expect(iso(sla.steps[1]!.dueAt)).toBe('2027-01-04T06:30:00.000Z');
    expect(sla.steps[1]).toMatchObject({ contactLost: false, contactPauses: [] });
  });

  it('while contact is lost the deadline moves with the clock, and nothing is scheduled', () => {
    // Two days lost so far (12-06 → 12-08): 01-04 + 2 days = 01-06.
    const sla = at([submitted, quoted, lost], '2026-12-08T06:30:00Z');
    expect(sla.steps[1]).toMatchObject({ key: 'payment', status: 'paused', contactLost: true });
    expect(iso(sla.steps[1]!.dueAt)).toBe('2027-01-06T06:30:00.000Z');
    // No reminder, no deadline check while the applicant cannot be reached.
    expect(sla.nextCheckAt).toBeNull();
    // A week later it has moved a week further: 01-04 + 9 days = 01-13.
    expect(iso(at([submitted, quoted, lost], '2026-12-15T06:30:00Z').steps[1]!.dueAt)).toBe('2027-01-13T06:30:00.000Z');
  });

  it('once the applicant is reached the deadline runs again, moved by the three lost days', () => {
    const sla = at([submitted, quoted, lost, restored], '2026-12-10T06:30:00Z');
    // 01-04 + 3 days = 01-07; the first reminder 7 days before = 12-31.
    expect(iso(sla.steps[1]!.dueAt)).toBe('2027-01-07T06:30:00.000Z');
    expect(sla.steps[1]).toMatchObject({ contactLost: false, contactPauses: [{ from: lost.at, to: restored.at, open: false }] });
    expect(iso(sla.nextCheckAt)).toBe('2026-12-31T06:30:00.000Z');
  });

  it('paying after the nominal deadline but within the moved one is met, not breached', () => {
    const paid = ev('confirm-payment', 'awaiting-payment', 'meter-test', '2027-01-06T06:30:00Z');
    const sla = at([submitted, quoted, lost, restored, paid], '2027-01-06T06:30:00Z', 'meter-test');
    expect(sla.steps[1]).toMatchObject({ key: 'payment', status: 'met', breachedAt: null });
    expect(iso(sla.steps[1]!.dueAt)).toBe('2027-01-07T06:30:00.000Z');
  });

  it('a loss never restored ends with the step: the applicant paid without being called', () => {
    // Lost 12-06 06:30Z, paid 12-20 06:30Z: 14 days paused → due 01-04 + 14 = 01-18.
    const paid = ev('confirm-payment', 'awaiting-payment', 'meter-test', '2026-12-20T06:30:00Z');
    const sla = at([submitted, quoted, lost, paid], '2026-12-21T06:30:00Z', 'meter-test');
    expect(sla.steps[1]).toMatchObject({ status: 'met', contactLost: false, contactPauses: [{ from: lost.at, to: paid.at, open: true }] });
    expect(iso(sla.steps[1]!.dueAt)).toBe('2027-01-18T06:30:00.000Z');
  });

  it('ignores a restore without a loss, a repeated loss, and events outside the step', () => {
    const stray = ev('contact-restored', 'awaiting-payment', 'awaiting-payment', '2026-12-05T07:30:00Z');
    const again = ev('contact-lost', 'awaiting-payment', 'awaiting-payment', '2026-12-07T06:30:00Z');
    const before = ev('contact-lost', 'submitted', 'submitted', '2026-12-05T06:00:00Z');
    const pauses = contactPausesOf([before, stray, lost, again, restored], quoted.at, new Date('2026-12-20T00:00:00Z'));
    expect(pauses).toEqual([{ from: lost.at, to: restored.at, open: false }]);
    // The in-state events do not cut the request into steps: still quote then payment.
    expect(at([submitted, before, quoted, stray, lost, again, restored], '2026-12-10T06:30:00Z').steps.map((s) => s.key)).toEqual(['quote', 'payment']);
  });

  it('explains the pause with its reason', () => {
    const now = new Date('2026-12-10T06:30:00Z');
    const step = at([submitted, quoted, lost, restored], now.toISOString()).steps[1]!;
    const spans = explainStep(step, calendar, now);
    expect(spans.map((s) => [iso(s.from), iso(s.to)])).toEqual([
      ['2026-12-05T06:30:00.000Z', '2026-12-06T06:30:00.000Z'],
      ['2026-12-06T06:30:00.000Z', '2026-12-09T06:30:00.000Z'],
      ['2026-12-09T06:30:00.000Z', '2026-12-10T06:30:00.000Z'],
    ]);
    expect(spans[1]!.reason).toContain('پیامکی که باید بر اساس آن اقدام کند به او نرسید');
  });
});
