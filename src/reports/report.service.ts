// Monitoring and reports (DESIGN §6, SLA §2): per-step facts written when a step ends, the
// supervisors' dashboard, and the agreement review table (JSON, xlsx, CSV). Every figure is
// aggregated in the database; chart series are plain arrays of {label, value} with Persian labels.
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { Database, RequestEventRow, RequestRow } from '../platform/database/schema.ts';
import { toPersianDigits } from '../platform/digits.ts';
import { SLA_STEPS, WORKING_DAY_MINUTES, type AgreementTargets, type SlaStepKey } from '../sla/agreement.ts';
import type { SlaPicture } from '../sla/clock.ts';
import { TAG_LABELS_FA, SURVEY_TAGS } from '../feedback/survey.questions.ts';
import { toCsv, toXlsx, type Column, type Sheet } from './export.ts';
import { stepFacts } from './facts.ts';
import { AGE_BUCKETS, ageBucket, monthBuckets, weekBuckets, type Bucket, type Period } from './period.ts';
import { reportRepository as repo, type ReportFilter } from './report.repository.ts';
import { percent, suggestTarget, toDays } from './review.ts';

type Trx = Transaction<Database>;

export const CHANNEL_LABELS_FA: Record<string, string> = { web: 'وب‌سایت', app: 'اپلیکیشن «برق من»', pishkhan: 'دفاتر پیشخوان', counter: 'باجه حضوری' };
export const CHANNELS = ['web', 'app', 'pishkhan', 'counter'] as const;
const WHOLE_FA = 'کل درخواست (زمان شرکت)';
const COMPANY_STEPS = (Object.keys(SLA_STEPS) as SlaStepKey[]).filter((k) => SLA_STEPS[k].clock === 'company');
const ALL_STEPS = Object.keys(SLA_STEPS) as SlaStepKey[];

export interface ChartPoint {
  label: string;
  value: number | null;
  key?: string;
}

export interface DashboardQuery {
  period: Period;
  channel?: string | undefined;
  office?: string | undefined;
}

const stepTitle = (step: string) => (step === 'whole' ? WHOLE_FA : (SLA_STEPS[step as SlaStepKey]?.titleFa ?? step));
const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

export type ReportService = ReturnType<typeof createReportService>;

