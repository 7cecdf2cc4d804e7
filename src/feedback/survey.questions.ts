// The satisfaction survey's questions (pure): the overall score, one score per SLA step the
// applicant lived through, a comment, and tags from a fixed Persian list. Each tag that speaks of
// one step names it, so the agreement review can show a step's tags beside its figures.
import { SLA_STEPS, type SlaStepKey } from '../sla/agreement.ts';

export const SCORE_LABELS_FA = { 1: 'خیلی بد', 2: 'بد', 3: 'متوسط', 4: 'خوب', 5: 'عالی' } as const;

export const SURVEY_TAGS = [
  { key: 'quote-slow', label: 'اعلام هزینه طول کشید', step: 'quote' },
  { key: 'payment-slow', label: 'پرداخت کند بود', step: 'payment' },
  { key: 'costs-high', label: 'هزینه‌ها زیاد بود', step: 'payment' },
  { key: 'meter-test-late', label: 'آزمایش کنتور دیر انجام شد', step: 'meter-test' },
  { key: 'conditions-unclear', label: 'شرایط روشن نبود', step: 'conditions' },
  { key: 'crew-late', label: 'اکیپ دیر آمد', step: 'removal' },
  { key: 'final-bill-unclear', label: 'صورتحساب نهایی روشن نبود', step: 'settlement' },
  { key: 'sms-missing', label: 'پیامک نرسید', step: null },
  { key: 'staff-courteous', label: 'برخورد کارکنان خوب بود', step: null },
  { key: 'easy-to-file', label: 'ثبت درخواست آسان بود', step: null },
] as const satisfies ReadonlyArray<{ key: string; label: string; step: SlaStepKey | null }>;

export type SurveyTagKey = (typeof SURVEY_TAGS)[number]['key'];
export const SURVEY_TAG_KEYS = SURVEY_TAGS.map((t) => t.key) as [SurveyTagKey, ...SurveyTagKey[]];
export const TAG_LABELS_FA: Record<string, string> = Object.fromEntries(SURVEY_TAGS.map((t) => [t.key, t.label]));

export const COMMENT_MAX_LENGTH = 1000;
/** Days the survey link stays open after the request ends. */
export const SURVEY_OPEN_DAYS = 30;

/** The steps a survey asks about: each SLA step the request lived through, once, in order. */
export function surveySteps(steps: ReadonlyArray<{ key: string }>): SlaStepKey[] {
  const out: SlaStepKey[] = [];
  for (const s of steps) if (s.key in SLA_STEPS && !out.includes(s.key as SlaStepKey)) out.push(s.key as SlaStepKey);
  return out;
}

/** The questions as the survey page shows them. */
export function surveyQuestions(steps: readonly string[]) {
  return {
    overall: { label: 'در مجموع از این خدمت چقدر راضی بودید؟', min: 1, max: 5, scale: SCORE_LABELS_FA },
    steps: steps.filter((k): k is SlaStepKey => k in SLA_STEPS).map((k) => ({ key: k, label: `رضایت شما از مرحله «${SLA_STEPS[k].titleFa}»`, title: SLA_STEPS[k].titleFa, min: 1, max: 5 })),
    comment: { label: 'اگر نکته یا پیشنهادی دارید بنویسید (اختیاری)', maxLength: COMMENT_MAX_LENGTH },
    tags: { label: 'کدام موارد درباره تجربه شما درست است؟ (اختیاری)', options: SURVEY_TAGS.map((t) => ({ key: t.key, label: t.label })) },
  };
}
