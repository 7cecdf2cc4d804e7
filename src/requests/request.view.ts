// Presenting a request: database rows → the public API shapes (RequestView, TrackView, summary).
import type { RequestEventRow, RequestRow } from '../platform/database/schema.ts';
import { formatJalaliDate, formatJalaliDateTime } from '../platform/jalali.ts';
import type { AmountDue } from '../payments/payment.service.ts';
import { NO_REFUND_NOTICE_FA } from '../payments/receipt.ts';
import type { Role } from '../identity/roles.ts';
import type { RequestView } from './request.schemas.ts';
import { availableActions, STATE_INFO, TRANSITIONS, isRequestAction, type RequestState } from './transitions.ts';

export interface SlaSummary {
  agreementVersion: number;
  escalatedAt: Date | null;
  promisedAt: Date | null;
  companyWorkingMinutes: number;
  wholeTargetMinutes: number;
  wholeStatus: 'on-track' | 'warning' | 'breached' | 'met' | 'paused';
  steps: Array<{
    key: string;
    titleFa: string;
    state: string;
    clock: 'company' | 'applicant';
    unit: string | null;
    startedAt: Date;
    endedAt: Date | null;
    dueAt: Date;
    targetMinutes: number;
    elapsedWorkingMinutes: number;
    elapsedCalendarMinutes: number;
    status: 'on-track' | 'warning' | 'breached' | 'met' | 'paused';
    breachedAt: Date | null;
  }>;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : null);

export function applicantName(row: RequestRow): string {
  return row.personType === 'legal' ? (row.legalName ?? '') : `${row.firstName ?? ''} ${row.lastName ?? ''}`.trim();
}

export function actionTitle(action: string): string {
  if (action === 'submit') return 'ثبت درخواست';
  if (action === 'record-payment') return 'ثبت پرداخت حضوری';
  if (action === 'escalate') return 'ارجاع به سرپرست (تأخیر)';
  if (action === 'contact-lost') return 'قطع ارتباط با متقاضی (پیامک نرسید؛ مهلت متقاضی متوقف شد)';
  if (action === 'contact-restored') return 'برقراری تماس با متقاضی (مهلت متقاضی ادامه یافت)';
  return isRequestAction(action) ? TRANSITIONS[action].titleFa : action;
}

export function presentSla(sla: SlaSummary): RequestView['sla'] {
  return {
    agreementVersion: sla.agreementVersion,
    status: sla.wholeStatus,
    escalatedAt: iso(sla.escalatedAt),
    promisedAt: iso(sla.promisedAt),
    promisedAtJalali: sla.promisedAt ? formatJalaliDate(sla.promisedAt) : null,
    companyWorkingMinutes: sla.companyWorkingMinutes,
    wholeTargetWorkingMinutes: sla.wholeTargetMinutes,
    steps: sla.steps.map((s) => ({
      key: s.key,
      title: s.titleFa,
      state: s.state,
      clock: s.clock,
      unit: s.unit,
      startedAt: s.startedAt.toISOString(),
      endedAt: iso(s.endedAt),
      dueAt: s.dueAt.toISOString(),
      dueAtJalali: formatJalaliDateTime(s.dueAt),
      targetMinutes: s.targetMinutes,
      elapsedWorkingMinutes: s.elapsedWorkingMinutes,
      elapsedCalendarMinutes: s.elapsedCalendarMinutes,
      status: s.status,
      breachedAt: iso(s.breachedAt),
    })),
  };
}

