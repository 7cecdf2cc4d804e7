// Configuration: parsed once from the environment by one schema; fails fast listing every problem.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

const flag = z.enum(['on', 'off']);

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    BARQ_DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z.string().url().optional(),
    BARQ_PUBLIC_URL: z.string().url().optional(),
    BARQ_TWINS: flag.optional(),
    BARQ_FAKE_NOW: z.iso.datetime({ offset: true }).optional(),
    BARQ_DEMO_PASSWORD: z.string().min(8).default('barq-demo-1405'),
    BARQ_COMPANY_CODE: z.string().regex(/^\d{3}$/).default('131'),
    BARQ_WORKER: z.enum(['inline', 'off']).default('inline'),
    BARQ_SESSION_HOURS: z.coerce.number().int().positive().default(12),
    BARQ_OTP_SECRET: z.string().min(32, 'at least 32 characters').optional(),
    BILLING_BASE_URL: z.string().url().optional(),
    BILLING_API_KEY: z.string().optional(),
    SMS_BASE_URL: z.string().url().optional(),
    SMS_API_KEY: z.string().optional(),
    SMS_SENDER: z.string().default('20001521'),
    GATEWAY_BASE_URL: z.string().url().optional(),
    GATEWAY_TERMINAL_ID: z.string().optional(),
    GATEWAY_PAYMENT_PAGE: z.enum(['path', 'send-token']).optional(),
  })
  .superRefine((env, ctx) => {
    const production = env.NODE_ENV === 'production';
    const twins = env.BARQ_TWINS ?? (production ? 'off' : 'on');
    if (production && !env.BARQ_OTP_SECRET) {
      // Every API instance must hash one-time codes with the same key; a random one per process would not verify across instances.
      ctx.addIssue({ code: 'custom', path: ['BARQ_OTP_SECRET'], message: 'required in production (32+ random characters, the same on every instance)' });
    }
    if (production && env.BARQ_FAKE_NOW) {
      ctx.addIssue({ code: 'custom', path: ['BARQ_FAKE_NOW'], message: 'a fake clock is refused in production' });
    }
    if (twins === 'off') {
      for (const key of ['BILLING_BASE_URL', 'SMS_BASE_URL', 'SMS_API_KEY', 'GATEWAY_BASE_URL', 'GATEWAY_TERMINAL_ID'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when the local twins are off' });
      }
    }
  });

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.output<typeof EnvSchema>) {
  const production = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    production,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    dataDir: path.resolve(env.BARQ_DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    publicUrl: env.BARQ_PUBLIC_URL?.replace(/\/$/, ''),
    twins: (env.BARQ_TWINS ?? (production ? 'off' : 'on')) === 'on',
    fakeNow: env.BARQ_FAKE_NOW ? new Date(env.BARQ_FAKE_NOW) : undefined,
    demoPassword: env.BARQ_DEMO_PASSWORD,
    companyCode: env.BARQ_COMPANY_CODE,
    worker: env.BARQ_WORKER,
    sessionHours: env.BARQ_SESSION_HOURS,
    /** Key of the one-time codes' HMAC; in development a random one per process (codes die with it, which costs at most 2 minutes). */
    otpSecret: env.BARQ_OTP_SECRET ?? randomBytes(32).toString('hex'),
    billing: { baseUrl: env.BILLING_BASE_URL, apiKey: env.BILLING_API_KEY ?? 'twin' },
    sms: { baseUrl: env.SMS_BASE_URL, apiKey: env.SMS_API_KEY ?? 'twin-key', sender: env.SMS_SENDER },
    gateway: {
      baseUrl: env.GATEWAY_BASE_URL,
      terminalId: env.GATEWAY_TERMINAL_ID ?? 'twin-terminal',
      // The real SEP gateway serves its page at /OnlinePG/SendToken; the twin also at /pay/{token} (API.md).
      paymentPage: env.GATEWAY_PAYMENT_PAGE ?? (env.GATEWAY_BASE_URL ? 'send-token' : 'path'),
    },
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment into a Config; throws ConfigError listing every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  return toConfig(result.data);
}
