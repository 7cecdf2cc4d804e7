// The gateway's callback (form POST, as Shaparak gateways send it). The payment is verified with
// the gateway server-side before anything is marked paid; the payer's browser is sent back to
// the request page with the outcome.
import type { FastifyInstance } from 'fastify';
import type { PaymentService } from './payment.service.ts';

export function paymentRoutes(payments: PaymentService, links: { request(trackingCode: string): string; base(): string }) {
  return async function routes(app: FastifyInstance) {
    app.post('/payments/callback', { schema: { tags: ['payments'], summary: 'بازگشت از درگاه پرداخت (فراخوانی درگاه)', hide: false } }, async (request, reply) => {
      const fields = (request.body ?? {}) as Record<string, string>;
      const result = await payments.handleCallback(fields);
      request.log.info({ outcome: result.outcome, trackingCode: result.trackingCode }, 'payment callback');
      const target = result.trackingCode ? `${links.request(result.trackingCode)}?payment=${result.outcome}` : `${links.base()}/?payment=${result.outcome}`;
      return reply.redirect(target, 303);
    });
  };
}