export function createReportService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  openStates: readonly string[];
  stateTitles: Record<string, string>;
  /** The request's events and SLA picture (inside a transaction when given one). */
  eventsOf: (executor: Kysely<Database> | Trx, requestId: string) => Promise<RequestEventRow[]>;
  picture: (row: RequestRow, events: RequestEventRow[], now: Date, executor: Kysely<Database> | Trx) => Promise<SlaPicture>;
  /** Targets of the agreement in force (the review's "target" column). */
  targetsInForce: () => Promise<{ version: number; targets: AgreementTargets }>;
}) {
  const { db, clock } = deps;

  function filterOf(q: DashboardQuery): ReportFilter {
    return { start: q.period.start, end: q.period.end, channel: q.channel, office: q.office };
  }

  async function factsOf(executor: Kysely<Database> | Trx, row: RequestRow, now: Date) {
    const picture = await deps.picture(row, await deps.eventsOf(executor, row.id), now, executor);
    return stepFacts(picture, { requestId: row.id, channel: row.channel, officeCode: row.officeCode, agreementVersion: row.agreementVersion, createdAt: row.createdAt, closedAt: row.closedAt });
  }

  function series(buckets: Bucket[], values: Array<{ bucket: number; n: number }>): ChartPoint[] {
    const byBucket = new Map(values.map((v) => [Number(v.bucket), v.n]));
    return buckets.map((b, i) => ({ label: b.label, value: byBucket.get(i + 1) ?? 0 }));
  }

  async function trend(q: DashboardQuery, buckets: Bucket[]) {
    const boundaries = [...buckets.map((b) => b.start), buckets.at(-1)!.end];
    const t = await repo.trend(db, filterOf(q), boundaries);
    const compliance = new Map(t.compliance.map((c) => [Number(c.bucket), c]));
    return {
      filed: series(buckets, t.filed),
      completed: series(buckets, t.completed),
      compliance: buckets.map((b, i) => {
        const c = compliance.get(i + 1);
        return { label: b.label, value: c ? percent(c.compliant, c.n) : null };
      }),
    };
  }

  async function review(q: DashboardQuery) {
    const f = filterOf(q);
    const [figures, satisfaction, tags, comments, inForce] = await Promise.all([repo.stepFigures(db, f), repo.satisfactionByStep(db, f), repo.tagCounts(db, f), repo.comments(db, f, 200), deps.targetsInForce()]);
    const tagCount = new Map(tags.map((t) => [t.tag, t.n]));
    const rows = [...ALL_STEPS, 'whole' as const].map((step) => {
      const def = step === 'whole' ? null : SLA_STEPS[step];
      const clock = def?.clock ?? 'whole';
      const fig = figures.find((x) => x.step === step);
      const sat = satisfaction.find((x) => x.step === step);
      const target = step === 'whole' ? inForce.targets.wholeRequestWorkingMinutes
        : clock === 'company' ? inForce.targets.steps[step as keyof AgreementTargets['steps']]
          : inForce.targets.applicantDays[step as keyof AgreementTargets['applicantDays']] * 1440;
      const count = fig?.n ?? 0;
      const breachRate = count ? (fig!.breached / count) : null;
      const suggestion = clock === 'applicant' ? { suggestedMinutes: null, reasonFa: null } : suggestTarget({ targetMinutes: target, p90Minutes: fig?.p90 ?? null, breachRate, count });
      const dayMinutes = clock === 'applicant' ? 1440 : WORKING_DAY_MINUTES;
      const stepTags = SURVEY_TAGS.filter((t) => t.step === step).map((t) => ({ key: t.key, label: t.label, count: tagCount.get(t.key) ?? 0 })).filter((t) => t.count > 0).sort((a, b) => b.count - a.count);
      const lowComments = step === 'whole' ? [] : comments.filter((c) => (c.scores?.[step] ?? 5) <= 2).slice(0, 3).map((c) => c.comment);
      return {
        step, title: stepTitle(step), clock, unit: step === 'whole' || clock === 'applicant' ? null : inForce.targets.units[step as keyof AgreementTargets['units']],
        timeUnit: clock === 'applicant' ? 'calendar-days' : 'working-days', timeUnitFa: clock === 'applicant' ? 'روز تقویمی' : 'روز کاری',
        count,
        targetMinutes: target, p50Minutes: round1(fig?.p50 ?? null), p90Minutes: round1(fig?.p90 ?? null),
        targetDays: toDays(target, dayMinutes), p50Days: toDays(fig?.p50 ?? null, dayMinutes), p90Days: toDays(fig?.p90 ?? null, dayMinutes),
        breached: fig?.breached ?? 0, breachRatePercent: count ? percent(fig!.breached, count) : null, compliancePercent: count ? percent(fig!.compliant, count) : null,
        satisfaction: sat ? Math.round(sat.mean * 100) / 100 : null, satisfactionCount: sat?.n ?? 0,
        topTags: stepTags, lowScoreComments: lowComments,
        suggestedTargetMinutes: suggestion.suggestedMinutes, suggestedTargetDays: toDays(suggestion.suggestedMinutes, dayMinutes), suggestionFa: suggestion.reasonFa,
      };
    });
    return {
      period: { from: q.period.from, to: q.period.to },
      filters: { channel: q.channel ?? null, office: q.office ?? null },
      agreementVersion: inForce.version,
      rule: 'هدف پیشنهادی: وقتی بیش از ۱۰٪ موارد از موعد گذشته یا صدک ۹۰ کمتر از نیمی از هدف است، صدک ۹۰ زمان واقعی گردشده به بالا به نیم روز کاری (۲۱۰ دقیقه)؛ با کمتر از ۵ مورد پیشنهادی داده نمی‌شود.',
      rows,
      topTags: tags.slice(0, 10).map((t) => ({ key: t.tag, label: TAG_LABELS_FA[t.tag] ?? t.tag, count: t.n })),
      comments: comments.slice(0, 50).map((c) => ({ trackingCode: c.trackingCode, answeredAt: c.answeredAt, overallScore: c.overallScore, comment: c.comment, tags: c.tags.map((t) => TAG_LABELS_FA[t] ?? t) })),
    };
  }

  type Review = Awaited<ReturnType<typeof review>>;
  const REVIEW_COLUMNS: Column[] = [
    { header: 'مرحله', key: 'title', width: 34 },
    { header: 'واحد مسئول', key: 'unit', width: 24 },
    { header: 'واحد زمان', key: 'timeUnitFa', width: 12 },
    { header: 'هدف', key: 'targetDays', numFmt: '0.00', width: 10 },
    { header: 'میانه (p50)', key: 'p50Days', numFmt: '0.00', width: 12 },
    { header: 'صدک ۹۰ (p90)', key: 'p90Days', numFmt: '0.00', width: 12 },
    { header: 'تعداد', key: 'count', numFmt: '0', width: 10 },
    { header: 'نرخ تأخیر (٪)', key: 'breachRatePercent', numFmt: '0.0', width: 12 },
    { header: 'رعایت موعد (٪)', key: 'compliancePercent', numFmt: '0.0', width: 12 },
    { header: 'رضایت (۱ تا ۵)', key: 'satisfaction', numFmt: '0.00', width: 12 },
    { header: 'تعداد پاسخ', key: 'satisfactionCount', numFmt: '0', width: 10 },
    { header: 'برچسب‌های پرتکرار', key: 'tags', width: 36 },
    { header: 'نظرهای ناراضی', key: 'comments', width: 60 },
    { header: 'هدف پیشنهادی', key: 'suggestedTargetDays', numFmt: '0.00', width: 12 },
    { header: 'دلیل پیشنهاد', key: 'suggestionFa', width: 60 },
  ];
  const COMMENT_COLUMNS: Column[] = [
    { header: 'کد رهگیری', key: 'trackingCode', width: 16 },
    { header: 'زمان پاسخ', key: 'answeredAt', width: 24 },
    { header: 'رضایت کلی', key: 'overallScore', numFmt: '0', width: 10 },
    { header: 'برچسب‌ها', key: 'tags', width: 40 },
    { header: 'نظر', key: 'comment', width: 80 },
  ];
  function reviewSheets(r: Review): Sheet[] {
    return [
      {
        name: 'بازنگری توافقنامه',
        columns: REVIEW_COLUMNS,
        rows: r.rows.map((x) => ({ ...x, tags: x.topTags.map((t) => `${t.label} (${t.count})`).join('؛ '), comments: x.lowScoreComments.join(' | ') })),
      },
      { name: 'نظرها', columns: COMMENT_COLUMNS, rows: r.comments.map((c) => ({ ...c, answeredAt: c.answeredAt.toISOString(), tags: c.tags.join('؛ ') })) },
    ];
  }

  return {
    /** Transition observer: writes the facts of steps that have just ended, inside the transition's transaction. */
    async recordFacts(trx: Trx, change: { row: RequestRow; to: string; at: Date; terminal: boolean }) {
      const row: RequestRow = { ...change.row, state: change.to, closedAt: change.terminal ? change.at : change.row.closedAt };
      await repo.insertFacts(trx, await factsOf(trx, row, change.at));
    },

    /** Recomputes the facts of every request from its events (after the migration, or a retroactive calendar change). */
    async rebuildFacts(options: { pageSize?: number; onProgress?: (done: number) => void } = {}) {
      const now = clock.now();
      let done = 0;
      let afterId: string | null = null;
      for (;;) {
        let q = db.selectFrom('requests').selectAll().orderBy('id').limit(options.pageSize ?? 500);
        if (afterId) q = q.where('id', '>', afterId);
        const page = await q.execute();
        if (page.length === 0) break;
        for (const row of page) await repo.insertFacts(db, await factsOf(db, row, now), { replace: true });
        done += page.length;
        afterId = page.at(-1)!.id;
        options.onProgress?.(done);
      }
      return { requests: done };
    },

    /** The supervisors' dashboard for a period (Tehran days), optionally one channel or office. */
    async dashboard(q: DashboardQuery) {
      const f = filterOf(q);
      const now = clock.now();
      const [byChannel, byOffice, figures, units, backlog, satStep, satChannel, weekly, monthly] = await Promise.all([
        repo.volumeByChannel(db, f), repo.volumeByOffice(db, f), repo.stepFigures(db, f), repo.breachesByUnit(db, f),
        repo.backlog(db, now, deps.openStates, { channel: q.channel, office: q.office }), repo.satisfactionByStep(db, f), repo.satisfactionByChannel(db, f),
        trend(q, weekBuckets(q.period)), trend(q, monthBuckets(q.period)),
      ]);
      const fig = (step: string) => figures.find((x) => x.step === step);
      const whole = fig('whole');
      const backlogStates = deps.openStates.map((state) => ({ key: state, label: deps.stateTitles[state] ?? state, value: backlog.filter((b) => b.state === state).reduce((s, b) => s + b.n, 0) }));
      const satTotal = satChannel.reduce((s, c) => s + c.n, 0);
      return {
        period: { from: q.period.from, to: q.period.to, start: q.period.start, end: q.period.end },
        filters: { channel: q.channel ?? null, office: q.office ?? null },
        generatedAt: now,
        volume: {
          total: byChannel.reduce((s, c) => s + c.n, 0),
          byChannel: CHANNELS.map((c) => ({ key: c, label: CHANNEL_LABELS_FA[c]!, value: byChannel.find((x) => x.channel === c)?.n ?? 0 })),
          byOffice: byOffice.map((o) => ({ key: o.officeCode, label: `دفتر پیشخوان ${toPersianDigits(o.officeCode)}`, value: o.n })),
        },
        compliance: {
          overall: { label: WHOLE_FA, value: whole ? percent(whole.compliant, whole.n) : null, compliant: whole?.compliant ?? 0, total: whole?.n ?? 0 },
          bySteps: COMPANY_STEPS.map((k) => ({ key: k, label: stepTitle(k), value: fig(k) ? percent(fig(k)!.compliant, fig(k)!.n) : null, compliant: fig(k)?.compliant ?? 0, total: fig(k)?.n ?? 0 })),
        },
        durations: [...COMPANY_STEPS, 'whole'].map((k) => ({ key: k, label: stepTitle(k), unit: 'working-minutes', p50: round1(fig(k)?.p50 ?? null), p90: round1(fig(k)?.p90 ?? null), target: fig(k)?.target ?? null, count: fig(k)?.n ?? 0 })),
        breaches: {
          total: COMPANY_STEPS.reduce((s, k) => s + (fig(k)?.breached ?? 0), 0),
          bySteps: COMPANY_STEPS.map((k) => ({ key: k, label: stepTitle(k), value: fig(k)?.breached ?? 0 })),
          byUnit: units.map((u) => ({ label: u.unit ?? 'نامشخص', value: u.n })),
        },
        backlog: {
          total: backlogStates.reduce((s, b) => s + b.value, 0),
          byState: backlogStates,
          byAge: AGE_BUCKETS.map((a) => ({ key: a.key, label: a.label, value: backlog.filter((b) => ageBucket(b.days).key === a.key).reduce((s, b) => s + b.n, 0) })),
          byStateAndAge: backlogStates.map((s) => ({ key: s.key, label: s.label, buckets: AGE_BUCKETS.map((a) => ({ key: a.key, label: a.label, value: backlog.filter((b) => b.state === s.key && ageBucket(b.days).key === a.key).reduce((t, b) => t + b.n, 0) })) })),
        },
        satisfaction: {
          overall: { label: 'رضایت کلی', value: satTotal ? Math.round((satChannel.reduce((s, c) => s + c.mean * c.n, 0) / satTotal) * 100) / 100 : null, count: satTotal },
          bySteps: ALL_STEPS.map((k) => { const s = satStep.find((x) => x.step === k); return { key: k, label: stepTitle(k), value: s ? Math.round(s.mean * 100) / 100 : null, count: s?.n ?? 0 }; }),
          byChannel: CHANNELS.map((c) => { const s = satChannel.find((x) => x.channel === c); return { key: c, label: CHANNEL_LABELS_FA[c]!, value: s ? Math.round(s.mean * 100) / 100 : null, count: s?.n ?? 0 }; }),
        },
        trends: { weekly, monthly },
      };
    },

    /** The agreement review table: per step target, p50/p90, breach rate, satisfaction, tags, comments, suggested target. */
    review,

    /** The review as an xlsx workbook (right to left, Persian headers, numbers as numbers). */
    async reviewXlsx(q: DashboardQuery) {
      const r = await review(q);
      return toXlsx(reviewSheets(r), { title: `بازنگری توافقنامه سطح خدمت ${r.period.from} تا ${r.period.to}` });
    },

    /** The review's main table as CSV (UTF-8 with BOM). */
    async reviewCsv(q: DashboardQuery) {
      return toCsv(reviewSheets(await review(q))[0]!);
    },
  };
}
