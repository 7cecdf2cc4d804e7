// Frozen in time: satisfaction surveys (feedback), per-step SLA facts for the dashboards and the
// agreement review (reports), worker heartbeats (readiness), and the event log's append-only
// guarantee extended to TRUNCATE and spelled out in privileges.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    create table surveys (
      id uuid primary key,
      request_id uuid not null unique references requests (id),
      token_hash text not null unique,
      outcome text not null,
      channel text not null,
      office_code text,
      steps text[] not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      answered_at timestamptz,
      overall_score smallint check (overall_score between 1 and 5),
      comment text,
      tags text[] not null default '{}'
    );
    create index surveys_answered on surveys (answered_at) where answered_at is not null;

    create table survey_step_scores (
      survey_id uuid not null references surveys (id),
      step text not null,
      score smallint not null check (score between 1 and 5),
      primary key (survey_id, step)
    );

    -- One row per SLA step that has ended (and one 'whole' row per closed request), written in the
    -- transaction of the transition that ended it, so reports never replay events.
    create table sla_step_facts (
      request_id uuid not null references requests (id),
      step text not null,
      clock text not null check (clock in ('company', 'applicant', 'whole')),
      unit text,
      started_at timestamptz not null,
      ended_at timestamptz not null,
      working_minutes numeric not null,
      calendar_minutes numeric not null,
      target_minutes numeric not null,
      breached boolean not null,
      channel text not null,
      office_code text,
      agreement_version integer not null,
      primary key (request_id, step, started_at)
    );
    create index sla_step_facts_ended on sla_step_facts (ended_at, step);

    create index requests_created_at on requests (created_at);
    create index request_events_at on request_events (at);

    create table worker_heartbeats (
      worker_id text primary key,
      host text not null,
      pid integer not null,
      started_at timestamptz not null,
      beat_at timestamptz not null
    );

    -- The row trigger refuses UPDATE and DELETE for everyone; TRUNCATE fires no row trigger, so a
    -- statement trigger refuses it too. Only the table's owner could drop these triggers: the app's
    -- role must not own the table (README, "Monitoring and reports").
    create trigger request_events_no_truncate before truncate on request_events
      for each statement execute function request_events_append_only();
    revoke update, delete, truncate on request_events from public;
  `).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    drop trigger if exists request_events_no_truncate on request_events;
    drop index if exists requests_created_at;
    drop index if exists request_events_at;
    drop table if exists worker_heartbeats, sla_step_facts, survey_step_scores, surveys;
  `).execute(db);
}
