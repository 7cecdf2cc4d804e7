// Frozen in time: the first schema of Barq Desk. Never edit; add a new migration instead.
import { sql, type Kysely } from 'kysely';

const OPEN = `'submitted','awaiting-payment','meter-test','awaiting-acceptance','removal-scheduled','awaiting-settlement'`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    create table staff_users (
      id uuid primary key,
      username text not null unique,
      password_hash text not null,
      display_name text not null,
      roles text[] not null,
      office_code text,
      active boolean not null default true,
      created_at timestamptz not null
    );

    create table sessions (
      token_hash text primary key,
      subject_kind text not null check (subject_kind in ('staff', 'applicant')),
      staff_user_id uuid references staff_users (id),
      mobile text,
      created_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index sessions_expires_at on sessions (expires_at);

    create table otp_codes (
      id uuid primary key,
      mobile text not null,
      code_hash text not null,
      attempts integer not null default 0,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      consumed_at timestamptz
    );
    create index otp_codes_mobile on otp_codes (mobile, created_at desc);

    create table service_definitions (
      service text not null,
      version integer not null,
      content jsonb not null,
      published_at timestamptz not null,
      primary key (service, version)
    );

    create table sla_agreements (
      service text not null,
      version integer not null,
      valid_from date not null,
      valid_to date not null,
      targets jsonb not null,
      approved_by text not null,
      published_at timestamptz not null,
      primary key (service, version)
    );

    create table requests (
      id uuid primary key,
      tracking_code text not null unique,
      service text not null,
      service_version integer not null,
      agreement_version integer not null,
      channel text not null check (channel in ('web', 'app', 'pishkhan', 'counter')),
      office_code text,
      state text not null,
      version integer not null default 1,
      bill_id text not null,
      account_number text,
      relation text not null check (relation in ('owner', 'attorney')),
      person_type text not null check (person_type in ('natural', 'legal')),
      national_code text,
      national_id text,
      first_name text,
      last_name text,
      legal_name text,
      mobile text not null,
      reason text,
      connection jsonb not null,
      power_of_attorney jsonb,
      consents jsonb,
      meter_test jsonb,
      conditions jsonb,
      removal_schedule jsonb,
      removal jsonb,
      created_by text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      closed_at timestamptz,
      check ((person_type = 'natural' and national_code is not null) or (person_type = 'legal' and national_id is not null))
    );
    -- At most one open request per connection, enforced by the database (two clerks, two instances).
    create unique index requests_one_open_per_connection on requests (bill_id) where state in (${OPEN});
    create index requests_state_created on requests (state, created_at);
    create index requests_mobile on requests (mobile);
    create index requests_office on requests (office_code) where office_code is not null;

    create table request_events (
      id bigint generated always as identity primary key,
      request_id uuid not null references requests (id),
      action text not null,
      from_state text,
      to_state text not null,
      actor_kind text not null check (actor_kind in ('staff', 'applicant', 'system')),
      actor_id text,
      actor_role text not null,
      channel text,
      at timestamptz not null,
      reason text,
      payload jsonb not null default '{}'
    );
    create index request_events_request on request_events (request_id, id);

    create function request_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'request_events is append-only';
    end $$;
    create trigger request_events_no_change before update or delete on request_events
      for each row execute function request_events_append_only();

    create table outbox (
      id uuid primary key,
      kind text not null,
      request_id uuid references requests (id),
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
      attempts integer not null default 0,
      available_at timestamptz not null,
      created_at timestamptz not null,
      sent_at timestamptz,
      provider_message_id text,
      last_error text
    );
    create index outbox_due on outbox (available_at) where status = 'pending';
    create index outbox_request on outbox (request_id);

    create table tariff_versions (
      id uuid primary key,
      effective_from timestamptz not null unique,
      note text,
      is_demo boolean not null default false,
      created_by text not null,
      created_at timestamptz not null
    );

    create table tariff_items (
      id uuid primary key,
      version_id uuid not null references tariff_versions (id),
      code text not null,
      kind text not null check (kind in ('removal-fee', 'meter-test-fee', 'pishkhan-fee', 'reconnection-fee', 'damage')),
      phase integer,
      amperes integer,
      title_fa text not null,
      amount_rials bigint not null check (amount_rials >= 0),
      unique (version_id, code)
    );

    create sequence amount_due_file_number start with 10000001;

    create table amounts_due (
      id uuid primary key,
      request_id uuid not null references requests (id),
      stage text not null check (stage in ('quote', 'settlement')),
      purpose text not null,
      title_fa text not null,
      amount_rials bigint not null check (amount_rials > 0),
      bill_id text not null,
      payment_id text not null,
      tariff_items jsonb not null default '[]',
      created_at timestamptz not null,
      paid_at timestamptz,
      unique (bill_id, payment_id)
    );
    create index amounts_due_request on amounts_due (request_id);

    create table payments (
      id uuid primary key,
      amount_due_id uuid not null references amounts_due (id),
      request_id uuid not null references requests (id),
      method text not null check (method in ('online', 'counter', 'bank')),
      amount_rials bigint not null check (amount_rials > 0),
      status text not null check (status in ('pending', 'verified', 'failed')),
      gateway_token text unique,
      reference text,
      created_at timestamptz not null,
      verified_at timestamptz,
      recorded_by text
    );
    -- No unique "one verified payment per amount": money received twice must still be recorded (and flagged).
    create index payments_amount_due on payments (amount_due_id);

    create table connections (
      bill_id text primary key,
      state text not null check (state in ('active', 'temporarily-removed')),
      removed_at timestamptz,
      final_reading bigint,
      meter_serial text,
      meter_destination text,
      request_id uuid references requests (id),
      updated_at timestamptz not null
    );

    create table idempotency_keys (
      scope text not null,
      key text not null,
      request_hash text not null,
      response_status integer,
      response_body jsonb,
      created_at timestamptz not null,
      primary key (scope, key)
    );
  `).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    drop table if exists idempotency_keys, connections, payments, amounts_due, tariff_items, tariff_versions,
      outbox, request_events, requests, sla_agreements, service_definitions, otp_codes, sessions, staff_users cascade;
    drop sequence if exists amount_due_file_number;
    drop function if exists request_events_append_only;
  `).execute(db);
}
