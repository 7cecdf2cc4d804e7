// The agreement review's rule (pure): where actual times and targets disagree, suggest a target.
//   - Too tight: more than 10 % of the step's cases breached → suggest the actual p90, rounded up to
//     a half working day (210 minutes), so nine cases in ten would have met it.
//   - Too loose: p90 under half the target → suggest the same rounded p90, so the promise to the
//     applicant reflects what the company actually achieves.
//   - Otherwise, or with fewer than MIN_SAMPLE cases, no suggestion: the evidence is too thin.
// The suggestion is never below half a working day, and a suggestion equal to the target is none.
import { WORKING_DAY_MINUTES } from '../sla/agreement.ts';
import { toPersianDigits } from '../platform/digits.ts';

export const HALF_WORKING_DAY_MINUTES = WORKING_DAY_MINUTES / 2;
export const BREACH_RATE_LIMIT = 0.1;
export const MIN_SAMPLE = 5;

export interface Suggestion {
  suggestedMinutes: number | null;
  reasonFa: string | null;
}

/** The suggested target of one company step (or the whole request) from its actual figures. */
export function suggestTarget(input: { targetMinutes: number; p90Minutes: number | null; breachRate: number | null; count: number }): Suggestion {
  const { targetMinutes, p90Minutes, breachRate, count } = input;
  if (count < MIN_SAMPLE || p90Minutes === null || breachRate === null) {
    return { suggestedMinutes: null, reasonFa: count > 0 ? `نمونه کافی نیست (کمتر از ${toPersianDigits(MIN_SAMPLE)} مورد).` : null };
  }
  const rounded = Math.max(HALF_WORKING_DAY_MINUTES, Math.ceil(p90Minutes / HALF_WORKING_DAY_MINUTES - 1e-9) * HALF_WORKING_DAY_MINUTES);
  const percent = toPersianDigits(Math.round(breachRate * 1000) / 10);
  if (breachRate > BREACH_RATE_LIMIT && rounded > targetMinutes) {
    return { suggestedMinutes: rounded, reasonFa: `${percent}٪ موارد از موعد گذشته است (بیش از ۱۰٪)؛ هدف پیشنهادی صدک ۹۰ زمان واقعی است که به نیم روز کاری گرد شده است.` };
  }
  if (p90Minutes < targetMinutes / 2 && rounded < targetMinutes) {
    return { suggestedMinutes: rounded, reasonFa: 'صدک ۹۰ زمان واقعی کمتر از نیمی از هدف است؛ می‌توان تعهد کوتاه‌تری به متقاضی داد (صدک ۹۰ گردشده به نیم روز کاری).' };
  }
  return { suggestedMinutes: null, reasonFa: null };
}

/** Minutes → days of the given length, two decimals (working day: 420 minutes; calendar day: 1440). */
export function toDays(minutes: number | null, dayMinutes: number): number | null {
  return minutes === null ? null : Math.round((minutes / dayMinutes) * 100) / 100;
}

/** A percentage with one decimal, or null for an empty base. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}
