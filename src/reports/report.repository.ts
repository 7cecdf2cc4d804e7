// SQL for monitoring and reports. The dashboards read the per-step facts (written when each step
// ends), requests and surveys, and aggregate in the database: counts, percentile_cont, Jalali
// week/month buckets through width_bucket over boundaries computed in TypeScript. This is a read
// model: it reads other domains' tables but writes only sla_step_facts.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../platform/database/schema.ts';
import type { StepFact } from './facts.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface ReportFilter {
  start: Date;
  end: Date;
  channel?: string | undefined;
  office?: string | undefined;
}

/** `and channel = … and office_code = …` for the filters that are set (column prefix optional). */
function slice(f: ReportFilter, prefix = ''): RawBuilder<unknown> {
  const parts: Array<RawBuilder<unknown>> = [];
  if (f.channel) parts.push(sql`and ${sql.ref(`${prefix}channel`)} = ${f.channel}`);
  if (f.office) parts.push(sql`and ${sql.ref(`${prefix}office_code`)} = ${f.office}`);
  return parts.length ? sql.join(parts, sql` `) : sql``;
}

/** A timestamptz[] literal as one text parameter (the same on pg and PGlite). */
const instants = (boundaries: Date[]) => sql`${`{${boundaries.map((b) => `"${b.toISOString()}"`).join(',')}}`}::timestamptz[]`;

const rows = async <T>(db: Executor, query: RawBuilder<T>) => (await query.execute(db)).rows;

