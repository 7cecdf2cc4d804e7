// The SMS provider port and its production client for Kavenegar's REST API
// (https://kavenegar.com/rest.html): `POST {base}/v1/{apiKey}/sms/send.json` and `…/sms/status.json`,
// form-urlencoded, answering `{return: {status, message}, entries: [...]}`.
// The local twin (sms.twin.ts) speaks the same protocol on loopback.

/** Our delivery vocabulary; Kavenegar's numeric codes map onto it with kavenegarStatusToSmsStatus. */
export type SmsStatus = 'queued' | 'sent' | 'delivered' | 'failed';

/** What a send or a status query tells about one message. */
export interface SmsReceipt {
  providerMessageId: string;
  status: SmsStatus;
}

/** The SMS provider port; methods throw UpstreamError when the provider fails or refuses. */
export interface SmsProvider {
  /** Sends one SMS; localId de-duplicates (a repeated localId returns the first message, not a new one). */
  send(input: { to: string; text: string; localId: string }): Promise<SmsReceipt>;
  /** Current statuses of the given provider message IDs (unknown IDs come back as 'failed'). */
  status(providerMessageIds: string[]): Promise<SmsReceipt[]>;
}

/** Failure of the SMS provider (network, timeout, HTTP or Kavenegar `return.status` ≠ 200); message is English, for logs. */
export class UpstreamError extends Error {
  readonly system = 'sms' as const;
  readonly isUpstreamError = true as const;
  constructor(
    message: string,
    /** Kavenegar's `return.status` when it answered (e.g. 411 invalid receptor, 418 no credit), else the HTTP status. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamError';
  }
}

/**
 * Kavenegar message status codes (documented in its REST reference, "وضعیت پیامک"):
 * 1 in the send queue, 2 scheduled, 4 and 5 handed to the operator, 6 failed (sender line),
 * 10 delivered, 11 not delivered (handset off / unreachable), 13 cancelled or failed (refunded),
 * 14 blocked by the recipient (no advertising SMS), 100 unknown message ID.
 */
export const KAVENEGAR_STATUS = {
  QUEUED: 1,
  SCHEDULED: 2,
  SENT_TO_OPERATOR: 4,
  SENT_TO_OPERATOR_2: 5,
  FAILED: 6,
  DELIVERED: 10,
  UNDELIVERED: 11,
  CANCELLED: 13,
  BLOCKED: 14,
  UNKNOWN_MESSAGE_ID: 100,
} as const;

/** Persian status texts Kavenegar returns in `statustext`. */
export const KAVENEGAR_STATUS_TEXT: Record<number, string> = {
  1: 'در صف ارسال',
  2: 'زمان‌بندی شده',
  4: 'ارسال به مخابرات',
  5: 'ارسال به مخابرات',
  6: 'خطا در ارسال پیام',
  10: 'رسیده به گیرنده',
  11: 'نرسیده به گیرنده',
  13: 'لغو شده',
  14: 'بلاک شده',
  100: 'شناسه پیامک نامعتبر است',
};

/** Maps a Kavenegar numeric status to ours: 1,2 queued; 4,5 sent; 10 delivered; 6,11,13,14,100 failed; anything else sent (in flight). */
export function kavenegarStatusToSmsStatus(code: number): SmsStatus {
  switch (code) {
    case 1:
    case 2:
      return 'queued';
    case 4:
    case 5:
      return 'sent';
    case 10:
      return 'delivered';
    case 6:
    case 11:
    case 13:
    case 14:
    case 100:
      return 'failed';
    default:
      // An undocumented code: the provider accepted the message; keep asking rather than raise a false alarm.
      return 'sent';
  }
}

/** Options of the Kavenegar client; baseUrl is e.g. https://api.kavenegar.com (or the twin's loopback URL). */
export interface KavenegarClientOptions {
  baseUrl: () => string;
  apiKey: string;
  sender: string;
  /** Per-call timeout; default 10 s. */
  timeoutMs?: number;
}

interface KavenegarAnswer {
  return?: { status?: number; message?: string };
  entries?: unknown;
}

function asEntries(value: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(value)) return value.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null);
  return [];
}

/** Creates the production SMS client for Kavenegar's REST API (also answered by the local twin). */
export function createKavenegarClient(options: KavenegarClientOptions): SmsProvider {
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call(method: 'send' | 'status', form: Record<string, string>): Promise<Array<Record<string, unknown>>> {
    const url = `${options.baseUrl().replace(/\/$/, '')}/v1/${encodeURIComponent(options.apiKey)}/sms/${method}.json`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new UpstreamError(timedOut ? `kavenegar ${method} timed out after ${timeoutMs} ms` : `kavenegar ${method} failed: ${String(error)}`, undefined, {
        cause: error,
      });
    }
    const text = await response.text().catch(() => '');
    let answer: KavenegarAnswer | undefined;
    try {
      answer = JSON.parse(text) as KavenegarAnswer;
    } catch {
      answer = undefined;
    }
    // Kavenegar answers errors with the same code as HTTP status and in return.status; trust the body first.
    const status = answer?.return?.status;
    if (typeof status !== 'number') {
      throw new UpstreamError(`kavenegar ${method} answered HTTP ${response.status} without a return status`, response.status);
    }
    if (status !== 200) {
      // return.message is Persian; keep it out of the English message and only report the code.
      throw new UpstreamError(`kavenegar ${method} refused with return status ${status}`, status);
    }
    return asEntries(answer?.entries);
  }

  const toReceipt = (entry: Record<string, unknown>): SmsReceipt => ({
    providerMessageId: String(entry.messageid),
    status: kavenegarStatusToSmsStatus(Number(entry.status)),
  });

  return {
    async send(input) {
      const entries = await call('send', { receptor: input.to, message: input.text, sender: options.sender, localid: input.localId });
      const first = entries[0];
      if (!first || first.messageid === undefined) throw new UpstreamError('kavenegar send answered no entry');
      return toReceipt(first);
    },
    async status(providerMessageIds) {
      const receipts: SmsReceipt[] = [];
      // Kavenegar accepts at most 500 message IDs per status call.
      for (let start = 0; start < providerMessageIds.length; start += 500) {
        const entries = await call('status', { messageid: providerMessageIds.slice(start, start + 500).join(',') });
        receipts.push(...entries.filter((e) => e.messageid !== undefined).map(toReceipt));
      }
      return receipts;
    },
  };
}
