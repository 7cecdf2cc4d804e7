// The billing system (سامانه مشترکین) as seen by Barq Desk: subscriber lookup, final consumption
// debt, and the two facts we report back (debt paid through us, connection removed).
// Production speaks JSON over HTTP with an `x-api-key` header; the local twin
// (billing.twin.ts) answers the same protocol on loopback.
import { z } from 'zod';

/** Owner of a connection: a natural person (nationalCode, firstName, lastName) or a legal person (nationalId, name). */
export interface BillingOwner {
  personType: 'natural' | 'legal';
  nationalCode?: string;
  nationalId?: string;
  firstName?: string;
  lastName?: string;
  name?: string;
  mobile: string;
}

/** A user of a shared connection; every one of them must consent to a removal. */
export interface BillingConnectionUser {
  nationalCode: string;
  name: string;
}

/** State of a service connection in the billing system. */
export type ConnectionState = 'active' | 'temporarily-removed' | 'permanently-removed';

/** The service connection (انشعاب) with its meter. */
export interface BillingConnection {
  phase: 1 | 3;
  amperes: number;
  meterSerial: string;
  lastReading: number;
  state: ConnectionState;
  shared: boolean;
  /** When shared: every user who must consent. */
  users?: BillingConnectionUser[];
}

/** A subscriber (مشترک) as the billing system knows it; debtRials is a multiple of 1000. */
export interface BillingSubscriber {
  billId: string;
  accountNumber: string;
  fileNumber: string;
  owner: BillingOwner;
  address: string;
  postalCode: string;
  connection: BillingConnection;
  debtRials: number;
}

/** Result of pricing the consumption up to a final reading, plus unpaid debt. */
export interface FinalDebt {
  debtRials: number;
  consumedKwh: number;
}

/** Input of recordConnectionRemoved. */
export interface ConnectionRemoval {
  finalReading: number;
  removedAt: string;
  trackingCode: string;
}

/**
 * A payment of one of our bill ID + payment ID pairs made through any bank channel (ATM, internet
 * bank, USSD, mobile bank), as billing's clearing reports it; sequence orders the reports.
 */
export interface BankPaymentReport {
  sequence: number;
  billId: string;
  paymentId: string;
  amountRials: number;
  /** The bank's reference (trace) of the payment; unique per payment. */
  reference: string;
  paidAt: string;
  channel: string | null;
}

/** The billing system port; every method throws UpstreamError when the system fails or answers unexpectedly. */
export interface BillingSystem {
  /** The subscriber behind a bill ID, or null when the billing system does not know it. */
  getSubscriber(billId: string): Promise<BillingSubscriber | null>;
  /** Consumption since the last reading priced by the billing system, plus any unpaid debt (rials). */
  getFinalDebt(billId: string, finalReading: number): Promise<FinalDebt>;
  /** Reports that the consumption debt was paid through us (idempotent per reference). */
  recordDebtPaid(billId: string, amountRials: number, reference: string): Promise<void>;
  /** Reports that the connection was temporarily removed (idempotent per tracking code). */
  recordConnectionRemoved(billId: string, input: ConnectionRemoval): Promise<void>;
  /** Bank-channel payments reported after `since` (a sequence), oldest first, at most `limit`; `next` is the cursor to ask with next time. */
  listBankPayments(since: number, limit?: number): Promise<{ payments: BankPaymentReport[]; next: number }>;
}

