// Frozen in time: notifications — per-SMS delivery state, administrators' template texts with
// their history, staff tasks (phone an applicant an SMS did not reach), and the outbox's give-up
// instant.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    alter table outbox add column give_up_at timestamptz;

    create table sms_messages (
      id uuid primary key references outbox (id),
      request_id uuid references requests (id),
      tracking_code text,
      mobile text not null,
      template text not null,
      text text,
      must_act boolean not null default false,
      status text not null default 'queued' check (status in ('queued', 'sent', 'delivered', 'failed')),
      provider_message_id text,
      failure_reason text,
      created_at timestamptz not null,
      sent_at timestamptz,
      delivered_at timestamptz,
      failed_at timestamptz,
      status_checked_at timestamptz,
      next_status_check_at timestamptz,
      retry_of uuid references sms_messages (id),
      retried_at timestamptz,
      retried_by text
    );
    create index sms_messages_request on sms_messages (request_id, created_at);
    create index sms_messages_failed on sms_messages (failed_at desc) where status = 'failed';
    create index sms_messages_status_check on sms_messages (next_status_check_at) where next_status_check_at is not null;

    create table sms_templates (
      name text primary key,
      text text not null,
      version integer not null,
      updated_by text not null,
      updated_at timestamptz not null
    );

    create table sms_template_versions (
      name text not null,
      version integer not null,
      text text,
      updated_by text not null,
      updated_at timestamptz not null,
      primary key (name, version)
    );

    create table staff_tasks (
      id uuid primary key,
      kind text not null check (kind in ('call-applicant')),
      role text not null,
      request_id uuid not null references requests (id),
      tracking_code text not null,
      mobile text not null,
      sms_message_id uuid references sms_messages (id),
      reason_fa text not null,
      status text not null default 'open' check (status in ('open', 'done')),
      attempts integer not null default 0,
      outcome text check (outcome in ('reached', 'unreachable')),
      note text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      resolved_at timestamptz,
      resolved_by text
    );
    create unique index staff_tasks_one_open_call on staff_tasks (request_id) where status = 'open' and kind = 'call-applicant';
    create index staff_tasks_open on staff_tasks (role, created_at) where status = 'open';
  `).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    drop table if exists staff_tasks, sms_template_versions, sms_templates, sms_messages;
    alter table outbox drop column if exists give_up_at;
  `).execute(db);
}
