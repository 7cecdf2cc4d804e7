// Local twin of the payment gateway (DESIGN §4), modelled on Saman's (SEP) Shaparak IPG: token
// request, the payer's page (Persian, RTL), the server-to-server form POST to the merchant's
// RedirectUrl, verification (duplicate verifies answer ResultCode 2) and reversal. In memory only.
import { createHash, randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formatRials, toPersianDigits } from '../platform/digits.ts';
import { SEP_CALLBACK_STATUS } from './gateway.adapter.ts';

/** Options of the gateway twin: merchant name shown on the page, callback timeout (default 10 s). */
export interface GatewayTwinOptions {
  merchantName?: string;
  callbackTimeoutMs?: number;
}

/** A payment as the twin remembers it. */
export interface TwinPayment {
  token: string;
  terminalId: string;
  amountRials: number;
  resNum: string;
  redirectUrl: string;
  cellNumber?: string;
  state: 'pending' | 'paid' | 'canceled' | 'reversed';
  refNum?: string;
  rrn?: string;
  traceNo?: string;
  maskedPan?: string;
  hashedPan?: string;
  paidAt?: string;
  verifyCount: number;
  createdAt: string;
}

/** The gateway twin: its plugin and a snapshot of payments, for tests. */
export interface GatewayTwin {
  plugin: FastifyPluginAsync;
  payments(): TwinPayment[];
}

