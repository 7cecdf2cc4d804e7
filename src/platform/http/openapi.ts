// OpenAPI plumbing: the document at /api/v1/openapi.json and the interactive docs at /api/docs,
// generated from the same zod schemas that validate requests.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERRORS } from '../errors.ts';

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERRORS) as [keyof typeof ERRORS, ...Array<keyof typeof ERRORS>]),
      message: z.string().describe('پیام فارسی برای نمایش به کاربر'),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .describe('خطا');

/** Registers the OpenAPI generator and the docs UI; call before any route is registered. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Barq Desk API — میز خدمت برق',
        description: 'API عمومی میز خدمت برق برای خدمت جمع‌آوری موقت انشعاب. خطاها: {"error":{"code","message","details"}} با کد ثابت و پیام فارسی.',
        version,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // The local twins stand in for outside systems in development: not part of the public contract.
    transform: (input: Parameters<typeof jsonSchemaTransform>[0]) =>
      input.url.startsWith('/__twins') ? { schema: { ...input.schema, hide: true }, url: input.url } : jsonSchemaTransform(input),
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
}
