// Money routes, thin: the gateway's callback (form POST, as Shaparak gateways send it; the
// payment is verified server-side before anything is marked paid), tariff administration,
// counter payments, receipts (JSON and a printable page), finance's flags and the daily
// reconciliation (CSV or JSON).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal, requireRole } from '../identity/auth.ts';
import { actorId, type Role } from '../identity/roles.ts';
import { ErrorResponse } from '../platform/http/openapi.ts';
import { TrackingCodeParams } from '../requests/request.schemas.ts';
import {
  CounterPaymentBody,
  FlagList,
  FlagParams,
  FlagsQuery,
  PublishTariffBody,
  ReceiptList,
  ReceiptParams,
  ReceiptQuery,
  ReceiptView,
  ReconciliationQuery,
  ResolveFlagBody,
  TariffVersionList,
  TariffVersionParams,
  TariffVersionView,
} from './payment.schemas.ts';
import type { PaymentService } from './payment.service.ts';
import { reconciliationCsv } from './reconciliation.ts';
import { renderReceiptHtml } from './receipt.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const TARIFF_READERS: Role[] = ['admin', 'finance', 'supervisor', 'auditor'];
const FINANCE_READERS: Role[] = ['finance', 'auditor', 'admin', 'supervisor'];

export function paymentRoutes(payments: PaymentService, links: { request(trackingCode: string): string; base(): string }) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();

    app.post('/payments/callback', { schema: { tags: ['payments'], summary: 'بازگشت از درگاه پرداخت (فراخوانی درگاه)', hide: false } }, async (request, reply) => {
      const fields = (request.body ?? {}) as Record<string, string>;
      const result = await payments.handleCallback(fields);
      request.log.info({ outcome: result.outcome, trackingCode: result.trackingCode }, 'payment callback');
      const target = result.trackingCode ? `${links.request(result.trackingCode)}?payment=${result.outcome}` : `${links.base()}/?payment=${result.outcome}`;
      return reply.redirect(target, 303);
    });

    r.get('/admin/tariffs', {
      schema: { tags: ['admin'], summary: 'نسخه‌های تعرفه (تازه‌ترین نخست) و نسخه در حال اجرا', response: { 200: TariffVersionList, ...errors } },
    }, async (request) => {
      requireRole(request, TARIFF_READERS);
      return payments.listTariffVersions();
    });

    r.post('/admin/tariffs', {
      schema: {
        tags: ['admin'], summary: 'ثبت نسخه تازه تعرفه با تاریخ اجرای آینده (شمسی)',
        description: 'نسخه‌ای که اجرا شده هرگز ویرایش نمی‌شود. مبلغ‌ها ریال صحیح و مضرب ۱۰۰۰ است. خطاها: INVALID_DATE، INVALID_AMOUNT، UNKNOWN_TARIFF_KIND، UNKNOWN_TARIFF_ROW، TARIFF_INCOMPLETE، TARIFF_OVERLAP، TARIFF_IN_FORCE.',
        body: PublishTariffBody, response: { 201: TariffVersionView, ...errors },
      },
    }, async (request, reply) => {
      const principal = requireRole(request, ['admin']);
      return reply.status(201).send(await payments.publishTariffVersion(request.body, actorId(principal)));
    });

    r.delete('/admin/tariffs/:id', {
      schema: { tags: ['admin'], summary: 'حذف نسخه‌ای از تعرفه که تاریخ اجرایش نرسیده است', params: TariffVersionParams, response: { 204: z.null().describe('نتیجه‌ای ندارد'), ...errors } },
    }, async (request, reply) => {
      requireRole(request, ['admin']);
      await payments.deleteScheduledTariffVersion(request.params.id);
      return reply.status(204).send(null);
    });

    r.post('/requests/:trackingCode/payments/counter', {
      schema: {
        tags: ['payments'], summary: 'ثبت پرداخت حضوری (کارت‌خوان یا نقدی) به دست کارشناس مالی',
        params: TrackingCodeParams, body: CounterPaymentBody, response: { 201: ReceiptView, ...errors },
      },
    }, async (request, reply) => {
      const principal = requireRole(request, ['finance']);
      return reply.status(201).send(await payments.recordCounterPayment(principal, actorId(principal), { trackingCode: request.params.trackingCode, ...request.body }));
    });

    r.get('/requests/:trackingCode/receipts', {
      schema: { tags: ['payments'], summary: 'رسیدهای پرداخت یک درخواست', params: TrackingCodeParams, response: { 200: ReceiptList, ...errors } },
    }, async (request) => ({ receipts: await payments.receiptsOf(requirePrincipal(request), request.params.trackingCode) }));

    r.get('/receipts/:id', {
      schema: {
        tags: ['payments'], summary: 'رسید چاپی پرداخت (HTML فارسی؛ format=json برای داده)', params: ReceiptParams, querystring: ReceiptQuery,
        produces: ['text/html', 'application/json'], response: { 200: z.any(), ...errors },
      },
    }, async (request, reply) => {
      const receipt = await payments.receipt(requirePrincipal(request), request.params.id);
      if (request.query.format === 'json') return receipt;
      return reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').send(renderReceiptHtml(receipt));
    });

    r.get('/finance/flags', {
      schema: { tags: ['finance'], summary: 'پرداخت‌های نیازمند بررسی مالی (دیرهنگام، تکراری، مغایر، بی‌مطابق)', querystring: FlagsQuery, response: { 200: FlagList, ...errors } },
    }, async (request) => {
      requireRole(request, FINANCE_READERS);
      return payments.listFlags({ all: request.query.status === 'all' });
    });

    r.post('/finance/flags/:id/resolve', {
      schema: { tags: ['finance'], summary: 'بستن یک مورد بررسی مالی با نتیجه بررسی', params: FlagParams, body: ResolveFlagBody, response: { 204: z.null().describe('نتیجه‌ای ندارد'), ...errors } },
    }, async (request, reply) => {
      const principal = requireRole(request, ['finance']);
      await payments.resolveFlag(request.params.id, request.body, actorId(principal));
      return reply.status(204).send(null);
    });

    r.get('/finance/reconciliation', {
      schema: {
        tags: ['finance'], summary: 'تطبیق روزانه: مبالغ صادرشده، پرداخت‌ها به تفکیک شیوه با شماره مرجع، مغایرت‌ها (CSV یا JSON)',
        querystring: ReconciliationQuery, produces: ['text/csv', 'application/json'], response: { 200: z.any(), ...errors },
      },
    }, async (request, reply) => {
      requireRole(request, FINANCE_READERS);
      const reconciliation = await payments.reconciliation(request.query.date);
      if (request.query.format === 'json') return reconciliation;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="reconciliation-${reconciliation.date}.csv"`)
        .send(reconciliationCsv(reconciliation));
    });
  };
}
