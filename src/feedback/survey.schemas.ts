// The survey endpoints' schemas, shared with the web client; messages for people are Persian.
import { z } from 'zod';
import { toAsciiDigits } from '../platform/digits.ts';
import { SLA_STEPS, type SlaStepKey } from '../sla/agreement.ts';
import { COMMENT_MAX_LENGTH, SURVEY_TAG_KEYS } from './survey.questions.ts';

const STEP_KEYS = Object.keys(SLA_STEPS) as [SlaStepKey, ...SlaStepKey[]];
const SCORE_MESSAGE = 'امتیاز باید عددی درست از ۱ تا ۵ باشد.';
const Score = z.preprocess(
  (v) => (typeof v === 'string' ? Number(toAsciiDigits(v).trim()) : v),
  z.number({ error: SCORE_MESSAGE }).int({ error: SCORE_MESSAGE }).min(1, { error: SCORE_MESSAGE }).max(5, { error: SCORE_MESSAGE }),
);

export const SurveyTokenParams = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/, { error: 'پیوند نظرسنجی معتبر نیست.' }).describe('نشانه پیوند نظرسنجی (از پیامک)'),
});

export const SurveyAnswerBody = z.object({
  overall: Score.describe('رضایت کلی از ۱ تا ۵'),
  steps: z
    .partialRecord(z.enum(STEP_KEYS, { error: 'این مرحله در نظرسنجی نیست.' }), Score)
    .optional()
    .describe('امتیاز هر مرحله از ۱ تا ۵، با کلید مرحله'),
  comment: z.string().trim().max(COMMENT_MAX_LENGTH, { error: `توضیحات حداکثر ${COMMENT_MAX_LENGTH.toLocaleString('fa-IR')} نویسه باشد.` }).optional(),
  tags: z
    .array(z.enum(SURVEY_TAG_KEYS, { error: 'این برچسب در فهرست برچسب‌های نظرسنجی نیست.' }))
    .max(SURVEY_TAG_KEYS.length)
    .refine((tags) => new Set(tags).size === tags.length, { error: 'هر برچسب را یک بار انتخاب کنید.' })
    .optional(),
});
export type SurveyAnswerBody = z.infer<typeof SurveyAnswerBody>;