/** Failure of the billing system (network, timeout, non-2xx answer or unexpected body); message is English, for logs. */
export class UpstreamError extends Error {
  readonly system = 'billing' as const;
  readonly isUpstreamError = true as const;
  constructor(
    message: string,
    /** HTTP status of the answer, when there was one. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamError';
  }
}

// Schemas of the protocol's answers: an upstream that drifts fails loudly here, not deep in a use case.
const OwnerSchema = z.object({
  personType: z.enum(['natural', 'legal']),
  nationalCode: z.string().optional(),
  nationalId: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  name: z.string().optional(),
  mobile: z.string(),
});

/** zod schema of a BillingSubscriber on the wire (shared with the twin's tests). */
export const BillingSubscriberSchema = z.object({
  billId: z.string(),
  accountNumber: z.string(),
  fileNumber: z.string(),
  owner: OwnerSchema,
  address: z.string(),
  postalCode: z.string(),
  connection: z.object({
    phase: z.union([z.literal(1), z.literal(3)]),
    amperes: z.number(),
    meterSerial: z.string(),
    lastReading: z.number(),
    state: z.enum(['active', 'temporarily-removed', 'permanently-removed']),
    shared: z.boolean(),
    users: z.array(z.object({ nationalCode: z.string(), name: z.string() })).optional(),
  }),
  debtRials: z.number().int(),
});

const FinalDebtSchema = z.object({ debtRials: z.number().int(), consumedKwh: z.number() });

/** zod schema of the bank-payments answer on the wire (shared with the twin's tests). */
export const BankPaymentsAnswerSchema = z.object({
  payments: z.array(
    z.object({
      sequence: z.number().int().positive(),
      billId: z.string().min(1),
      paymentId: z.string().min(1),
      amountRials: z.number().int().positive(),
      reference: z.string().min(1),
      paidAt: z.string().min(1),
      channel: z.string().nullable().default(null),
    }),
  ),
  next: z.number().int().nonnegative(),
});

/** Options of the HTTP client; baseUrl is a function because the twin's port is known only after listen. */
export interface HttpBillingClientOptions {
  baseUrl: () => string;
  apiKey: string;
  /** Per-call timeout; default 10 s. */
  timeoutMs?: number;
}

/** Creates the production billing client (JSON over HTTP, `x-api-key`), which also talks to the twin. */
export function createHttpBillingClient(options: HttpBillingClientOptions): BillingSystem {
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const url = `${options.baseUrl().replace(/\/$/, '')}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          'x-api-key': options.apiKey,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new UpstreamError(timedOut ? `billing ${method} ${path} timed out after ${timeoutMs} ms` : `billing ${method} ${path} failed: ${String(error)}`, undefined, {
        cause: error,
      });
    }
    const text = await response.text().catch(() => '');
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: response.status, json };
  }

  function ensureOk(result: { status: number; json: unknown }, what: string): void {
    if (result.status < 200 || result.status > 299) {
      throw new UpstreamError(`billing ${what} answered HTTP ${result.status}`, result.status);
    }
  }

  function parse<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new UpstreamError(`billing ${what} answered an unexpected body: ${parsed.error.message}`);
    return parsed.data;
  }

  const subscriberPath = (billId: string) => `/api/subscribers/${encodeURIComponent(billId)}`;

  return {
    async getSubscriber(billId) {
      const result = await call('GET', subscriberPath(billId));
      if (result.status === 404) return null;
      ensureOk(result, 'subscriber lookup');
      return parse(BillingSubscriberSchema, result.json, 'subscriber lookup') as BillingSubscriber;
    },
    async getFinalDebt(billId, finalReading) {
      const result = await call('POST', `${subscriberPath(billId)}/final-debt`, { finalReading });
      ensureOk(result, 'final debt');
      return parse(FinalDebtSchema, result.json, 'final debt');
    },
    async recordDebtPaid(billId, amountRials, reference) {
      const result = await call('POST', `${subscriberPath(billId)}/payments`, { amountRials, reference });
      ensureOk(result, 'debt payment');
    },
    async recordConnectionRemoved(billId, input) {
      const result = await call('POST', `${subscriberPath(billId)}/removal`, {
        finalReading: input.finalReading,
        removedAt: input.removedAt,
        trackingCode: input.trackingCode,
      });
      ensureOk(result, 'connection removal');
    },
    async listBankPayments(since, limit = 200) {
      const result = await call('GET', `/api/bank-payments?since=${encodeURIComponent(String(since))}&limit=${encodeURIComponent(String(limit))}`);
      ensureOk(result, 'bank payments');
      return parse(BankPaymentsAnswerSchema, result.json, 'bank payments');
    },
  };
}
