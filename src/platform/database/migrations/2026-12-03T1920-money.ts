// Frozen in time: money — quote expiry on amounts due, counter (POS / cash) payments with the
// gateway's trace details, bank-channel payments reported by billing, the log of every gateway
// callback, and the flags finance reviews (late, double or mismatched money: recorded, never lost).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    alter table amounts_due add column expires_at timestamptz;
    alter table amounts_due add column tariff_version_id uuid references tariff_versions (id);

    alter table payments drop constraint if exists payments_method_check;
    alter table payments add constraint payments_method_check check (method in ('online', 'counter', 'bank', 'pos', 'cash'));
    alter table payments add column trace_no text;
    alter table payments add column rrn text;
    alter table payments add column masked_pan text;
    -- One verified payment per reference and channel: a gateway RefNum, a POS RRN or a bank
    -- reference cannot be counted twice.
    create unique index payments_verified_reference on payments (method, reference) where status = 'verified' and reference is not null;
    create index payments_verified_at on payments (verified_at) where status = 'verified';

    create table bank_payments (
      id uuid primary key,
      sequence bigint not null unique,
      reference text not null unique,
      bill_id text not null,
      payment_id text not null,
      amount_rials bigint not null check (amount_rials > 0),
      paid_at timestamptz not null,
      received_at timestamptz not null,
      status text not null check (status in ('matched', 'unmatched', 'amount-mismatch')),
      amount_due_id uuid references amounts_due (id),
      payment_row_id uuid references payments (id)
    );
    create index bank_payments_received on bank_payments (received_at);

    create table payment_callbacks (
      id uuid primary key,
      received_at timestamptz not null,
      outcome text not null,
      payment_row_id uuid references payments (id),
      token text,
      ref_num text,
      res_num text,
      amount text,
      state text
    );
    create index payment_callbacks_received on payment_callbacks (received_at);

    create table payment_flags (
      id uuid primary key,
      kind text not null check (kind in ('after-expiry', 'request-closed', 'double-payment', 'amount-mismatch', 'unmatched-bank-payment')),
      request_id uuid references requests (id),
      amount_due_id uuid references amounts_due (id),
      payment_row_id uuid references payments (id),
      bank_payment_id uuid references bank_payments (id),
      amount_rials bigint not null,
      details jsonb not null default '{}',
      created_at timestamptz not null,
      resolved_at timestamptz,
      resolved_by text,
      resolution_note text
    );
    create index payment_flags_open on payment_flags (created_at) where resolved_at is null;
    create index payment_flags_created on payment_flags (created_at);
  `).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    drop table if exists payment_flags, payment_callbacks, bank_payments;
    drop index if exists payments_verified_reference;
    drop index if exists payments_verified_at;
    alter table payments drop column if exists trace_no, drop column if exists rrn, drop column if exists masked_pan;
    alter table payments drop constraint if exists payments_method_check;
    alter table payments add constraint payments_method_check check (method in ('online', 'counter', 'bank'));
    alter table amounts_due drop column if exists expires_at, drop column if exists tariff_version_id;
  `).execute(db);
}
