// Frozen in time: the SLA engine's tables — holidays, closures, settings, alerts, staff inbox —
// and the request's next SLA check.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    create table holidays (
      id uuid primary key,
      date date not null,
      jalali text not null,
      title text not null,
      kind text not null check (kind in ('solar', 'lunar', 'ad-hoc')),
      source text not null check (source in ('official', 'admin')),
      created_by text not null,
      created_at timestamptz not null,
      unique (date, title)
    );
    create index holidays_date on holidays (date);

    create table calendar_closures (
      id uuid primary key,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      title text not null,
      created_by text not null,
      created_at timestamptz not null,
      check (ends_at > starts_at)
    );

    create table settings (
      key text primary key,
      value jsonb not null,
      updated_by text not null,
      updated_at timestamptz not null
    );

    create table sla_alerts (
      id uuid primary key,
      request_id uuid references requests (id),
      step text not null,
      step_started_at timestamptz not null,
      kind text not null,
      fired_at timestamptz not null,
      details jsonb not null default '{}',
      unique nulls not distinct (request_id, step, step_started_at, kind)
    );
    create index sla_alerts_fired on sla_alerts (fired_at);

    create table staff_notifications (
      id uuid primary key,
      role text not null,
      request_id uuid references requests (id),
      kind text not null,
      text_fa text not null,
      created_at timestamptz not null,
      read_at timestamptz,
      read_by text
    );
    create index staff_notifications_role on staff_notifications (role, created_at desc);

    alter table requests add column sla_next_check_at timestamptz;
    alter table requests add column escalated_at timestamptz;
    create index requests_sla_next_check on requests (sla_next_check_at) where sla_next_check_at is not null;
  `).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    drop index if exists requests_sla_next_check;
    alter table requests drop column if exists sla_next_check_at, drop column if exists escalated_at;
    drop table if exists staff_notifications, sla_alerts, settings, calendar_closures, holidays;
  `).execute(db);
}
