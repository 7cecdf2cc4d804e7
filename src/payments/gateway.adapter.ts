// The payment gateway port, modelled on the Shaparak internet payment gateway flow of Saman
// (SEP): get a token, send the payer to the gateway's page, receive the gateway's form POST on our
// callback URL, then verify the transaction server-to-server before trusting it.
// The local twin (gateway.twin.ts) speaks the same protocol on loopback.

/** Input of a token request; resNum is our payment id, amounts in rials. */
export interface GatewayTokenRequest {
  amountRials: number;
  resNum: string;
  callbackUrl: string;
  cellNumber?: string;
}

/** Outcome of a verification; ok is true only when the gateway confirms the payment (first time or duplicate). */
export interface GatewayVerification {
  ok: boolean;
  amountRials?: number;
  resNum?: string;
  traceNo?: string;
  rrn?: string;
  maskedPan?: string;
  /** SEP ResultCode: 0 verified now, 2 already verified (duplicate, still ok), negative = failure (-2 not found). */
  resultCode: number;
}

/** The fields SEP posts (form-urlencoded) to the merchant's callback URL when the payer finishes. */
export interface SepCallbackFields {
  MID: string;
  State: string;
  Status: string;
  RRN: string;
  RefNum: string;
  ResNum: string;
  TerminalId: string;
  TraceNo: string;
  Amount: string;
  SecurePan: string;
  Token: string;
  [field: string]: string;
}

/** The payment gateway port; methods throw UpstreamError when the gateway fails or refuses. */
export interface PaymentGateway {
  /** Registers a payment and returns its token and the URL to send the payer to. */
  requestToken(input: GatewayTokenRequest): Promise<{ token: string; paymentUrl: string }>;
  /** Asks the gateway to confirm a payment (by refNum from the callback); never throws for a refused payment, only for transport failures. */
  verify(input: { refNum: string; token: string }): Promise<GatewayVerification>;
  /** Reverses (refunds) a verified payment; ok when the gateway accepted the reversal now (0) or earlier (2). */
  reverse?(input: { refNum: string }): Promise<{ ok: boolean; resultCode: number }>;
}

/** Failure of the payment gateway (network, timeout, HTTP error, token refused); message is English, for logs. */
export class UpstreamError extends Error {
  readonly system = 'gateway' as const;
  readonly isUpstreamError = true as const;
  constructor(
    message: string,
    /** HTTP status of the answer, when there was one. */
    readonly status?: number,
    /** SEP errorCode of a refused token request. */
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamError';
  }
}

/** SEP callback State values and their Status numbers (2 = OK, 1 = cancelled by the payer, …). */
export const SEP_CALLBACK_STATUS = {
  CanceledByUser: 1,
  OK: 2,
  Failed: 3,
  SessionIsNull: 4,
  InvalidParameters: 5,
  MerchantIpAddressIsInvalid: 8,
  TokenNotFound: 10,
  TokenRequired: 11,
  TerminalNotFound: 12,
} as const;

/** Options of the SEP client. paymentPage picks the payer URL: 'path' = `{base}/pay/{token}` (the twin's, API.md), 'send-token' = SEP's `{base}/OnlinePG/SendToken?token=…`. */
export interface SepClientOptions {
  baseUrl: () => string;
  terminalId: string;
  /** Default 'path'; the real SEP (https://sep.shaparak.ir) needs 'send-token'. */
  paymentPage?: 'path' | 'send-token';
  /** Per-call timeout; default 15 s. */
  timeoutMs?: number;
}

/** The SEP client, with paymentPageUrl exposed for redirects. */
export interface SepClient extends PaymentGateway {
  /** The URL the payer's browser is sent to for a token. */
  paymentPageUrl(token: string): string;
  reverse(input: { refNum: string }): Promise<{ ok: boolean; resultCode: number }>;
}

/** True when the callback fields report a payment the payer completed (State OK / Status 2); still verify before trusting it. */
export function isSepCallbackSuccessful(fields: Partial<SepCallbackFields>): boolean {
  return fields.State === 'OK' && String(fields.Status) === String(SEP_CALLBACK_STATUS.OK);
}

/** Creates the production SEP (Saman) payment gateway client, which also talks to the local twin. */
export function createSepClient(options: SepClientOptions): SepClient {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const base = () => options.baseUrl().replace(/\/$/, '');
  // SEP expects the terminal number as a JSON number; keep a string that would not survive the conversion.
  const terminalNumber: number | string = /^[1-9]\d{0,14}$/.test(options.terminalId) ? Number(options.terminalId) : options.terminalId;

  async function postJson(path: string, body: unknown): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(`${base()}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new UpstreamError(timedOut ? `gateway ${path} timed out after ${timeoutMs} ms` : `gateway ${path} failed: ${String(error)}`, undefined, undefined, {
        cause: error,
      });
    }
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok || typeof json !== 'object' || json === null) {
      throw new UpstreamError(`gateway ${path} answered HTTP ${response.status}${json === undefined ? ' without JSON' : ''}`, response.status);
    }
    return json as Record<string, unknown>;
  }

  const paymentPageUrl = (token: string) =>
    options.paymentPage === 'send-token'
      ? `${base()}/OnlinePG/SendToken?token=${encodeURIComponent(token)}`
      : `${base()}/pay/${encodeURIComponent(token)}`;

  const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));

  return {
    paymentPageUrl,

    async requestToken(input) {
      const answer = await postJson('/onlinepg/onlinepg', {
        action: 'token',
        TerminalId: options.terminalId,
        Amount: input.amountRials,
        ResNum: input.resNum,
        RedirectUrl: input.callbackUrl,
        ...(input.cellNumber ? { CellNumber: input.cellNumber } : {}),
      });
      if (Number(answer.status) !== 1 || typeof answer.token !== 'string' || !answer.token) {
        const code = str(answer.errorCode);
        throw new UpstreamError(`gateway refused the token request (errorCode ${code ?? 'none'})`, undefined, code);
      }
      return { token: answer.token, paymentUrl: paymentPageUrl(answer.token) };
    },

    async verify(input) {
      const answer = await postJson('/verifyTxnRandomSessionkey/ipg/VerifyTransaction', {
        RefNum: input.refNum,
        TerminalNumber: terminalNumber,
      });
      const resultCode = Number(answer.ResultCode);
      const success = answer.Success === true && (resultCode === 0 || resultCode === 2);
      const detail = (typeof answer.TransactionDetail === 'object' && answer.TransactionDetail !== null ? answer.TransactionDetail : {}) as Record<string, unknown>;
      if (!success) return { ok: false, resultCode: Number.isFinite(resultCode) ? resultCode : -1 };
      const amount = Number(detail.OrginalAmount ?? detail.AffectiveAmount);
      return {
        ok: true,
        resultCode,
        amountRials: Number.isFinite(amount) ? amount : undefined,
        resNum: str(detail.ResNum),
        // SEP names it StraceNo in the verify answer (TraceNo in the callback).
        traceNo: str(detail.StraceNo ?? detail.TraceNo),
        rrn: str(detail.RRN),
        maskedPan: str(detail.MaskedPan),
      };
    },

    async reverse(input) {
      const answer = await postJson('/verifyTxnRandomSessionkey/ipg/ReverseTransaction', {
        RefNum: input.refNum,
        TerminalNumber: terminalNumber,
      });
      const resultCode = Number(answer.ResultCode);
      return { ok: answer.Success === true && (resultCode === 0 || resultCode === 2), resultCode: Number.isFinite(resultCode) ? resultCode : -1 };
    },
  };
}
