// Per-step SLA facts (pure): what the dashboards and the agreement review aggregate. A fact is a
// step that has ended — its company working minutes (or the applicant's calendar minutes), its
// target, breached or not, the unit answerable — plus one 'whole' fact per closed request (its
// company time against the whole-request target). Written when the step ends, so a report over a
// million requests reads rows instead of replaying events through the working calendar.
import type { SlaPicture } from '../sla/clock.ts';

export interface StepFact {
  requestId: string;
  step: string;
  clock: 'company' | 'applicant' | 'whole';
  unit: string | null;
  startedAt: Date;
  endedAt: Date;
  workingMinutes: number;
  calendarMinutes: number;
  targetMinutes: number;
  breached: boolean;
  channel: string;
  officeCode: string | null;
  agreementVersion: number;
}

export interface FactContext {
  requestId: string;
  channel: string;
  officeCode: string | null;
  agreementVersion: number;
  createdAt: Date;
  /** Set when the request has reached a terminal state: adds the 'whole' fact. */
  closedAt: Date | null;
}

/** The facts of every ended step of a request's SLA picture (company steps: compliant when working minutes ≤ target). */
export function stepFacts(picture: SlaPicture, context: FactContext): StepFact[] {
  const common = { requestId: context.requestId, channel: context.channel, officeCode: context.officeCode, agreementVersion: context.agreementVersion };
  const facts: StepFact[] = picture.steps
    .filter((s) => s.endedAt !== null)
    .map((s) => ({
      ...common,
      step: s.key,
      clock: s.clock,
      unit: s.unit,
      startedAt: s.startedAt,
      endedAt: s.endedAt!,
      workingMinutes: s.clock === 'company' ? s.elapsedWorkingMinutes : 0,
      calendarMinutes: s.elapsedCalendarMinutes,
      targetMinutes: s.targetMinutes,
      breached: s.clock === 'company' ? s.elapsedWorkingMinutes > s.targetMinutes : s.status === 'breached',
    }));
  if (context.closedAt) {
    facts.push({
      ...common,
      step: 'whole',
      clock: 'whole',
      unit: null,
      startedAt: context.createdAt,
      endedAt: context.closedAt,
      workingMinutes: picture.companyWorkingMinutes,
      calendarMinutes: Math.round(((context.closedAt.getTime() - context.createdAt.getTime()) / 60_000) * 100) / 100,
      targetMinutes: picture.wholeTargetMinutes,
      breached: picture.companyWorkingMinutes > picture.wholeTargetMinutes,
    });
  }
  return facts;
}
