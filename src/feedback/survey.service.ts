// Satisfaction surveys (DESIGN §6, SLA §1): when a request ends (completed, archived, withdrawn)
// a survey with a random, unguessable token is created in the same transaction and its link sent
// by SMS; the applicant answers once, with nothing but the link. Only the token's hash is stored.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { NotificationService } from '../notifications/notification.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database, RequestEventRow, RequestRow } from '../platform/database/schema.ts';
import { AppError } from '../platform/errors.ts';
import { formatJalaliDate } from '../platform/jalali.ts';
import type { SlaPicture } from '../sla/clock.ts';
import { surveyQuestions, surveySteps, SURVEY_OPEN_DAYS } from './survey.questions.ts';
import { surveyRepository as repo } from './survey.repository.ts';
import type { SurveyAnswerBody } from './survey.schemas.ts';

type Trx = Transaction<Database>;
const DAY = 86_400_000;
/** Terminal states that invite a survey; a rejected request lived no service worth rating. */
export const SURVEY_OUTCOMES = ['completed', 'archived', 'withdrawn'] as const;
const OUTCOME_FA: Record<string, string> = { completed: 'انجام‌شده', archived: 'بایگانی‌شده', withdrawn: 'لغوشده به درخواست شما' };

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type SurveyService = ReturnType<typeof createSurveyService>;

export function createSurveyService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  notifications: NotificationService;
  /** The public link of a survey page. */
  link: (token: string) => string;
  /** The request's events and SLA picture inside the caller's transaction (the steps it lived). */
  eventsOf: (executor: Trx, requestId: string) => Promise<RequestEventRow[]>;
  picture: (row: RequestRow, events: RequestEventRow[], now: Date, executor: Trx) => Promise<SlaPicture>;
}) {
  const { db, clock, notifications } = deps;

  async function open(token: string) {
    const survey = await repo.findByTokenHash(db, hashToken(token));
    if (!survey) throw new AppError('NOT_FOUND', 'نظرسنجی‌ای با این پیوند یافت نشد.');
    return survey;
  }

  return {
    /** Inside the terminal transition's transaction: creates the survey and enqueues its SMS; returns outbox ids. */
    async onRequestEnded(trx: Trx, row: RequestRow, outcome: string): Promise<string[]> {
      if (!(SURVEY_OUTCOMES as readonly string[]).includes(outcome)) return [];
      const now = clock.now();
      const events = await deps.eventsOf(trx, row.id);
      const picture = await deps.picture({ ...row, state: outcome }, events, now, trx);
      const token = randomBytes(24).toString('base64url');
      const created = await repo.insert(trx, {
        id: randomUUID(), requestId: row.id, tokenHash: hashToken(token), outcome, channel: row.channel, officeCode: row.officeCode,
        steps: surveySteps(picture.steps), createdAt: now, expiresAt: new Date(now.getTime() + SURVEY_OPEN_DAYS * DAY),
      });
      if (!created) return [];
      return [await notifications.enqueueSms(trx, { to: row.mobile, requestId: row.id, template: 'survey-invitation', data: { trackingCode: row.trackingCode, surveyUrl: deps.link(token) } })];
    },

    /** The survey behind a link: the questions, or `answered: true` once it has been answered. */
    async get(token: string) {
      const survey = await open(token);
      const expired = survey.expiresAt.getTime() <= clock.now().getTime();
      return {
        trackingCode: survey.trackingCode,
        outcome: survey.outcome,
        outcomeLabel: OUTCOME_FA[survey.outcome] ?? survey.outcome,
        title: 'نظرسنجی خدمت جمع‌آوری موقت انشعاب',
        answered: survey.answeredAt !== null,
        expired,
        expiresAt: survey.expiresAt.toISOString(),
        expiresAtJalali: formatJalaliDate(survey.expiresAt),
        questions: surveyQuestions(survey.steps),
      };
    },

    /** Records the one answer of a survey: 409 for a second one, 410 after it closes, 400 for a step it did not ask about. */
    async answer(token: string, body: SurveyAnswerBody) {
      const survey = await open(token);
      if (survey.answeredAt) throw new AppError('SURVEY_ALREADY_ANSWERED');
      const now = clock.now();
      if (survey.expiresAt.getTime() <= now.getTime()) throw new AppError('SURVEY_EXPIRED');
      const steps = Object.entries(body.steps ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number');
      const unknown = steps.find(([step]) => !survey.steps.includes(step));
      if (unknown) throw new AppError('VALIDATION_FAILED', 'برای مرحله‌ای که درخواست شما از آن نگذشته است امتیاز داده شده است.', { field: `steps.${unknown[0]}` });
      const ok = await db.transaction().execute((trx) =>
        repo.answer(trx, survey.id, { answeredAt: now, overallScore: body.overall, comment: body.comment ? body.comment : null, tags: body.tags ?? [], steps: steps.map(([step, score]) => ({ step, score })) }),
      );
      if (!ok) throw new AppError('SURVEY_ALREADY_ANSWERED');
      return { status: 'answered' as const, message: 'پاسخ شما ثبت شد. از اینکه در بهبود خدمت به ما کمک کردید سپاسگزاریم.' };
    },
  };
}