const RESULT_TEXT: Record<number, string> = {
  0: 'عملیات با موفقیت انجام شد',
  2: 'درخواست تکراری می‌باشد',
  [-2]: 'تراکنش یافت نشد',
  [-104]: 'ترمینال ارسالی غیرفعال می‌باشد',
  [-105]: 'ترمینال ارسالی در سیستم موجود نمی‌باشد',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: Vazirmatn, Tahoma, sans-serif; background: #f3f5f9; margin: 0; padding: 2rem 1rem; color: #1f2937; }
  main { max-width: 26rem; margin: 0 auto; background: #fff; border-radius: 12px; padding: 1.5rem; box-shadow: 0 2px 10px rgba(0,0,0,.08); }
  h1 { font-size: 1.2rem; margin-top: 0; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .5rem 1rem; }
  dt { color: #6b7280; } dd { margin: 0; font-weight: bold; }
  .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { flex: 1; font: inherit; padding: .75rem; border-radius: 8px; border: 0; cursor: pointer; }
  .pay { background: #15803d; color: #fff; } .cancel { background: #e5e7eb; color: #111827; }
  .note { color: #6b7280; font-size: .85rem; margin-top: 1rem; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

/** Creates the gateway twin; mount its plugin under a prefix (e.g. /__twins/gateway) and point the SEP client there. */
export function createGatewayTwin(options: GatewayTwinOptions = {}): GatewayTwin {
  const merchantName = options.merchantName ?? 'شرکت توزیع نیروی برق استان قم';
  const callbackTimeoutMs = options.callbackTimeoutMs ?? 10_000;
  const byToken = new Map<string, TwinPayment>();
  const byRefNum = new Map<string, TwinPayment>();
  let sequence = 0;

  const resultPage = (payment: TwinPayment, note?: string) => {
    const ok = payment.state === 'paid' || payment.state === 'reversed';
    return page(
      ok ? 'پرداخت موفق' : 'پرداخت ناموفق',
      `<h1>${ok ? 'پرداخت با موفقیت انجام شد' : 'پرداخت انجام نشد'}</h1>
<dl><dt>پذیرنده</dt><dd>${escapeHtml(merchantName)}</dd>
<dt>مبلغ</dt><dd>${escapeHtml(formatRials(payment.amountRials))}</dd>
${ok && payment.traceNo ? `<dt>شماره پیگیری</dt><dd>${escapeHtml(toPersianDigits(payment.traceNo))}</dd>` : ''}
${ok && payment.rrn ? `<dt>شماره مرجع</dt><dd>${escapeHtml(toPersianDigits(payment.rrn))}</dd>` : ''}</dl>
${note ? `<p class="note">${escapeHtml(note)}</p>` : ''}`,
    );
  };

  /** Posts the SEP callback form to the merchant and waits for its answer. */
  const callMerchant = async (payment: TwinPayment): Promise<{ status: number; location?: string; error?: string }> => {
    const paid = payment.state === 'paid';
    const fields: Record<string, string> = {
      MID: payment.terminalId,
      TerminalId: payment.terminalId,
      State: paid ? 'OK' : 'CanceledByUser',
      Status: String(paid ? SEP_CALLBACK_STATUS.OK : SEP_CALLBACK_STATUS.CanceledByUser),
      RRN: paid ? (payment.rrn ?? '') : '',
      RefNum: paid ? (payment.refNum ?? '') : '',
      ResNum: payment.resNum,
      TraceNo: paid ? (payment.traceNo ?? '') : '',
      Amount: String(payment.amountRials),
      Wage: '0',
      SecurePan: paid ? (payment.maskedPan ?? '') : '',
      HashedCardNumber: paid ? (payment.hashedPan ?? '') : '',
      Token: payment.token,
    };
    try {
      const response = await fetch(payment.redirectUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(callbackTimeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return { status: response.status, location: response.headers.get('location') ?? undefined };
    } catch (error) {
      return { status: 0, error: error instanceof Error ? error.message : String(error) };
    }
  };

  const complete = (payment: TwinPayment, success: boolean) => {
    if (success) {
      sequence += 1;
      const pan = `621986${String(1000 + ((sequence * 7919) % 9000)).padStart(4, '0')}${String(1000 + ((sequence * 104729) % 9000))}`;
      payment.state = 'paid';
      payment.refNum = randomBytes(24).toString('base64url');
      payment.rrn = String(180_000_000_000 + sequence * 1_013);
      payment.traceNo = String(100_000 + ((sequence * 48_271) % 900_000));
      payment.maskedPan = `${pan.slice(0, 6)}******${pan.slice(-4)}`;
      payment.hashedPan = createHash('sha256').update(pan).digest('hex').toUpperCase();
      payment.paidAt = new Date().toISOString();
      byRefNum.set(payment.refNum, payment);
    } else {
      payment.state = 'canceled';
    }
  };

  const detailOf = (payment: TwinPayment) => ({
    RRN: payment.rrn ?? '',
    RefNum: payment.refNum ?? '',
    MaskedPan: payment.maskedPan ?? '',
    HashedPan: payment.hashedPan ?? '',
    TerminalNumber: /^[1-9]\d{0,14}$/.test(payment.terminalId) ? Number(payment.terminalId) : payment.terminalId,
    OrginalAmount: payment.amountRials,
    AffectiveAmount: payment.amountRials,
    StraceDate: payment.paidAt ?? '',
    StraceNo: payment.traceNo ?? '',
    // Not in SEP's documented answer; the twin adds it for convenience. Match payments by the callback's ResNum.
    ResNum: payment.resNum,
  });

  const wantsJson = (request: FastifyRequest) => String(request.headers['content-type'] ?? '').includes('application/json');

  const plugin: FastifyPluginAsync = async (app) => {
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);

    // Token request (SEP "onlinepg" with action=token).
    app.post('/onlinepg/onlinepg', async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const refuse = (errorCode: string, errorDesc: string) => ({ status: -1, errorCode, errorDesc });
      if (body.action !== 'token') return refuse('1', 'action is not valid');
      const terminalId = body.TerminalId === undefined || body.TerminalId === null ? '' : String(body.TerminalId);
      if (!terminalId) return refuse('2', 'Terminal is not valid');
      const amount = Number(body.Amount);
      if (!Number.isSafeInteger(amount) || amount < 1_000) return refuse('5', 'Amount is not valid');
      const resNum = body.ResNum === undefined || body.ResNum === null ? '' : String(body.ResNum);
      if (!resNum || resNum.length > 50) return refuse('5', 'ResNum is not valid');
      let redirectUrl: string;
      try {
        redirectUrl = new URL(String(body.RedirectUrl ?? '')).toString();
      } catch {
        return refuse('5', 'RedirectUrl is not valid');
      }
      const token = randomBytes(16).toString('hex');
      byToken.set(token, {
        token,
        terminalId,
        amountRials: amount,
        resNum,
        redirectUrl,
        cellNumber: body.CellNumber ? String(body.CellNumber) : undefined,
        state: 'pending',
        verifyCount: 0,
        createdAt: new Date().toISOString(),
      });
      return { status: 1, token };
    });

    const showPage = async (token: string, reply: FastifyReply) => {
      const payment = byToken.get(token);
      reply.type('text/html; charset=utf-8');
      if (!payment) return reply.code(404).send(page('تراکنش یافت نشد', '<h1>تراکنش یافت نشد</h1><p>این پیوند پرداخت معتبر نیست یا منقضی شده است.</p>'));
      if (payment.state !== 'pending') return reply.send(resultPage(payment, 'این تراکنش پیش‌تر انجام شده است.'));
      const action = `${encodeURIComponent(token)}`;
      return reply.send(
        page(
          'درگاه پرداخت اینترنتی (نمونه آزمایشی)',
          `<h1>درگاه پرداخت اینترنتی</h1>
<dl><dt>پذیرنده</dt><dd>${escapeHtml(merchantName)}</dd>
<dt>مبلغ</dt><dd>${escapeHtml(formatRials(payment.amountRials))}</dd>
<dt>شماره فاکتور</dt><dd>${escapeHtml(toPersianDigits(payment.resNum))}</dd></dl>
<form method="post" action="${action}" class="actions">
  <button type="submit" name="outcome" value="success" class="pay">پرداخت</button>
  <button type="submit" name="outcome" value="failure" class="cancel">انصراف</button>
</form>
<p class="note">این صفحه نمونهٔ آزمایشی درگاه است و هیچ پولی جابه‌جا نمی‌شود.</p>`,
        ),
      );
    };

    // The payer's page: API.md's path, and SEP's own SendToken entry.
    app.get<{ Params: { token: string } }>('/pay/:token', async (request, reply) => showPage(request.params.token, reply));
    app.get<{ Querystring: { token?: string } }>('/OnlinePG/SendToken', async (request, reply) => {
      const token = request.query.token ?? '';
      return byToken.has(token) ? reply.redirect(`../pay/${encodeURIComponent(token)}`, 302) : showPage(token, reply);
    });

    // Completing the page: JSON {"outcome"} (scripts, tests) or the page's form (browsers).
    app.post<{ Params: { token: string } }>('/pay/:token', async (request, reply) => {
      const json = wantsJson(request);
      const payment = byToken.get(request.params.token);
      const outcome = ((request.body ?? {}) as Record<string, unknown>).outcome;
      if (!payment) {
        return json
          ? reply.code(404).send({ error: 'TOKEN_NOT_FOUND' })
          : reply.code(404).type('text/html; charset=utf-8').send(page('تراکنش یافت نشد', '<h1>تراکنش یافت نشد</h1>'));
      }
      if (outcome !== 'success' && outcome !== 'failure') {
        return json
          ? reply.code(400).send({ error: 'outcome must be "success" or "failure"' })
          : reply.code(400).type('text/html; charset=utf-8').send(page('درخواست نامعتبر', '<h1>درخواست نامعتبر است</h1>'));
      }
      if (payment.state !== 'pending') {
        const status = payment.state === 'canceled' ? 'failed' : 'completed';
        return json
          ? reply.code(409).send({ error: 'TOKEN_ALREADY_USED', status })
          : reply.type('text/html; charset=utf-8').send(resultPage(payment, 'این تراکنش پیش‌تر انجام شده است.'));
      }
      const success = outcome === 'success';
      complete(payment, success);
      const callback = await callMerchant(payment);
      const status = success ? 'completed' : 'failed';
      if (json) return reply.send({ status, callbackStatus: callback.status, ...(callback.error ? { callbackError: callback.error } : {}) });
      if (callback.location) {
        const location = new URL(callback.location, payment.redirectUrl).toString();
        return reply.redirect(location, 303);
      }
      const note =
        callback.status >= 200 && callback.status < 400
          ? 'نتیجه به پذیرنده اعلام شد.'
          : 'اعلام نتیجه به پذیرنده ناموفق بود؛ در صورت کسر وجه، مبلغ حداکثر تا ۷۲ ساعت به حساب شما بازمی‌گردد.';
      return reply.type('text/html; charset=utf-8').send(resultPage(payment, note));
    });

    // Verification: 0 the first time, 2 (duplicate, still Success) afterwards, -2 when not found or not paid.
    app.post('/verifyTxnRandomSessionkey/ipg/VerifyTransaction', async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const payment = byRefNum.get(String(body.RefNum ?? ''));
      const fail = (code: number) => ({ TransactionDetail: null, ResultCode: code, ResultDescription: RESULT_TEXT[code] ?? '', Success: false });
      if (!payment || payment.state !== 'paid') return fail(-2);
      if (String(body.TerminalNumber ?? '') !== payment.terminalId) return fail(-105);
      const code = payment.verifyCount === 0 ? 0 : 2;
      payment.verifyCount += 1;
      return { TransactionDetail: detailOf(payment), ResultCode: code, ResultDescription: RESULT_TEXT[code], Success: true };
    });

    // Reversal: refunds a paid transaction once; a reversed transaction no longer verifies.
    app.post('/verifyTxnRandomSessionkey/ipg/ReverseTransaction', async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const payment = byRefNum.get(String(body.RefNum ?? ''));
      if (!payment) return { TransactionDetail: null, ResultCode: -2, ResultDescription: RESULT_TEXT[-2], Success: false };
      if (String(body.TerminalNumber ?? '') !== payment.terminalId) {
        return { TransactionDetail: null, ResultCode: -105, ResultDescription: RESULT_TEXT[-105], Success: false };
      }
      if (payment.state === 'reversed') return { TransactionDetail: detailOf(payment), ResultCode: 2, ResultDescription: RESULT_TEXT[2], Success: true };
      if (payment.state !== 'paid') return { TransactionDetail: null, ResultCode: -2, ResultDescription: RESULT_TEXT[-2], Success: false };
      payment.state = 'reversed';
      return { TransactionDetail: detailOf(payment), ResultCode: 0, ResultDescription: RESULT_TEXT[0], Success: true };
    });
  };

  return {
    plugin,
    payments: () => [...byToken.values()].map((p) => ({ ...p })),
  };
}