/** The full request as staff and the applicant who filed it see it. */
export function toRequestView(input: { row: RequestRow; events: RequestEventRow[]; amounts: AmountDue[]; roles: readonly Role[]; sla: SlaSummary }): RequestView {
  const { row, events, amounts } = input;
  const state = row.state as RequestState;
  return {
    trackingCode: row.trackingCode,
    service: row.service,
    serviceVersion: row.serviceVersion,
    channel: row.channel as RequestView['channel'],
    officeCode: row.officeCode,
    state,
    stateTitle: STATE_INFO[state].titleFa,
    nextStep: STATE_INFO[state].nextFa,
    billId: row.billId,
    accountNumber: row.accountNumber,
    relation: row.relation as RequestView['relation'],
    applicant:
      row.personType === 'legal'
        ? { personType: 'legal', nationalId: row.nationalId ?? '', name: row.legalName ?? '', mobile: row.mobile }
        : { personType: 'natural', nationalCode: row.nationalCode ?? '', firstName: row.firstName ?? '', lastName: row.lastName ?? '', mobile: row.mobile },
    reason: row.reason,
    connection: obj(row.connection) ?? {},
    powerOfAttorney: obj(row.powerOfAttorney),
    meterTest: obj(row.meterTest),
    conditions: obj(row.conditions),
    removalSchedule: obj(row.removalSchedule),
    removal: obj(row.removal),
    createdAt: row.createdAt.toISOString(),
    createdAtJalali: formatJalaliDateTime(row.createdAt),
    updatedAt: row.updatedAt.toISOString(),
    closedAt: iso(row.closedAt),
    amountsDue: amounts.map((a) => ({
      id: a.id, stage: a.stage, purpose: a.purpose, title: a.titleFa, amountRials: a.amountRials,
      billId: a.billId, paymentId: a.paymentId, paid: a.paid, paidAt: iso(a.paidAt),
      expiresAt: iso(a.expiresAt), expiresAtJalali: a.expiresAt ? formatJalaliDateTime(a.expiresAt) : null,
    })),
    totalDueRials: amounts.filter((a) => !a.paid).reduce((sum, a) => sum + a.amountRials, 0),
    noRefundNotice: amounts.length > 0 ? NO_REFUND_NOTICE_FA : null,
    events: events.map((e) => ({
      action: e.action,
      actionTitle: actionTitle(e.action),
      from: e.fromState,
      to: e.toState,
      at: e.at.toISOString(),
      atJalali: formatJalaliDateTime(e.at),
      actorRole: e.actorRole,
      channel: e.channel,
      reason: e.reason,
      payload: obj(e.payload) ?? {},
    })),
    availableActions: availableActions(state, input.roles),
    sla: presentSla(input.sla),
  };
}

/** The public tracking view: no personal data, only where the request is and what comes next. */
export function toTrackView(input: { row: RequestRow; events: RequestEventRow[]; amounts: AmountDue[]; sla: SlaSummary }) {
  const { row } = input;
  const state = row.state as RequestState;
  return {
    trackingCode: row.trackingCode,
    state,
    stateTitle: STATE_INFO[state].titleFa,
    nextStep: STATE_INFO[state].nextFa,
    submittedAt: row.createdAt.toISOString(),
    submittedAtJalali: formatJalaliDate(row.createdAt),
    promisedAt: iso(input.sla.promisedAt),
    promisedAtJalali: input.sla.promisedAt ? formatJalaliDate(input.sla.promisedAt) : null,
    outstandingRials: input.amounts.filter((a) => !a.paid).reduce((sum, a) => sum + a.amountRials, 0),
    steps: input.events
      .filter((e) => e.fromState !== e.toState)
      .map((e) => ({ state: e.toState, title: STATE_INFO[e.toState as RequestState].titleFa, at: e.at.toISOString(), atJalali: formatJalaliDateTime(e.at) })),
  };
}

/** One line of a work queue. */
export function toSummary(row: RequestRow, amounts: AmountDue[], sla: SlaSummary) {
  const state = row.state as RequestState;
  const presented = presentSla(sla);
  const current = presented.steps.find((step) => step.endedAt === null) ?? null;
  return {
    sla: { status: presented.status, promisedAt: presented.promisedAt, escalated: sla.escalatedAt !== null, current },
    trackingCode: row.trackingCode,
    channel: row.channel as RequestView['channel'],
    officeCode: row.officeCode,
    state,
    stateTitle: STATE_INFO[state].titleFa,
    billId: row.billId,
    createdAt: row.createdAt.toISOString(),
    createdAtJalali: formatJalaliDateTime(row.createdAt),
    updatedAt: row.updatedAt.toISOString(),
    applicantName: applicantName(row),
    totalDueRials: amounts.filter((a) => !a.paid).reduce((sum, a) => sum + a.amountRials, 0),
  };
}
