// The service level agreement's rules for temporary removal (DESIGN §2): the steps its clocks
// measure, their default targets, and the default first version. Company targets are working
// minutes of the company calendar (one working day = 7 working hours); applicant deadlines are
// calendar days.
export const WORKING_DAY_MINUTES = 7 * 60;

/** The steps the agreement measures, in the order a request lives them. */
export const SLA_STEPS = {
  quote: { state: 'submitted', clock: 'company', titleFa: 'بررسی و اعلام هزینه', assignee: 'clerk' },
  payment: { state: 'awaiting-payment', clock: 'applicant', titleFa: 'پرداخت هزینه و بدهی توسط متقاضی', assignee: 'applicant' },
  'meter-test': { state: 'meter-test', clock: 'company', titleFa: 'آزمایش کنتور', assignee: 'meter-tester' },
  conditions: { state: 'meter-test', clock: 'company', titleFa: 'اعلام شرایط فنی و مالی', assignee: 'clerk' },
  acceptance: { state: 'awaiting-acceptance', clock: 'applicant', titleFa: 'پاسخ متقاضی به شرایط', assignee: 'applicant' },
  removal: { state: 'removal-scheduled', clock: 'company', titleFa: 'جمع‌آوری انشعاب', assignee: 'field-crew' },
  settlement: { state: 'awaiting-settlement', clock: 'applicant', titleFa: 'تسویه صورتحساب نهایی توسط متقاضی', assignee: 'applicant' },
} as const satisfies Record<string, { state: string; clock: 'company' | 'applicant'; titleFa: string; assignee: string }>;

export type SlaStepKey = keyof typeof SLA_STEPS;
export type CompanyStepKey = { [K in SlaStepKey]: (typeof SLA_STEPS)[K]['clock'] extends 'company' ? K : never }[SlaStepKey];
export type ApplicantStepKey = Exclude<SlaStepKey, CompanyStepKey>;

export interface AgreementTargets {
  /** Company-clock targets per step, in working minutes. */
  steps: Record<CompanyStepKey, number>;
  /** The whole request, company time only, in working minutes. */
  wholeRequestWorkingMinutes: number;
  /** Applicant deadlines in calendar days. */
  applicantDays: Record<ApplicantStepKey, number>;
  /** Reminders before an applicant deadline, in calendar days before it. */
  reminderDaysBefore: number[];
  /** The unit answerable for each company step (breaches are attributed to it). */
  units: Record<CompanyStepKey, string>;
}

export interface Agreement {
  service: string;
  version: number;
  validFrom: string;
  validTo: string;
  approvedBy: string;
  targets: AgreementTargets;
}

export const DEFAULT_TARGETS: AgreementTargets = {
  steps: {
    quote: 1 * WORKING_DAY_MINUTES,
    'meter-test': 3 * WORKING_DAY_MINUTES,
    conditions: 1 * WORKING_DAY_MINUTES,
    removal: 3 * WORKING_DAY_MINUTES,
  },
  wholeRequestWorkingMinutes: 7 * WORKING_DAY_MINUTES,
  applicantDays: { payment: 30, acceptance: 10, settlement: 30 },
  reminderDaysBefore: [7, 2],
  units: {
    quote: 'امور مشترکین',
    'meter-test': 'آزمایشگاه کنتور',
    conditions: 'امور مشترکین',
    removal: 'بهره‌برداری (اکیپ اجرایی)',
  },
};

export const DEFAULT_AGREEMENT = {
  version: 1,
  validFrom: '2026-03-21',
  validTo: '2027-03-20',
  approvedBy: 'مدیرعامل شرکت توزیع نیروی برق استان قم',
  targets: DEFAULT_TARGETS,
} as const;
