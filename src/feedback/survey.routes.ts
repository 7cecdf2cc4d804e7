// The public survey behind an SMS link: no sign-in beyond the link's token; rate-limited.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse } from '../platform/http/openapi.ts';
import { SurveyAnswerBody, SurveyTokenParams } from './survey.schemas.ts';
import type { SurveyService } from './survey.service.ts';

const responses = { 200: z.looseObject({}), 201: z.looseObject({}), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 410: ErrorResponse, 429: ErrorResponse };
const limit = { rateLimit: { max: 30, timeWindow: '1 minute' } };

export function surveyRoutes(surveys: SurveyService) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get('/surveys/:token', {
      config: limit,
      schema: { tags: ['feedback'], summary: 'پرسش‌های نظرسنجی پس از پایان درخواست (با پیوند پیامک، بدون ورود)', security: [], params: SurveyTokenParams, response: responses },
    }, async (request) => surveys.get(request.params.token));

    r.post('/surveys/:token', {
      config: limit,
      schema: { tags: ['feedback'], summary: 'ثبت پاسخ نظرسنجی (یک بار برای هر درخواست)', security: [], params: SurveyTokenParams, body: SurveyAnswerBody, response: responses },
    }, async (request, reply) => reply.status(201).send(await surveys.answer(request.params.token, request.body)));
  };
}
