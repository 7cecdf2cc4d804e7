// The lifecycle of a temporary-removal request (DESIGN §1, SLA §3) as data plus one pure
// function. Nothing here touches the database or HTTP; a new state or action breaks the build
// until every table below says what it means.
import type { Role } from '../identity/roles.ts';

export const REQUEST_STATES = [
  'submitted',
  'awaiting-payment',
  'meter-test',
  'awaiting-acceptance',
  'removal-scheduled',
  'awaiting-settlement',
  'completed',
  'archived',
  'withdrawn',
  'rejected',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** Who owns the next move, and so which SLA clock runs (DESIGN §2). */
export type ClockOwner = 'company' | 'applicant' | 'none';

export interface StateInfo {
  titleFa: string;
  owner: ClockOwner;
  /** The SLA §3 step(s) this state stands for. */
  slaSteps: string;
  /** What the applicant is told to do next (public tracking). */
  nextFa: string;
  terminal: boolean;
}

export const STATE_INFO = {
  submitted: { titleFa: 'ثبت‌شده، در انتظار بررسی و اعلام هزینه', owner: 'company', slaSteps: '1-2', nextFa: 'درخواست شما در حال بررسی است؛ هزینه‌ها به‌زودی با پیامک اعلام می‌شود.', terminal: false },
  'awaiting-payment': { titleFa: 'در انتظار پرداخت هزینه و بدهی', owner: 'applicant', slaSteps: '3-4', nextFa: 'هزینه جمع‌آوری و بدهی مصرفی را پرداخت کنید.', terminal: false },
  'meter-test': { titleFa: 'آزمایش کنتور', owner: 'company', slaSteps: '5', nextFa: 'کارشناس برای آزمایش کنتور مراجعه می‌کند؛ نتیجه و شرایط با پیامک اعلام می‌شود.', terminal: false },
  'awaiting-acceptance': { titleFa: 'در انتظار پذیرش شرایط فنی و مالی', owner: 'applicant', slaSteps: '6-7', nextFa: 'شرایط فنی و مالی اعلام‌شده را بپذیرید یا رد کنید؛ در صورت رد، درخواست بایگانی می‌شود.', terminal: false },
  'removal-scheduled': { titleFa: 'در نوبت جمع‌آوری انشعاب', owner: 'company', slaSteps: '8', nextFa: 'اکیپ اجرایی برای جمع‌آوری انشعاب مراجعه می‌کند.', terminal: false },
  'awaiting-settlement': { titleFa: 'در انتظار تسویه صورتحساب نهایی', owner: 'applicant', slaSteps: '9', nextFa: 'صورتحساب نهایی (بدهی مصرفی و خسارت احتمالی) را پرداخت کنید.', terminal: false },
  completed: { titleFa: 'انجام‌شده؛ انشعاب به‌طور موقت جمع‌آوری شد', owner: 'none', slaSteps: '§7', nextFa: 'خدمت به پایان رسیده است؛ گواهی نتیجه را دریافت کنید.', terminal: true },
  archived: { titleFa: 'بایگانی‌شده (عدم پذیرش شرایط)', owner: 'none', slaSteps: '7', nextFa: 'درخواست بایگانی شده است؛ برای جمع‌آوری باید درخواست تازه ثبت کنید.', terminal: true },
  withdrawn: { titleFa: 'لغوشده به درخواست متقاضی', owner: 'none', slaSteps: '§4', nextFa: 'درخواست به درخواست شما لغو شده است.', terminal: true },
  rejected: { titleFa: 'ردشده', owner: 'none', slaSteps: '—', nextFa: 'درخواست پذیرفته نشد؛ علت آن در پیامک و همین صفحه آمده است.', terminal: true },
} as const satisfies Record<RequestState, StateInfo>;

export const OPEN_STATES = REQUEST_STATES.filter((s) => !STATE_INFO[s].terminal);

export const REQUEST_ACTIONS = [
  'quote',
  'confirm-payment',
  'record-meter-test',
  'announce-conditions',
  'accept-conditions',
  'refuse-conditions',
  'schedule-removal',
  'record-removal',
  'settle',
  'withdraw',
  'reject',
  'archive',
] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/** Facts about a request that some transitions depend on, gathered by the service. */
export interface TransitionFacts {
  meterTestRecorded?: boolean;
  quotePaid?: boolean;
  settlementPaid?: boolean;
  /** The final bill computed at removal is zero: settlement is skipped. */
  nothingDue?: boolean;
}

export type Precondition = 'meter-test-missing' | 'quote-unpaid' | 'settlement-unpaid';

export const PRECONDITION_FA: Record<Precondition, string> = {
  'meter-test-missing': 'پیش از اعلام شرایط، نتیجه آزمایش کنتور باید ثبت شود.',
  'quote-unpaid': 'همه مبالغ اعلام‌شده هنوز پرداخت نشده است.',
  'settlement-unpaid': 'صورتحساب نهایی هنوز پرداخت نشده است.',
};

export interface TransitionRule {
  titleFa: string;
  from: readonly RequestState[];
  /** `same` keeps the state (a record inside a step: meter-test result, removal date). */
  to: RequestState | 'same';
  /** Where the request goes instead when the final bill is zero (settlement skipped). */
  toWhenNothingDue?: RequestState;
  roles: readonly Role[];
  requiresReason?: boolean;
  guard?: (facts: TransitionFacts) => Precondition | null;
}

const APPLICANT_SIDE = ['applicant', 'pishkhan-operator', 'clerk'] as const satisfies readonly Role[];

export const TRANSITIONS = {
  quote: { titleFa: 'اعلام هزینه', from: ['submitted'], to: 'awaiting-payment', roles: ['clerk', 'supervisor'] },
  'confirm-payment': {
    titleFa: 'تأیید پرداخت',
    from: ['awaiting-payment'],
    to: 'meter-test',
    roles: ['system', 'finance'],
    guard: (f) => (f.quotePaid ? null : 'quote-unpaid'),
  },
  'record-meter-test': { titleFa: 'ثبت نتیجه آزمایش کنتور', from: ['meter-test'], to: 'same', roles: ['meter-tester'] },
  'announce-conditions': {
    titleFa: 'اعلام شرایط فنی و مالی',
    from: ['meter-test'],
    to: 'awaiting-acceptance',
    roles: ['clerk', 'supervisor'],
    guard: (f) => (f.meterTestRecorded ? null : 'meter-test-missing'),
  },
  'accept-conditions': { titleFa: 'پذیرش شرایط', from: ['awaiting-acceptance'], to: 'removal-scheduled', roles: APPLICANT_SIDE },
  'refuse-conditions': { titleFa: 'عدم پذیرش شرایط', from: ['awaiting-acceptance'], to: 'archived', roles: APPLICANT_SIDE },
  'schedule-removal': { titleFa: 'تعیین زمان جمع‌آوری', from: ['removal-scheduled'], to: 'same', roles: ['clerk', 'supervisor'] },
  'record-removal': {
    titleFa: 'ثبت جمع‌آوری انشعاب',
    from: ['removal-scheduled'],
    to: 'awaiting-settlement',
    toWhenNothingDue: 'completed',
    roles: ['field-crew'],
  },
  settle: {
    titleFa: 'تسویه صورتحساب نهایی',
    from: ['awaiting-settlement'],
    to: 'completed',
    roles: ['system', 'finance'],
    guard: (f) => (f.settlementPaid ? null : 'settlement-unpaid'),
  },
  withdraw: {
    titleFa: 'انصراف متقاضی',
    from: ['submitted', 'awaiting-payment', 'meter-test', 'awaiting-acceptance', 'removal-scheduled'],
    to: 'withdrawn',
    roles: APPLICANT_SIDE,
  },
  reject: { titleFa: 'رد درخواست', from: ['submitted', 'meter-test'], to: 'rejected', roles: ['clerk', 'supervisor'], requiresReason: true },
  archive: { titleFa: 'بایگانی', from: ['awaiting-payment', 'awaiting-acceptance'], to: 'archived', roles: ['system', 'supervisor'], requiresReason: true },
} as const satisfies Record<RequestAction, TransitionRule>;

export type Decision =
  | { ok: true; to: RequestState; changesState: boolean }
  | { ok: false; error: 'unknown-action' | 'role-forbidden' | 'invalid-transition' | 'reason-required' }
  | { ok: false; error: 'precondition'; precondition: Precondition };

export function isRequestAction(value: string): value is RequestAction {
  return (REQUEST_ACTIONS as readonly string[]).includes(value);
}

/**
 * Decides whether `role` may take `action` on a request in `state`, and where it leads.
 * Order matters for callers: an unknown action, then a role that may never take it (403), then
 * the wrong state (409), then a missing reason or unmet precondition.
 */
export function decide(input: { state: RequestState; action: string; roles: readonly Role[]; facts?: TransitionFacts; reason?: string | null }): Decision {
  if (!isRequestAction(input.action)) return { ok: false, error: 'unknown-action' };
  const rule: TransitionRule = TRANSITIONS[input.action];
  if (!input.roles.some((role) => rule.roles.includes(role))) return { ok: false, error: 'role-forbidden' };
  if (!rule.from.includes(input.state)) return { ok: false, error: 'invalid-transition' };
  if (rule.requiresReason && !input.reason?.trim()) return { ok: false, error: 'reason-required' };
  const facts = input.facts ?? {};
  const failed = rule.guard?.(facts);
  if (failed) return { ok: false, error: 'precondition', precondition: failed };
  const to = rule.to === 'same' ? input.state : facts.nothingDue && rule.toWhenNothingDue ? rule.toWhenNothingDue : rule.to;
  return { ok: true, to, changesState: to !== input.state };
}

/** The actions a set of roles could take now (for work queues and disabled buttons). */
export function availableActions(state: RequestState, roles: readonly Role[]): RequestAction[] {
  return REQUEST_ACTIONS.filter((action) => {
    const rule: TransitionRule = TRANSITIONS[action];
    return rule.from.includes(state) && roles.some((r) => rule.roles.includes(r));
  });
}
