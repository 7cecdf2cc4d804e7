// The service level agreement's default version for temporary removal (DESIGN §2). Targets are
// in working minutes of the company calendar (one working day = 7 working hours); applicant
// deadlines in calendar days.
export const WORKING_DAY_MINUTES = 7 * 60;

export interface AgreementTargets {
  /** Company-clock targets per state, in working minutes. */
  steps: Partial<Record<'submitted' | 'meter-test' | 'removal-scheduled' | 'awaiting-settlement-bill', number>> & Record<string, number>;
  /** Whole request, company time only, in working minutes. */
  wholeRequestWorkingMinutes: number;
  /** Applicant deadlines in calendar days. */
  applicantDays: { payment: number; acceptance: number; settlement: number };
  /** Reminders before an applicant deadline, in calendar days before it. */
  reminderDaysBefore: number[];
}

export const DEFAULT_AGREEMENT = {
  version: 1,
  validFrom: '2026-03-21',
  validTo: '2027-03-20',
  approvedBy: 'مدیرعامل شرکت توزیع نیروی برق استان قم',
  targets: {
    steps: {
      submitted: 1 * WORKING_DAY_MINUTES,
      'meter-test': 4 * WORKING_DAY_MINUTES,
      'removal-scheduled': 3 * WORKING_DAY_MINUTES,
    },
    wholeRequestWorkingMinutes: 7 * WORKING_DAY_MINUTES,
    applicantDays: { payment: 30, acceptance: 10, settlement: 30 },
    reminderDaysBefore: [7, 2],
  } satisfies AgreementTargets,
} as const;
