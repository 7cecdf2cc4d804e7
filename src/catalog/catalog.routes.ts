// The public service information form (SLA §4) through the API.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse } from '../platform/http/openapi.ts';
import type { CatalogService } from './catalog.service.ts';

export function catalogRoutes(catalog: CatalogService) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get('/services', { schema: { tags: ['services'], summary: 'خدمات ارائه‌شده', security: [] } }, async () => ({ services: await catalog.list() }));
    r.get('/services/:service', {
      schema: { tags: ['services'], summary: 'شناسنامه خدمت (فرم اطلاعات خدمت)', security: [], params: z.object({ service: z.string().max(60) }), response: { 200: z.looseObject({ code: z.string(), title: z.string() }), 404: ErrorResponse } },
    }, async (request) => catalog.form(request.params.service));
  };
}