export const reportRepository = {
  /** Writes facts of ended steps; a fact already written (same request, step, start) is kept, or replaced when `replace`. */
  async insertFacts(db: Executor, facts: StepFact[], options: { replace?: boolean } = {}) {
    if (facts.length === 0) return;
    await db
      .insertInto('slaStepFacts')
      .values(facts)
      .onConflict((oc) => {
        const target = oc.columns(['requestId', 'step', 'startedAt']);
        return options.replace
          ? target.doUpdateSet((eb) => ({
              endedAt: eb.ref('excluded.endedAt'), workingMinutes: eb.ref('excluded.workingMinutes'), calendarMinutes: eb.ref('excluded.calendarMinutes'),
              targetMinutes: eb.ref('excluded.targetMinutes'), breached: eb.ref('excluded.breached'), unit: eb.ref('excluded.unit'),
            }))
          : target.doNothing();
      })
      .execute();
  },

  /** Requests filed in the period, by channel. */
  volumeByChannel(db: Executor, f: ReportFilter) {
    return rows(db, sql<{ channel: string; n: number }>`select channel, count(*)::int as n from requests
      where created_at >= ${f.start} and created_at < ${f.end} ${slice(f)} group by channel order by n desc, channel`);
  },

  /** Requests filed in the period through Pishkhan offices, by office. */
  volumeByOffice(db: Executor, f: ReportFilter) {
    return rows(db, sql<{ officeCode: string; n: number }>`select office_code, count(*)::int as n from requests
      where created_at >= ${f.start} and created_at < ${f.end} and office_code is not null ${slice(f)} group by office_code order by n desc, office_code`);
  },

  /**
   * Per step (and 'whole'), over facts whose step ended in the period: count, compliant, breached,
   * p50/p90 of the step's measure (company and whole: working minutes; applicant: calendar minutes).
   */
  stepFigures(db: Executor, f: ReportFilter) {
    return rows(db, sql<{ step: string; clock: string; n: number; compliant: number; breached: number; p50: number | null; p90: number | null; target: number | null }>`
      select step, clock, count(*)::int as n,
        count(*) filter (where not breached)::int as compliant,
        count(*) filter (where breached)::int as breached,
        percentile_cont(0.5) within group (order by case when clock = 'applicant' then calendar_minutes else working_minutes end)::float8 as p50,
        percentile_cont(0.9) within group (order by case when clock = 'applicant' then calendar_minutes else working_minutes end)::float8 as p90,
        max(target_minutes)::float8 as target
      from sla_step_facts
      where ended_at >= ${f.start} and ended_at < ${f.end} ${slice(f)}
      group by step, clock`);
  },

  /** Breached company steps that ended in the period, by the unit answerable. */
  breachesByUnit(db: Executor, f: ReportFilter) {
    return rows(db, sql<{ unit: string | null; n: number }>`select unit, count(*)::int as n from sla_step_facts
      where clock = 'company' and breached and ended_at >= ${f.start} and ended_at < ${f.end} ${slice(f)}
      group by unit order by n desc, unit`);
  },

  /** Open requests now, by state and whole days since filing (capped at 30). */
  backlog(db: Executor, now: Date, openStates: readonly string[], f: Omit<ReportFilter, 'start' | 'end'>) {
    const filter = { start: now, end: now, ...f };
    return rows(db, sql<{ state: string; days: number; n: number }>`
      select state, least(floor(extract(epoch from (${now}::timestamptz - created_at)) / 86400), 30)::int as days, count(*)::int as n
      from requests where state in (${sql.join(openStates)}) ${slice(filter)}
      group by 1, 2`);
  },

  /** Mean score per step, of surveys answered in the period. */
  satisfactionByStep(db: Executor, f: ReportFilter) {
    return rows(db, sql<{ step: string; mean: number; n: number }>`select ss.step, avg(ss.score)::float8 as mean, count(*)::int as n
      from survey_step_scores ss join surveys s on s.id = ss.survey_id
      where s.answered_at >= ${f.start} and s.answered_at < ${f.end} ${slice(f, 's.')}
      group by ss.step`);
  },

  /** Mean overall score by channel, of surveys answered in the period. */
  satisfactionByChannel(db: Executor, f: ReportFilter) {
    return rows(db, sql<{ channel: string; mean: number; n: number }>`select channel, avg(overall_score)::float8 as mean, count(*)::int as n
      from surveys where answered_at >= ${f.start} and answered_at < ${f.end} ${slice(f)}
      group by channel order by channel`);
  },

  /** Filed and completed requests, and whole-request compliance, per bucket (1-based index into the boundaries). */
  async trend(db: Executor, f: ReportFilter, boundaries: Date[]) {
    const b = instants(boundaries);
    const [filed, completed, compliance] = await Promise.all([
      rows(db, sql<{ bucket: number; n: number }>`select width_bucket(created_at, ${b}) as bucket, count(*)::int as n from requests
        where created_at >= ${f.start} and created_at < ${f.end} ${slice(f)} group by 1`),
      rows(db, sql<{ bucket: number; n: number }>`select width_bucket(closed_at, ${b}) as bucket, count(*)::int as n from requests
        where state = 'completed' and closed_at >= ${f.start} and closed_at < ${f.end} ${slice(f)} group by 1`),
      rows(db, sql<{ bucket: number; n: number; compliant: number }>`select width_bucket(ended_at, ${b}) as bucket, count(*)::int as n, count(*) filter (where not breached)::int as compliant
        from sla_step_facts where step = 'whole' and ended_at >= ${f.start} and ended_at < ${f.end} ${slice(f)} group by 1`),
    ]);
    return { filed, completed, compliance };
  },

  /** The survey tags chosen in the period, most frequent first. */
  tagCounts(db: Executor, f: ReportFilter) {
    return rows(db, sql<{ tag: string; n: number }>`select tag, count(*)::int as n from surveys, unnest(tags) as tag
      where answered_at >= ${f.start} and answered_at < ${f.end} ${slice(f)} group by tag order by n desc, tag`);
  },

  /** Answered surveys with a comment in the period, newest first, with each step's score. */
  comments(db: Executor, f: ReportFilter, limit: number) {
    return rows(db, sql<{ trackingCode: string; answeredAt: Date; overallScore: number; comment: string; tags: string[]; scores: Record<string, number> | null }>`
      select r.tracking_code, s.answered_at, s.overall_score, s.comment, s.tags,
        (select jsonb_object_agg(ss.step, ss.score) from survey_step_scores ss where ss.survey_id = s.id) as scores
      from surveys s join requests r on r.id = s.request_id
      where s.comment is not null and s.comment <> '' and s.answered_at >= ${f.start} and s.answered_at < ${f.end} ${slice(f, 's.')}
      order by s.answered_at desc limit ${limit}`);
  },

  /** SLA alerts fired so far, by kind (warning-50, warning-75, breach, reminders, deadlines). */
  slaAlertTotals(db: Executor) {
    return rows(db, sql<{ kind: string; n: number }>`select kind, count(*)::int as n from sla_alerts group by kind`);
  },

  /** A page of events (newest first) matching the audit filters, with the total. */
  async auditPage(db: Executor, f: AuditFilter, page: number, pageSize: number) {
    const where = auditWhere(f);
    const [items, total] = await Promise.all([
      rows(db, sql<AuditRow>`${AUDIT_SELECT} ${where} order by e.id desc limit ${pageSize} offset ${(page - 1) * pageSize}`),
      rows(db, sql<{ n: number }>`select count(*)::int as n from request_events e join requests r on r.id = e.request_id ${where}`),
    ]);
    return { items, total: total[0]?.n ?? 0 };
  },

  /** Events matching the audit filters in id order after `afterId` (keyset paging for exports). */
  auditBatch(db: Executor, f: AuditFilter, afterId: number, limit: number) {
    return rows(db, sql<AuditRow>`${AUDIT_SELECT} ${auditWhere(f)} and e.id > ${afterId} order by e.id limit ${limit}`);
  },
};

export interface AuditFilter {
  start?: Date | undefined;
  end?: Date | undefined;
  action?: string | undefined;
  actorRole?: string | undefined;
  trackingCode?: string | undefined;
}

export interface AuditRow {
  id: number;
  trackingCode: string;
  action: string;
  fromState: string | null;
  toState: string;
  actorKind: string;
  actorId: string | null;
  actorRole: string;
  channel: string | null;
  at: Date;
  reason: string | null;
  payload: unknown;
}

const AUDIT_SELECT = sql`select e.id, r.tracking_code, e.action, e.from_state, e.to_state, e.actor_kind, e.actor_id, e.actor_role, e.channel, e.at, e.reason, e.payload
  from request_events e join requests r on r.id = e.request_id`;

function auditWhere(f: AuditFilter) {
  const parts: Array<RawBuilder<unknown>> = [sql`where true`];
  if (f.start) parts.push(sql`and e.at >= ${f.start}`);
  if (f.end) parts.push(sql`and e.at < ${f.end}`);
  if (f.action) parts.push(sql`and e.action = ${f.action}`);
  if (f.actorRole) parts.push(sql`and e.actor_role = ${f.actorRole}`);
  if (f.trackingCode) parts.push(sql`and r.tracking_code = ${f.trackingCode}`);
  return sql.join(parts, sql` `);
}
