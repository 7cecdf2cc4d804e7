// SQL for surveys: one row per ended request, answered at most once (compare-and-set on answered_at).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/database/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export const surveyRepository = {
  /** Creates the request's survey; false when it already has one. */
  async insert(db: Executor, row: { id: string; requestId: string; tokenHash: string; outcome: string; channel: string; officeCode: string | null; steps: string[]; createdAt: Date; expiresAt: Date }) {
    const inserted = await db.insertInto('surveys').values(row).onConflict((oc) => oc.column('requestId').doNothing()).returning('id').executeTakeFirst();
    return Boolean(inserted);
  },
  findByTokenHash(db: Executor, tokenHash: string) {
    return db
      .selectFrom('surveys')
      .innerJoin('requests', 'requests.id', 'surveys.requestId')
      .select(['surveys.id', 'surveys.requestId', 'surveys.outcome', 'surveys.steps', 'surveys.createdAt', 'surveys.expiresAt', 'surveys.answeredAt', 'requests.trackingCode'])
      .where('surveys.tokenHash', '=', tokenHash)
      .executeTakeFirst();
  },
  /** Records the answer unless one was recorded first; false when it lost. */
  async answer(trx: Transaction<Database>, id: string, answer: { answeredAt: Date; overallScore: number; comment: string | null; tags: string[]; steps: Array<{ step: string; score: number }> }) {
    const updated = await trx
      .updateTable('surveys')
      .set({ answeredAt: answer.answeredAt, overallScore: answer.overallScore, comment: answer.comment, tags: answer.tags })
      .where('id', '=', id)
      .where('answeredAt', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!updated) return false;
    if (answer.steps.length) await trx.insertInto('surveyStepScores').values(answer.steps.map((s) => ({ surveyId: id, step: s.step, score: s.score }))).execute();
    return true;
  },
};
