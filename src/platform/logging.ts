// Structured logs (pino through Fastify) with a request id, and no personal data beyond what an
// auditor needs: national codes, national IDs and mobiles are masked wherever they appear.
import type { FastifyServerOptions } from 'fastify';

/** '0499370899' → '04******99'; keeps just enough for a person to recognise their own. */
export function maskDigits(value: string, keepStart = 2, keepEnd = 2): string {
  if (value.length <= keepStart + keepEnd) return '*'.repeat(value.length);
  return value.slice(0, keepStart) + '*'.repeat(value.length - keepStart - keepEnd) + value.slice(-keepEnd);
}

/** Masks every national code, national ID and mobile-looking run of digits in free text. */
export function maskPersonalData(text: string): string {
  return text
    .replace(/(?<!\d)(?:\+?98|0098|0)?9\d{9}(?!\d)/g, (m) => maskDigits(m, 4, 2))
    .replace(/(?<!\d)\d{10,11}(?!\d)/g, (m) => maskDigits(m));
}

/** Fastify logger options: levels from config, authorization and cookies redacted, URLs masked. */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
    serializers: {
      req(request: { method: string; url: string; id: string; ip?: string }) {
        return { id: request.id, method: request.method, url: maskPersonalData(request.url) };
      },
    },
  };
}
