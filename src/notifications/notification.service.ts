// Notifications: Persian SMS rendered from templates (built-in text, or an administrator's edit
// stored in the database), written to the outbox inside the caller's transaction together with
// the message's delivery record, sent after commit by the dispatcher (the outbox id is the
// provider's de-duplication key), followed by polled delivery receipts. A message the applicant
// must act on that does not arrive opens a task for a clerk to phone them and stops the
// applicant's clock (a `contact-lost` event) until the clerk reaches them (`contact-restored`).
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database/schema.ts';
import { AppError } from '../platform/errors.ts';
import type { Outbox } from '../platform/outbox.ts';
import { notificationRepository as repo, type SmsMessageRow, type SmsStatusValue, type StaffTaskRow } from './notification.repository.ts';
import type { SmsProvider } from './sms.adapter.ts';
import {
  isTemplateName, renderTemplate, sampleOf, smsLength, SMS_TEMPLATES, TEMPLATE_FIELDS, TEMPLATE_NAMES, templateDefinition, templateTextProblem, type SmsTemplateName,
} from './templates.ts';

type Trx = Transaction<Database>;

export interface SmsMessage {
  to: string;
  template: SmsTemplateName;
  data: Record<string, string | number>;
  requestId?: string | null;
}

/** What notifications ask of the lifecycle, inside their own transaction. */
export interface ContactPort {
  /** The request's tracking code and mobile if it is still in `state` (waiting for the applicant), else null. */
  awaiting(trx: Trx, requestId: string, state: string): Promise<{ trackingCode: string; mobile: string } | null>;
  /** Appends an in-state `contact-lost` / `contact-restored` event and has the SLA job look at the request again. */
  record(trx: Trx, requestId: string, action: 'contact-lost' | 'contact-restored', input: { reason: string; payload: Record<string, unknown>; actorId: string; actorRole: string }): Promise<void>;
}

/** A sign-in code is worth nothing once it has expired: stop trying to send it then. */
const OTP_SEND_WINDOW_MS = 2 * 60_000;
/** First delivery-receipt question a minute after the provider accepted; then at growing intervals up to an hour. */
const FIRST_RECEIPT_CHECK_MS = 60_000;
const MAX_RECEIPT_INTERVAL_MS = 3_600_000;
/** Stop asking after three days; the message stays `sent` (no receipt). */
const RECEIPT_WINDOW_MS = 3 * 86_400_000;
const RECEIPT_LEASE_MS = 5 * 60_000;

export const SMS_STATUS_FA: Record<SmsStatusValue, string> = {
  queued: 'در صف ارسال',
  sent: 'ارسال شد',
  delivered: 'به گیرنده رسید',
  failed: 'ناموفق',
};

function failureReasonFa(reason: string | null): string | null {
  if (!reason) return null;
  if (reason === 'undelivered') return 'به گیرنده نرسید (گوشی خاموش، خارج از دسترس یا مسدود).';
  return 'سامانه پیامک پیام را نپذیرفت یا پاسخ نداد.';
}

/** The staff view of one SMS: delivery status and timestamps; a sign-in code's text never appears. */
export function toMessageView(row: SmsMessageRow) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: row.id,
    requestId: row.requestId,
    trackingCode: row.trackingCode,
    to: row.mobile,
    template: row.template,
    title: isTemplateName(row.template) ? SMS_TEMPLATES[row.template].title : row.template,
    text: row.template === 'otp' ? null : row.text,
    mustAct: row.mustAct,
    status: row.status,
    statusTitle: SMS_STATUS_FA[row.status],
    createdAt: row.createdAt.toISOString(),
    sentAt: iso(row.sentAt),
    deliveredAt: iso(row.deliveredAt),
    failedAt: iso(row.failedAt),
    statusCheckedAt: iso(row.statusCheckedAt),
    failureReason: row.failureReason,
    failureReasonFa: failureReasonFa(row.failureReason),
    retryOf: row.retryOf,
    retriedAt: iso(row.retriedAt),
    retriedBy: row.retriedBy,
  };
}

