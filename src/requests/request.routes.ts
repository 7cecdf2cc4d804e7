// Request routes: thin — authenticate, validate, call one use case, present the result.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal, requireRole } from '../identity/auth.ts';
import { STAFF_ROLES } from '../identity/roles.ts';
import { ErrorResponse } from '../platform/http/openapi.ts';
import { normalizeLegalNationalId, normalizeNationalCode } from '../platform/identifiers.ts';
import {
  ActionBody,
  CreateRequestBody,
  ListQuery,
  PaymentStartBody,
  RequestPage,
  RequestView,
  TrackingCodeParams,
  TrackQuery,
  TrackView,
} from './request.schemas.ts';
import type { RequestService } from './request.service.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export function requestRoutes(requests: RequestService) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post('/requests', {
      schema: {
        tags: ['requests'], summary: 'ثبت درخواست جمع‌آوری موقت انشعاب',
        description: 'متقاضی (با کد یکبارمصرف)، متصدی پیشخوان یا کارشناس پذیرش. سرآیند Idempotency-Key تکرار امن را ممکن می‌کند.',
        headers: z.looseObject({ 'idempotency-key': z.string().min(8).max(100).optional() }),
        body: CreateRequestBody,
        response: { 201: RequestView, ...errors },
      },
    }, async (request, reply) => {
      const principal = requireRole(request, ['applicant', 'pishkhan-operator', 'clerk', 'supervisor']);
      const { status, view } = await requests.submit(principal, request.body, request.headers['idempotency-key'] as string | undefined);
      return reply.status(status).send(view);
    });

    r.get('/requests', {
      schema: { tags: ['requests'], summary: 'فهرست درخواست‌ها (صف کار)', querystring: ListQuery, response: { 200: RequestPage, ...errors } },
    }, async (request) => {
      const principal = requireRole(request, ['applicant', ...STAFF_ROLES]);
      return requests.list(principal, { ...(request.query.state ? { state: request.query.state } : {}), ...(request.query.billId ? { billId: request.query.billId } : {}), page: request.query.page, pageSize: request.query.pageSize, sort: request.query.sort });
    });

    r.get('/requests/:trackingCode', {
      schema: { tags: ['requests'], summary: 'جزئیات درخواست', params: TrackingCodeParams, response: { 200: RequestView, ...errors } },
    }, async (request) => requests.get(requirePrincipal(request), request.params.trackingCode));

    r.get('/requests/:trackingCode/sla', {
      schema: {
        tags: ['sla'], summary: 'توضیح زمان‌بندی درخواست: اجرا و توقف ساعت هر مرحله با علت، موعدها، تأخیرها و واحد مسئول',
        params: TrackingCodeParams, response: { 200: z.looseObject({ steps: z.array(z.looseObject({})) }), ...errors },
      },
    }, async (request) => requests.explainSla(requireRole(request, [...STAFF_ROLES, 'applicant']), request.params.trackingCode));

    r.post('/requests/:trackingCode/actions', {
      schema: {
        tags: ['requests'], summary: 'انجام یک اقدام روی درخواست',
        description: 'اقدام‌ها: quote, confirm-payment, record-meter-test, announce-conditions, accept-conditions, refuse-conditions, schedule-removal, record-removal, settle, withdraw, reject, archive. ۴۰۹ INVALID_TRANSITION وقتی در وضعیت فعلی مجاز نیست؛ ۴۰۳ وقتی نقش شما مجاز نیست.',
        params: TrackingCodeParams, body: ActionBody, response: { 200: RequestView, ...errors },
      },
    }, async (request) => requests.act(requirePrincipal(request), request.params.trackingCode, request.body));

    r.post('/requests/:trackingCode/payments', {
      schema: {
        tags: ['payments'], summary: 'شروع پرداخت اینترنتی یک مبلغ', params: TrackingCodeParams, body: PaymentStartBody,
        response: { 201: z.object({ paymentUrl: z.string(), paymentId: z.string(), amountRials: z.number().int() }), ...errors, 503: ErrorResponse },
      },
    }, async (request, reply) => {
      const result = await requests.startPayment(requirePrincipal(request), request.params.trackingCode, request.body.amountDueId);
      return reply.status(201).send(result);
    });

    r.get('/track/:trackingCode', {
      schema: {
        tags: ['tracking'], summary: 'پیگیری عمومی درخواست با کد رهگیری و کد/شناسه ملی', params: TrackingCodeParams, querystring: TrackQuery,
        response: { 200: TrackView, 400: ErrorResponse, 404: ErrorResponse },
      },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    }, async (request) => {
      const nationalCode = request.query.nationalCode ? (normalizeNationalCode(request.query.nationalCode) ?? 'invalid') : undefined;
      const nationalId = request.query.nationalId ? (normalizeLegalNationalId(request.query.nationalId) ?? 'invalid') : undefined;
      return requests.track(request.params.trackingCode, { ...(nationalCode ? { nationalCode } : {}), ...(nationalId ? { nationalId } : {}) });
    });
  };
}
