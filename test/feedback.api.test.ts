// The satisfaction survey: created with the request's end (completed, archived, withdrawn — not
// rejected) in the same transaction, its link sent by SMS; answered once, through the link alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { startTestApp, TEST_START, type TestApp } from './support/app.ts';

let t: TestApp;
const clock = new ManualClock(TEST_START);
beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterAll(async () => t?.close());

async function surveyLink(mobile: string) {
  await t.flush();
  return t.sms(mobile).find((m) => m.text.includes('/survey/'))?.text ?? null;
}
const tokenIn = (text: string | null) => /\/survey\/([\w-]+)/.exec(text ?? '')?.[1] ?? '';

describe('survey invitation', () => {
  it('follows a completed request, asks about the steps it lived through, and takes one answer', async () => {
    clock.set(TEST_START);
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const { view } = await t.file(s);
    await t.walkTo(view.trackingCode, s.owner.mobile, 'completed');
    const text = await surveyLink(s.owner.mobile);
    expect(text).toContain('نظرسنجی');
    const token = tokenIn(text);
    expect(token.length).toBeGreaterThanOrEqual(32);
    // Only the token's hash is stored.
    const row = await t.app.barq.db.selectFrom('surveys').selectAll().executeTakeFirstOrThrow();
    expect(row.tokenHash).not.toContain(token);

    const got = await t.api('GET', `/api/v1/surveys/${token}`);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ trackingCode: view.trackingCode, outcome: 'completed', answered: false, expired: false });
    const steps = got.json.questions.steps.map((x: any) => x.key);
    expect(steps.slice(0, 6)).toEqual(['quote', 'payment', 'meter-test', 'conditions', 'acceptance', 'removal']);
    expect(got.json.questions.tags.options.map((x: any) => x.label)).toEqual(expect.arrayContaining(['پرداخت کند بود', 'شرایط روشن نبود', 'اکیپ دیر آمد', 'پیامک نرسید', 'برخورد کارکنان خوب بود']));

    const answer = await t.api('POST', `/api/v1/surveys/${token}`, { body: { overall: '۴', steps: { quote: 5, removal: 3 }, comment: '  خوب بود  ', tags: ['staff-courteous', 'crew-late'] } });
    expect(answer.status, JSON.stringify(answer.json)).toBe(201);
    expect(answer.json.message).toContain('سپاسگزاریم');
    const stored = await t.app.barq.db.selectFrom('surveys').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ overallScore: 4, comment: 'خوب بود', tags: ['staff-courteous', 'crew-late'] });
    const scores = await t.app.barq.db.selectFrom('surveyStepScores').select(['step', 'score']).where('surveyId', '=', row.id).orderBy('step').execute();
    expect(scores).toEqual([{ step: 'quote', score: 5 }, { step: 'removal', score: 3 }]);

    const again = await t.api('POST', `/api/v1/surveys/${token}`, { body: { overall: 1 } });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({ code: 'SURVEY_ALREADY_ANSWERED' });
    expect(again.json.error.message).toMatch(/پیش‌تر پاسخ داده شده/);
    expect((await t.api('GET', `/api/v1/surveys/${token}`)).json.answered).toBe(true);
  });

  it('follows a withdrawn request, but not a rejected one', async () => {
    clock.set(TEST_START);
    const a = t.subscriber((x) => x.owner.personType === 'natural');
    const b = t.subscriber((x) => x.owner.personType === 'natural');
    const withdrawn = (await t.file(a)).view.trackingCode;
    const rejected = (await t.file(b)).view.trackingCode;
    expect((await t.act(withdrawn, { applicant: a.owner.mobile }, 'withdraw')).status).toBe(200);
    expect((await t.act(rejected, 'clerk', 'reject', { reason: 'مالک نیست' })).status).toBe(200);
    const token = tokenIn(await surveyLink(a.owner.mobile));
    const got = await t.api('GET', `/api/v1/surveys/${token}`);
    expect(got.json).toMatchObject({ outcome: 'withdrawn', outcomeLabel: 'لغوشده به درخواست شما' });
    expect(got.json.questions.steps.map((x: any) => x.key)).toEqual(['quote']);
    expect(await surveyLink(b.owner.mobile)).toBeNull();
  });

  it('validates answers with Persian messages and refuses unknown links, other steps and late answers', async () => {
    clock.set(TEST_START);
    const s = t.subscriber((x) => x.owner.personType === 'natural');
    const code = (await t.file(s)).view.trackingCode;
    await t.act(code, { applicant: s.owner.mobile }, 'withdraw');
    const token = tokenIn(await surveyLink(s.owner.mobile));

    const six = await t.api('POST', `/api/v1/surveys/${token}`, { body: { overall: 6 } });
    expect(six.status).toBe(400);
    expect(six.json.error.code).toBe('VALIDATION_FAILED');
    expect(six.json.error.message).toContain('امتیاز باید عددی درست از ۱ تا ۵ باشد');
    const tag = await t.api('POST', `/api/v1/surveys/${token}`, { body: { overall: 3, tags: ['nonsense'] } });
    expect(tag.status).toBe(400);
    expect(tag.json.error.message).toContain('برچسب');
    const long = await t.api('POST', `/api/v1/surveys/${token}`, { body: { overall: 3, comment: 'ا'.repeat(1001) } });
    expect(long.status).toBe(400);
    const notLived = await t.api('POST', `/api/v1/surveys/${token}`, { body: { overall: 3, steps: { removal: 4 } } });
    expect(notLived.status).toBe(400);
    expect(notLived.json.error.details.field).toBe('steps.removal');

    const unknown = await t.api('GET', `/api/v1/surveys/${'x'.repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toContain('نظرسنجی');
    expect((await t.api('GET', '/api/v1/surveys/short')).status).toBe(400);

    clock.advance(31 * 86_400_000);
    const late = await t.api('POST', `/api/v1/surveys/${token}`, { body: { overall: 3 } });
    expect(late.status).toBe(410);
    expect(late.json.error.code).toBe('SURVEY_EXPIRED');
  });
});
