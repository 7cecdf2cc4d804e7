// Local twin of the SMS provider (DESIGN §4): a Fastify plugin answering Kavenegar's REST routes
// (send.json, status.json, with localid de-duplication) plus API.md's `GET /messages?to=09…`
// listing, so one-time codes and notices can be read in development and tests. In memory only.
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { normalizeMobile } from '../platform/identifiers.ts';
import { KAVENEGAR_STATUS, KAVENEGAR_STATUS_TEXT, kavenegarStatusToSmsStatus, type SmsStatus } from './sms.adapter.ts';

/** One message the twin accepted. */
export interface TwinSms {
  id: string;
  to: string;
  text: string;
  sender: string;
  sentAt: string;
  status: SmsStatus;
  /** Kavenegar's numeric status behind `status`. */
  kavenegarStatus: number;
  localId: string;
}

/** What a status query does to a queued message: deliver it, fail it, or leave it pending (queued). */
export type TwinDeliveryOutcome = 'delivered' | 'failed' | 'pending';

/** Options of the SMS twin: failFor(to) makes delivery fail for chosen numbers; now() stamps sentAt (default wall clock). */
export interface SmsTwinOptions {
  failFor?: (to: string) => boolean;
  now?: () => Date;
}

/** The SMS twin: its plugin, the messages it holds, and a per-number delivery override for tests. */
export interface SmsTwin {
  plugin: FastifyPluginAsync;
  /** Messages newest first, optionally only those to one mobile number (any accepted spelling). */
  messages(to?: string): TwinSms[];
  /** Sets what status queries do to messages to `to` (overrides failFor); 'pending' keeps them queued. */
  setDeliveryOutcome(to: string, outcome: TwinDeliveryOutcome): void;
}

/** Most messages kept; older ones are forgotten (with their localid). */
export const SMS_TWIN_CAPACITY = 10_000;

