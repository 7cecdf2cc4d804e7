// SLA clock math (pure): a request's steps, due dates, elapsed working time, statuses, the promise
// to the applicant and the next instant worth checking — all a function of (events, calendar,
// agreement, now). Nothing is stored, so a calendar change or a new question ("why is this
// late?") is answered by computing again.
import { addWorkingMinutes, timeline, workingMinutesBetween, type WorkingCalendar } from './calendar.ts';
import { SLA_STEPS, type AgreementTargets, type SlaStepKey } from './agreement.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface SlaEvent {
  action: string;
  fromState: string | null;
  toState: string;
  at: Date;
}

export type StepStatus = 'on-track' | 'warning' | 'breached' | 'met' | 'paused';

export interface SlaStep {
  key: SlaStepKey;
  state: string;
  clock: 'company' | 'applicant';
  titleFa: string;
  unit: string | null;
  startedAt: Date;
  endedAt: Date | null;
  /** Company steps: working minutes; applicant steps: calendar minutes. */
  targetMinutes: number;
  dueAt: Date;
  elapsedWorkingMinutes: number;
  elapsedCalendarMinutes: number;
  status: StepStatus;
  /** When the target ran out while the step was still open (company) or the deadline passed (applicant). */
  breachedAt: Date | null;
  /** Applicant steps: spans when contact with the applicant was lost (an SMS they must act on did not arrive); their deadline moves by these. */
  contactPauses: ContactPause[];
  /** Contact is lost right now: the applicant's deadline is not running. */
  contactLost: boolean;
}

/** A span of an applicant step during which the applicant could not be reached; `to` is the restore, the step's end or now. */
export interface ContactPause {
  from: Date;
  to: Date;
  open: boolean;
}

/**
 * The spans within [from, to) during which contact with the applicant was lost: from a
 * `contact-lost` event to the next `contact-restored` (or `to`, still open). Events outside the
 * span, repeated losses and restores without a loss are ignored.
 */
export function contactPausesOf(events: readonly SlaEvent[], from: Date, to: Date): ContactPause[] {
  const out: ContactPause[] = [];
  let lostAt: Date | null = null;
  for (const event of events) {
    const at = event.at.getTime();
    if (at < from.getTime() || at >= to.getTime()) continue;
    if (event.action === 'contact-lost' && !lostAt) lostAt = event.at;
    else if (event.action === 'contact-restored' && lostAt) {
      out.push({ from: lostAt, to: event.at, open: false });
      lostAt = null;
    }
  }
  if (lostAt) out.push({ from: lostAt, to, open: true });
  return out;
}

export interface SlaPicture {
  steps: SlaStep[];
  companyWorkingMinutes: number;
  wholeTargetMinutes: number;
  wholeStatus: StepStatus;
  promisedAt: Date | null;
  /** The earliest future instant at which a threshold, reminder or deadline falls due (null: none). */
  nextCheckAt: Date | null;
}

export const WARNING_THRESHOLDS = [0.5, 0.75] as const;

const TERMINAL = new Set(['completed', 'archived', 'withdrawn', 'rejected']);

/** Cuts the event history into SLA steps (a re-entered state starts a new step). */
export function stepsOf(events: readonly SlaEvent[]): Array<{ key: SlaStepKey; startedAt: Date; endedAt: Date | null }> {
  const out: Array<{ key: SlaStepKey; startedAt: Date; endedAt: Date | null }> = [];
  const close = (at: Date) => {
    const open = out.at(-1);
    if (open && !open.endedAt) open.endedAt = at;
  };
  for (const event of events) {
    if (event.action === 'record-meter-test') {
      // The meter test ends when its result is recorded; announcing the conditions starts then.
      const open = out.at(-1);
      if (open?.key === 'meter-test' && !open.endedAt) {
        open.endedAt = event.at;
        out.push({ key: 'conditions', startedAt: event.at, endedAt: null });
      }
      continue;
    }
    if (event.fromState === event.toState) continue;
    close(event.at);
    const key = (Object.keys(SLA_STEPS) as SlaStepKey[]).find((k) => SLA_STEPS[k].state === event.toState && k !== 'conditions');
    if (key) out.push({ key, startedAt: event.at, endedAt: null });
  }
  return out;
}

function companyStatus(elapsed: number, target: number, ended: boolean): StepStatus {
  if (ended) return elapsed <= target ? 'met' : 'breached';
  if (elapsed >= target) return 'breached';
  if (elapsed >= target * WARNING_THRESHOLDS[0]) return 'warning';
  return 'on-track';
}