/** The staff view of a task. */
export function toTaskView(row: StaffTaskRow) {
  return {
    id: row.id,
    kind: row.kind,
    role: row.role,
    trackingCode: row.trackingCode,
    mobile: row.mobile,
    smsMessageId: row.smsMessageId,
    reason: row.reasonFa,
    status: row.status,
    attempts: row.attempts,
    outcome: row.outcome,
    note: row.note,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolvedBy: row.resolvedBy,
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;

export function createNotificationService(deps: { db: Kysely<Database>; clock: Clock; outbox: Outbox; sms: SmsProvider; log: FastifyBaseLogger }) {
  const { db, clock, outbox, sms, log } = deps;
  let contact: ContactPort | null = null;

  /** A must-act message did not arrive: open a call task and stop the applicant's clock (once per lost contact). */
  async function deliveryFailed(trx: Trx, row: SmsMessageRow) {
    const awaits = isTemplateName(row.template) ? templateDefinition(row.template).awaits : undefined;
    if (!awaits || !row.requestId || !contact) return;
    const request = await contact.awaiting(trx, row.requestId, awaits);
    if (!request) return; // the applicant has acted already (or the request has closed)
    const title = SMS_TEMPLATES[row.template as SmsTemplateName].title;
    const task = await repo.insertCallTask(trx, {
      id: randomUUID(), role: 'clerk', requestId: row.requestId, trackingCode: request.trackingCode, mobile: request.mobile, smsMessageId: row.id,
      reasonFa: `پیامک «${title}» به متقاضی نرسید؛ با او تماس بگیرید و مطلب را اطلاع دهید. تا برقراری تماس، مهلت متقاضی متوقف است.`,
      createdAt: clock.now(),
    });
    if (!task) return; // contact is already lost and a clerk is on it
    await contact.record(trx, row.requestId, 'contact-lost', {
      reason: `پیامک «${title}» به متقاضی نرسید`, payload: { smsMessageId: row.id, template: row.template, taskId: task.id }, actorId: 'system:notifications', actorRole: 'system',
    });
    log.warn({ trackingCode: request.trackingCode, template: row.template }, 'must-act SMS failed; call task opened');
  }

  outbox.register(
    'sms',
    async (message) => {
      const payload = message.payload as { to: string; text: string };
      // The outbox id is the provider's de-duplication key: a retry after a crash does not double-send.
      const result = await sms.send({ to: payload.to, text: payload.text, localId: message.id });
      return { providerMessageId: result.providerMessageId };
    },
    {
      async onSent(trx, message, result) {
        const at = clock.now();
        await repo.markAccepted(trx, message.id, { providerMessageId: result?.providerMessageId ?? null, at, nextCheckAt: new Date(at.getTime() + FIRST_RECEIPT_CHECK_MS) });
        if ((message.payload as { template?: string }).template === 'otp') await outbox.redact(trx, message.id, ['text']);
      },
      async onGiveUp(trx, message, reason) {
        const row = await repo.markFailed(trx, message.id, { at: clock.now(), reason });
        if ((message.payload as { template?: string }).template === 'otp') await outbox.redact(trx, message.id, ['text']);
        if (row) await deliveryFailed(trx, row);
      },
    },
  );

  /** The text in force for a template: the administrator's edit, else the built-in one. */
  async function textOf(executor: Kysely<Database> | Trx, name: SmsTemplateName) {
    return (await repo.findTemplate(executor, name))?.text ?? null;
  }

  async function templateView(name: SmsTemplateName, custom?: { text: string; version: number; updatedBy: string; updatedAt: Date }) {
    const def = templateDefinition(name);
    const text = custom?.text ?? def.text;
    const sample = sampleOf(name);
    const rendered = renderTemplate(text, sample);
    const length = smsLength(rendered);
    return {
      name,
      title: def.title,
      text,
      builtInText: def.text,
      fields: [...def.fields],
      fieldTitles: Object.fromEntries(def.fields.map((f) => [f, TEMPLATE_FIELDS[f].title])),
      sample,
      rendered,
      segments: length.segments,
      characters: length.characters,
      encoding: length.encoding,
      mustAct: def.awaits !== undefined,
      custom: custom !== undefined,
      version: custom?.version ?? 0,
      updatedBy: custom?.updatedBy ?? null,
      updatedAt: custom?.updatedAt.toISOString() ?? null,
    };
  }

  function checkText(name: SmsTemplateName, text: string) {
    const problem = templateTextProblem(name, text);
    if (problem) throw new AppError(problem.field ? 'UNKNOWN_TEMPLATE_FIELD' : 'VALIDATION_FAILED', problem.messageFa, { field: 'text', ...(problem.field ? { templateField: problem.field } : {}), allowed: [...templateDefinition(name).fields] });
  }

  function knownTemplate(name: string): SmsTemplateName {
    if (!isTemplateName(name)) throw new AppError('NOT_FOUND', 'الگوی پیامکی با این نام وجود ندارد.');
    return name;
  }

  return {
    /** Connects the lifecycle (contact events on requests); set once at composition. */
    connect(port: ContactPort) {
      contact = port;
    },

    /** Renders a template and writes the SMS and its delivery record to the outbox in the caller's transaction; returns its id. */
    async enqueueSms(trx: Trx | Kysely<Database>, message: SmsMessage): Promise<string> {
      const def = templateDefinition(message.template);
      const custom = await textOf(trx, message.template);
      let text: string;
      try {
        text = renderTemplate(custom ?? def.text, message.data);
      } catch (error) {
        if (custom === null) throw error;
        // An edited text never references an unknown field (refused on save); this is a safety net.
        log.error({ err: error, template: message.template }, 'edited SMS template failed to render; using the built-in text');
        text = renderTemplate(def.text, message.data);
      }
      const otp = message.template === 'otp';
      const id = await outbox.add(trx, {
        kind: 'sms', requestId: message.requestId ?? null, payload: { to: message.to, template: message.template, text },
        ...(otp ? { maxAgeMs: OTP_SEND_WINDOW_MS } : {}),
      });
      const trackingCode = message.data['trackingCode'];
      await repo.insertMessage(trx, {
        id, requestId: message.requestId ?? null, trackingCode: typeof trackingCode === 'string' ? trackingCode : null, mobile: message.to,
        template: message.template, text: otp ? null : text, mustAct: def.awaits !== undefined, createdAt: clock.now(),
      });
      return id;
    },

    /** Sends the given messages now instead of on the worker's next tick (one-time codes, post-commit). */
    sendNow: (ids: string[]) => outbox.dispatch({ ids }),

    /** One run of the receipts job: asks the provider about messages in flight; returns how many it asked about. */
    async pollReceipts(options: { limit?: number } = {}): Promise<number> {
      const now = clock.now();
      const due = await repo.claimReceiptChecks(db, { now, leaseUntil: new Date(now.getTime() + RECEIPT_LEASE_MS), limit: options.limit ?? 500 });
      if (due.length === 0) return 0;
      let receipts;
      try {
        receipts = await sms.status(due.map((d) => d.providerMessageId!));
      } catch (error) {
        log.warn({ err: error }, 'SMS delivery receipts unavailable; asking again after the lease');
        return 0;
      }
      const byProviderId = new Map(receipts.map((r) => [r.providerMessageId, r.status]));
      for (const message of due) {
        const status = byProviderId.get(message.providerMessageId!);
        await db
          .transaction()
          .execute(async (trx) => {
            const at = clock.now();
            if (status === 'delivered') await repo.markDelivered(trx, message.id, at);
            else if (status === 'failed') {
              const row = await repo.markFailed(trx, message.id, { at, reason: 'undelivered' });
              if (row) await deliveryFailed(trx, row);
            } else {
              const age = at.getTime() - (message.sentAt ?? at).getTime();
              const next = age > RECEIPT_WINDOW_MS ? null : new Date(at.getTime() + Math.min(MAX_RECEIPT_INTERVAL_MS, Math.max(FIRST_RECEIPT_CHECK_MS, age)));
              await repo.markChecked(trx, message.id, { at, nextCheckAt: next });
            }
          })
          .catch((error: unknown) => log.warn({ err: error, smsId: message.id }, 'recording a delivery receipt failed; asking again after the lease'));
      }
      return due.length;
    },

    /** The SMS of one request, oldest first, with their delivery status. */
    messagesOfRequest: async (requestId: string) => (await repo.messagesOfRequest(db, requestId)).map(toMessageView),

    /** Messages by delivery status (the failed queue leaves out those already sent again), newest first. */
    listMessages: async (filter: { status?: SmsStatusValue; limit?: number }) =>
      (await repo.messagesByStatus(db, { ...(filter.status ? { status: filter.status } : {}), limit: filter.limit ?? 100 })).map(toMessageView),

    /** Sends a failed message again as a new message (a new provider key) and takes it off the failed queue. */
    async retry(id: string, by: string) {
      const newId = await db.transaction().execute(async (trx) => {
        const row = await repo.findMessageForUpdate(trx, id);
        if (!row) throw new AppError('NOT_FOUND', 'پیامکی با این شناسه یافت نشد.');
        if (row.status !== 'failed' || row.retriedAt) throw new AppError('PRECONDITION_FAILED', 'فقط پیامک ناموفقی که هنوز دوباره فرستاده نشده، دوباره فرستاده می‌شود.');
        if (row.template === 'otp' || row.text === null) throw new AppError('PRECONDITION_FAILED', 'کد یکبارمصرف دوباره فرستاده نمی‌شود؛ متقاضی باید کد تازه بگیرد.');
        const at = clock.now();
        const fresh = await outbox.add(trx, { kind: 'sms', requestId: row.requestId, payload: { to: row.mobile, template: row.template, text: row.text } });
        await repo.insertMessage(trx, { id: fresh, requestId: row.requestId, trackingCode: row.trackingCode, mobile: row.mobile, template: row.template, text: row.text, mustAct: row.mustAct, createdAt: at, retryOf: row.id });
        await repo.markRetried(trx, row.id, { at, by });
        return fresh;
      });
      await outbox.dispatch({ ids: [newId] }).catch((error: unknown) => log.warn({ err: error }, 'post-commit dispatch failed'));
      return toMessageView((await repo.findMessage(db, newId))!);
    },

    // ---- templates (administration) ----

    /** Every template with its text in force, fields, sample, rendered sample and length. */
    async listTemplates() {
      const custom = new Map((await repo.listTemplates(db)).map((t) => [t.name, t]));
      return Promise.all(TEMPLATE_NAMES.map((name) => templateView(name, custom.get(name))));
    },

    /** Saves an administrator's text (versioned, with who and when); UNKNOWN_TEMPLATE_FIELD names a field the template does not have. */
    async putTemplate(name: string, text: string, by: string) {
      const template = knownTemplate(name);
      checkText(template, text);
      const saved = await db.transaction().execute(async (trx) => {
        const version = (await repo.latestTemplateVersion(trx, template)) + 1;
        const row = { name: template, text, version, updatedBy: by, updatedAt: clock.now() };
        await repo.insertTemplateVersion(trx, row);
        await repo.upsertTemplate(trx, row);
        return row;
      });
      log.info({ template, version: saved.version, by }, 'SMS template edited');
      return templateView(template, saved);
    },

    /** Returns a template to its built-in text (recorded as a version without text). */
    async resetTemplate(name: string, by: string) {
      const template = knownTemplate(name);
      await db.transaction().execute(async (trx) => {
        const version = (await repo.latestTemplateVersion(trx, template)) + 1;
        await repo.insertTemplateVersion(trx, { name: template, version, text: null, updatedBy: by, updatedAt: clock.now() });
        await repo.deleteTemplate(trx, template);
      });
      return templateView(template);
    },

    /** The history of a template's texts, newest first (text null: back to the built-in text). */
    async templateVersions(name: string) {
      const template = knownTemplate(name);
      return (await repo.templateHistory(db, template)).map((v) => ({ version: v.version, text: v.text, updatedBy: v.updatedBy, updatedAt: v.updatedAt.toISOString() }));
    },

    /** Renders a text (or the one in force) with the template's sample data, and its SMS length. */
    async previewTemplate(name: string, text?: string) {
      const template = knownTemplate(name);
      if (text !== undefined) checkText(template, text);
      const rendered = renderTemplate(text ?? (await textOf(db, template)) ?? templateDefinition(template).text, sampleOf(template));
      return { rendered, ...smsLength(rendered) };
    },

    // ---- staff tasks ----

    /** Tasks for the given roles (supervisors, administrators and auditors see every role's). */
    async listTasks(roles: readonly string[], status: 'open' | 'done' | undefined) {
      const all = roles.some((r) => r === 'supervisor' || r === 'admin' || r === 'auditor');
      const rows = await repo.listTasks(db, { roles: all ? ['clerk', 'supervisor', 'finance'] : roles, ...(status ? { status } : {}), limit: 200 });
      return rows.map(toTaskView);
    },

    /** Records a call: `reached` closes the task and restarts the applicant's clock; `unreachable` keeps it open for another try. */
    async resolveTask(id: string, input: { outcome: 'reached' | 'unreachable'; note: string | null }, by: { actorId: string; role: string }) {
      return db.transaction().execute(async (trx) => {
        const task = await repo.findTaskForUpdate(trx, id);
        if (!task) throw new AppError('NOT_FOUND', 'کاری با این شناسه یافت نشد.');
        if (task.status !== 'open') throw new AppError('PRECONDITION_FAILED', 'این کار پیش‌تر بسته شده است.');
        const reached = input.outcome === 'reached';
        const updated = await repo.recordTaskAttempt(trx, id, { outcome: input.outcome, note: input.note, at: clock.now(), by: by.actorId, close: reached });
        if (reached && contact) {
          await contact.record(trx, task.requestId, 'contact-restored', {
            reason: 'با متقاضی تماس گرفته شد', payload: { taskId: task.id, note: input.note }, actorId: by.actorId, actorRole: by.role,
          });
        }
        return toTaskView(updated);
      });
    },
  };
}
