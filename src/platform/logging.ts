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

/**
 * Masks personal data anywhere in a log object: strings inside plain objects and arrays (bodies,
 * payloads, query strings a handler logs) and the message and stack of errors. Other objects (the
 * raw request, the reply) are left to their serializers. Depth-limited; cycles are cut.
 */
export function maskDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { type: value.name, message: maskPersonalData(value.message), stack: value.stack ? maskPersonalData(value.stack) : undefined, ...(code !== undefined ? { code } : {}) };
  }
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1, seen));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, depth + 1, seen)]));
}

/** Fastify logger options: levels from config, authorization and cookies redacted, URLs, messages and logged objects masked. */
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
    formatters: {
      log: (object: Record<string, unknown>) => maskDeep(object) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? maskPersonalData(a) : a)));
      },
    },
  };
}