/** Computes the SLA picture of one request at `now`. */
export function computeSla(input: { events: readonly SlaEvent[]; state: string; calendar: WorkingCalendar; targets: AgreementTargets; now: Date }): SlaPicture {
  const { calendar, targets, now } = input;
  const nowMs = now.getTime();
  const candidates: number[] = [];
  const steps: SlaStep[] = stepsOf(input.events).map(({ key, startedAt, endedAt }) => {
    const def = SLA_STEPS[key];
    const end = endedAt ?? now;
    const elapsedCalendarMinutes = Math.max(0, (end.getTime() - startedAt.getTime()) / MINUTE);
    if (def.clock === 'company') {
      const k = key as keyof AgreementTargets['steps'];
      const target = targets.steps[k];
      const elapsed = workingMinutesBetween(calendar, startedAt, end);
      const dueAt = addWorkingMinutes(calendar, startedAt, target);
      if (!endedAt) {
        for (const fraction of [...WARNING_THRESHOLDS, 1]) {
          const at = addWorkingMinutes(calendar, startedAt, target * fraction).getTime();
          if (at > nowMs) candidates.push(at);
        }
      }
      return {
        key, state: def.state, clock: 'company', titleFa: def.titleFa, unit: targets.units[k] ?? null,
        startedAt, endedAt, targetMinutes: target, dueAt, elapsedWorkingMinutes: round(elapsed), elapsedCalendarMinutes: round(elapsedCalendarMinutes),
        status: companyStatus(elapsed, target, endedAt !== null),
        breachedAt: elapsed > target ? dueAt : null,
        contactPauses: [], contactLost: false,
      };
    }
    const days = targets.applicantDays[key as keyof AgreementTargets['applicantDays']];
    // The applicant's clock stops while they cannot be reached: the deadline moves by every pause.
    const contactPauses = contactPausesOf(input.events, startedAt, end);
    const contactLost = !endedAt && contactPauses.some((p) => p.open);
    const pausedMs = contactPauses.reduce((sum, p) => sum + (p.to.getTime() - p.from.getTime()), 0);
    const dueAt = new Date(startedAt.getTime() + days * DAY + pausedMs);
    if (!endedAt && !contactLost) {
      for (const before of [...targets.reminderDaysBefore, 0]) {
        const at = dueAt.getTime() - before * DAY;
        if (at > nowMs && at > startedAt.getTime()) candidates.push(at);
      }
    }
    const late = end.getTime() > dueAt.getTime();
    return {
      key, state: def.state, clock: 'applicant', titleFa: def.titleFa, unit: null,
      startedAt, endedAt, targetMinutes: days * 1440, dueAt, elapsedWorkingMinutes: 0, elapsedCalendarMinutes: round(elapsedCalendarMinutes),
      status: endedAt ? (late ? 'breached' : 'met') : 'paused',
      breachedAt: late ? dueAt : null,
      contactPauses, contactLost,
    };
  });

  const companyWorkingMinutes = round(steps.filter((s) => s.clock === 'company').reduce((sum, s) => sum + s.elapsedWorkingMinutes, 0));
  const whole = targets.wholeRequestWorkingMinutes;
  const terminal = TERMINAL.has(input.state);
  const current = steps.at(-1);
  let promisedAt: Date | null = null;
  if (!terminal) {
    const remaining = whole - companyWorkingMinutes;
    if (remaining > 0) {
      promisedAt = addWorkingMinutes(calendar, now, remaining);
    } else {
      // The whole-request target is spent: promise what the steps still ahead need.
      const order = Object.keys(SLA_STEPS) as SlaStepKey[];
      const ahead = order.slice(current ? order.indexOf(current.key) + 1 : 0).filter((k) => SLA_STEPS[k].clock === 'company');
      const currentLeft = current && current.clock === 'company' && !current.endedAt ? Math.max(60, current.targetMinutes - current.elapsedWorkingMinutes) : 0;
      promisedAt = addWorkingMinutes(calendar, now, currentLeft + ahead.reduce((sum, k) => sum + targets.steps[k as keyof AgreementTargets['steps']], 0));
    }
    if (companyWorkingMinutes < whole && current?.clock === 'company' && !current.endedAt) {
      const at = addWorkingMinutes(calendar, now, whole - companyWorkingMinutes).getTime();
      if (at > nowMs) candidates.push(at);
    }
  }
  const wholeStatus: StepStatus = terminal
    ? companyWorkingMinutes <= whole ? 'met' : 'breached'
    : companyWorkingMinutes >= whole ? 'breached'
      : current?.clock === 'applicant' ? 'paused'
        : companyWorkingMinutes >= whole * WARNING_THRESHOLDS[0] ? 'warning' : 'on-track';

  return {
    steps,
    companyWorkingMinutes,
    wholeTargetMinutes: whole,
    wholeStatus,
    promisedAt,
    nextCheckAt: candidates.length ? new Date(Math.min(...candidates)) : null,
  };
}

/** Each step's clock runs and pauses with reasons: the answer to "why is this late / paused?". */
export function explainStep(step: SlaStep, calendar: WorkingCalendar, now: Date) {
  const end = step.endedAt ?? now;
  if (step.clock === 'applicant') {
    const applicantTurn = 'ساعت شرکت متوقف است: نوبت اقدام متقاضی است (ساعت متقاضی در زمان تقویمی می‌گذرد).';
    const lost = 'ساعت متقاضی هم متوقف است: پیامکی که باید بر اساس آن اقدام کند به او نرسید و هنوز با او تماس گرفته نشده است.';
    const spans: Array<{ from: Date; to: Date; running: boolean; reason: string }> = [];
    let cursor = step.startedAt;
    for (const pause of step.contactPauses) {
      if (pause.from > cursor) spans.push({ from: cursor, to: pause.from, running: false, reason: applicantTurn });
      spans.push({ from: pause.from, to: pause.to, running: false, reason: lost });
      cursor = pause.to;
    }
    if (end > cursor || spans.length === 0) spans.push({ from: cursor, to: end, running: false, reason: applicantTurn });
    return spans;
  }
  return timeline(calendar, step.startedAt, end);
}

const round = (n: number) => Math.round(n * 100) / 100;
