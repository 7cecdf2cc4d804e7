// The transactional outbox: side effects (SMS, calls to the billing system) are written in the
// same transaction as the change that causes them and carried out after commit by the
// dispatcher, with retries, exponential backoff and a lease so a crashed worker's messages are
// taken up again. Handlers must be idempotent on the outbox id (providers get it as a key).
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from './clock.ts';
import type { Database } from './database/schema.ts';
import { outboxRepository } from './outbox.repository.ts';

export const MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;
const BASE_BACKOFF_MS = 30_000;

export interface OutboxMessage {
  id: string;
  kind: string;
  requestId: string | null;
  payload: unknown;
  attempts: number;
}

export type OutboxHandler = (message: OutboxMessage) => Promise<{ providerMessageId?: string } | void>;

/** Backoff before the next attempt after `attempts` tries: 30 s, 1 min, 2 min, … capped at 1 hour. */
export function backoffMs(attempts: number): number {
  return Math.min(BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export type Outbox = ReturnType<typeof createOutbox>;

export function createOutbox(deps: { db: Kysely<Database>; clock: Clock; log: FastifyBaseLogger }) {
  const { db, clock, log } = deps;
  const handlers = new Map<string, OutboxHandler>();
  const inFlight = new Set<Promise<number>>();

  return {
    /** Registers the handler that carries out messages of one kind. */
    register(kind: string, handler: OutboxHandler) {
      handlers.set(kind, handler);
    },

    /** Writes a message in the caller's transaction; returns its id. */
    async add(trx: Transaction<Database> | Kysely<Database>, message: { kind: string; payload: unknown; requestId?: string | null }) {
      const id = randomUUID();
      const now = clock.now();
      await outboxRepository.insert(trx, { id, kind: message.kind, requestId: message.requestId ?? null, payload: message.payload, availableAt: now, createdAt: now });
      return id;
    },

    /** Carries out due messages (or only `ids`); returns how many succeeded. */
    dispatch(options: { ids?: string[]; limit?: number } = {}): Promise<number> {
      const run = dispatchNow(options);
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run)).catch(() => undefined);
      return run;
    },

    /** Resolves when every dispatch under way has finished (shutdown, tests). */
    async settled(): Promise<void> {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },

    listForRequest: (requestId: string) => outboxRepository.listForRequest(db, requestId),
  };

  async function dispatchNow(options: { ids?: string[]; limit?: number }): Promise<number> {
    const now = clock.now();
    const claimed = await outboxRepository.claim(db, {
      now,
      leaseUntil: new Date(now.getTime() + LEASE_MS),
      limit: options.limit ?? 50,
      ...(options.ids ? { ids: options.ids } : {}),
    });
    let done = 0;
    for (const message of claimed) {
      const handler = handlers.get(message.kind);
      try {
        if (!handler) throw new Error(`no handler for outbox kind ${message.kind}`);
        const result = await handler(message);
        await outboxRepository.markSent(db, message.id, { sentAt: clock.now(), providerMessageId: result?.providerMessageId ?? null });
        done += 1;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (message.attempts >= MAX_ATTEMPTS) {
          await outboxRepository.markFailed(db, message.id, reason);
          log.error({ outboxId: message.id, kind: message.kind, attempts: message.attempts }, 'outbox message failed for good');
        } else {
          await outboxRepository.markRetry(db, message.id, { availableAt: new Date(clock.now().getTime() + backoffMs(message.attempts)), error: reason });
          log.warn({ outboxId: message.id, kind: message.kind, attempts: message.attempts, reason }, 'outbox message failed; will retry');
        }
      }
    }
    return done;
  }
}