/** Creates the SMS twin; mount its plugin under a prefix (e.g. /__twins/sms) and point the Kavenegar client there. */
export function createSmsTwin(options: SmsTwinOptions = {}): SmsTwin {
  const now = options.now ?? (() => new Date());
  const byId = new Map<string, TwinSms>(); // insertion order = send order
  const byLocalId = new Map<string, string>(); // `${apiKey}\n${localid}` → message id
  const localKeyOf = new Map<string, string>(); // message id → its localid key, to forget it together
  const outcomes = new Map<string, TwinDeliveryOutcome>();
  let nextId = 86_420_001; // Kavenegar message IDs are large integers

  const setStatus = (message: TwinSms, code: number) => {
    message.kavenegarStatus = code;
    message.status = kavenegarStatusToSmsStatus(code);
  };

  /** Deterministic delivery: the first status query after sending settles a queued message. */
  const settle = (message: TwinSms) => {
    if (message.status !== 'queued' && message.status !== 'sent') return;
    const outcome = outcomes.get(message.to) ?? (options.failFor?.(message.to) ? 'failed' : 'delivered');
    if (outcome === 'delivered') setStatus(message, KAVENEGAR_STATUS.DELIVERED);
    else if (outcome === 'failed') setStatus(message, KAVENEGAR_STATUS.UNDELIVERED);
  };

  const remember = (message: TwinSms, localKey: string | undefined) => {
    byId.set(message.id, message);
    if (localKey) {
      byLocalId.set(localKey, message.id);
      localKeyOf.set(message.id, localKey);
    }
    while (byId.size > SMS_TWIN_CAPACITY) {
      const oldest = byId.keys().next().value as string;
      byId.delete(oldest);
      const key = localKeyOf.get(oldest);
      if (key) byLocalId.delete(key);
      localKeyOf.delete(oldest);
    }
  };

  const entryOf = (m: TwinSms) => ({
    messageid: Number(m.id),
    message: m.text,
    status: m.kavenegarStatus,
    statustext: KAVENEGAR_STATUS_TEXT[m.kavenegarStatus] ?? '',
    sender: m.sender,
    receptor: m.to,
    date: Math.floor(new Date(m.sentAt).getTime() / 1000),
    // Rials: Persian text fits 70 characters in one part, 67 per part when split.
    cost: (m.text.length <= 70 ? 1 : Math.ceil(m.text.length / 67)) * 1_190,
  });

  // Kavenegar answers an error with the same code as HTTP status and in return.status.
  const refuse = (reply: FastifyReply, status: number, message: string) =>
    reply.code(status).send({ return: { status, message }, entries: null });

  const paramsOf = (query: unknown, body: unknown): Record<string, string> => {
    const merged: Record<string, string> = {};
    for (const source of [query, body]) {
      if (source && typeof source === 'object') {
        for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
          if (typeof value === 'string' || typeof value === 'number') merged[key.toLowerCase()] = String(value);
        }
      }
    }
    return merged;
  };

  const list = (to?: string): TwinSms[] => {
    const wanted = to === undefined ? undefined : (normalizeMobile(to) ?? to);
    const all = [...byId.values()].reverse();
    return (wanted === undefined ? all : all.filter((m) => m.to === wanted)).map((m) => ({ ...m }));
  };

  const plugin: FastifyPluginAsync = async (app) => {
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);

    const send = async (request: { params: unknown; query: unknown; body: unknown }, reply: FastifyReply) => {
      const { apiKey } = request.params as { apiKey: string };
      if (!apiKey) return refuse(reply, 403, 'کلید شناسایی معتبر نیست');
      const p = paramsOf(request.query, request.body);
      const text = p.message ?? '';
      if (!text || text.length > 900) return refuse(reply, 413, 'متن پیام خالی یا بیش از حد طولانی است');
      const receptors = (p.receptor ?? '').split(',').map((r) => r.trim()).filter(Boolean);
      if (receptors.length === 0) return refuse(reply, 411, 'دریافت کننده نامعتبر است');
      if (receptors.length > 200) return refuse(reply, 414, 'تعداد دریافت کنندگان بیش از حد مجاز است');
      const mobiles = receptors.map((r) => normalizeMobile(r));
      if (mobiles.some((m) => m === null)) return refuse(reply, 411, 'دریافت کننده نامعتبر است');
      const localIds = (p.localid ?? '').split(',').map((l) => l.trim());
      const entries = (mobiles as string[]).map((to, index) => {
        const localId = localIds.length === mobiles.length ? (localIds[index] ?? '') : index === 0 ? (localIds[0] ?? '') : '';
        const localKey = localId ? `${apiKey}\n${localId}` : undefined;
        const existingId = localKey ? byLocalId.get(localKey) : undefined;
        const existing = existingId ? byId.get(existingId) : undefined;
        if (existing) return entryOf(existing); // Kavenegar de-duplicates by localid: the first message, not a new one
        const message: TwinSms = {
          id: String(nextId++),
          to,
          text,
          sender: p.sender || '10004346',
          sentAt: now().toISOString(),
          status: 'queued',
          kavenegarStatus: KAVENEGAR_STATUS.QUEUED,
          localId,
        };
        remember(message, localKey);
        return entryOf(message);
      });
      return reply.send({ return: { status: 200, message: 'تایید شد' }, entries });
    };

    const status = async (request: { params: unknown; query: unknown; body: unknown }, reply: FastifyReply) => {
      const { apiKey } = request.params as { apiKey: string };
      if (!apiKey) return refuse(reply, 403, 'کلید شناسایی معتبر نیست');
      const ids = (paramsOf(request.query, request.body).messageid ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      if (ids.length === 0) return refuse(reply, 400, 'پارامترها ناقص هستند');
      if (ids.length > 500) return refuse(reply, 414, 'تعداد شناسه‌ها بیش از حد مجاز است');
      const entries = ids.map((id) => {
        const message = byId.get(id);
        if (!message) {
          const code = KAVENEGAR_STATUS.UNKNOWN_MESSAGE_ID;
          return { messageid: Number(id), status: code, statustext: KAVENEGAR_STATUS_TEXT[code] };
        }
        settle(message);
        return { messageid: Number(message.id), status: message.kavenegarStatus, statustext: KAVENEGAR_STATUS_TEXT[message.kavenegarStatus] ?? '' };
      });
      return reply.send({ return: { status: 200, message: 'تایید شد' }, entries });
    };

    // Kavenegar accepts both GET (query string) and POST (form) on every method.
    app.post('/v1/:apiKey/sms/send.json', send);
    app.get('/v1/:apiKey/sms/send.json', send);
    app.post('/v1/:apiKey/sms/status.json', status);
    app.get('/v1/:apiKey/sms/status.json', status);

    // API.md "Local twins": what was sent, newest first.
    app.get<{ Querystring: { to?: string } }>('/messages', async (request) => ({
      messages: list(request.query.to).map((m) => ({ id: m.id, to: m.to, text: m.text, sentAt: m.sentAt, status: m.status, localId: m.localId })),
    }));
  };

  return {
    plugin,
    messages: list,
    setDeliveryOutcome(to, outcome) {
      outcomes.set(normalizeMobile(to) ?? to, outcome);
    },
  };
}
