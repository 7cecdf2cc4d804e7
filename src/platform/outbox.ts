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
  giveUpAt: Date | null;
}

export type OutboxHandler = (message: OutboxMessage) => Promise<{ providerMessageId?: string } | void>;

type Trx = Transaction<Database>;

/** What a kind may add to the dispatcher's bookkeeping; hooks run inside its transaction. */
export interface OutboxKindOptions {
  /** Give up once this long has passed since the message was written, whatever the attempts (e.g. a 2-minute sign-in code). */
  maxAgeMs?: number;
  /** Runs in the transaction that marks the message sent. */
  onSent?(trx: Trx, message: OutboxMessage, result: { providerMessageId?: string } | void): Promise<void>;
  /** Runs in the transaction that marks the message failed for good. */
  onGiveUp?(trx: Trx, message: OutboxMessage, reason: string): Promise<void>;
}

/** Backoff before the next attempt after `attempts` tries: 30 s, 1 min, 2 min, … capped at 1 hour. */
export function backoffMs(attempts: number): number {
  return Math.min(BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export type Outbox = ReturnType<typeof createOutbox>;

export function createOutbox(deps: { db: Kysely<Database>; clock: Clock; log: FastifyBaseLogger }) {
  const { db, clock, log } = deps;
  const handlers = new Map<string, OutboxHandler>();
  const kindOptions = new Map<string, OutboxKindOptions>();
  const inFlight = new Set<Promise<number>>();

  return {
    /** Registers the handler that carries out messages of one kind (and its give-up rule and hooks). */
    register(kind: string, handler: OutboxHandler, options: OutboxKindOptions = {}) {
      handlers.set(kind, handler);
      kindOptions.set(kind, options);
    },

    /** Writes a message in the caller's transaction (maxAgeMs: give up that long after, overriding the kind's); returns its id. */
    async add(trx: Transaction<Database> | Kysely<Database>, message: { kind: string; payload: unknown; requestId?: string | null; maxAgeMs?: number }) {
      const id = randomUUID();
      const now = clock.now();
      const maxAgeMs = message.maxAgeMs ?? kindOptions.get(message.kind)?.maxAgeMs;
      await outboxRepository.insert(trx, {
        id, kind: message.kind, requestId: message.requestId ?? null, payload: message.payload, availableAt: now, createdAt: now,
        giveUpAt: maxAgeMs === undefined ? null : new Date(now.getTime() + maxAgeMs),
      });
      return id;
    },

    /** Drops payload keys once they are no longer needed (a sign-in code's text after sending). */
    redact: (trx: Transaction<Database> | Kysely<Database>, id: string, keys: string[]) => outboxRepository.redact(trx, id, keys),

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
        const options = kindOptions.get(message.kind);
        await db.transaction().execute(async (trx) => {
          await outboxRepository.markSent(trx, message.id, { sentAt: clock.now(), providerMessageId: result?.providerMessageId ?? null });
          await options?.onSent?.(trx, message, result);
        });
        done += 1;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const nextAt = new Date(clock.now().getTime() + backoffMs(message.attempts));
        // Bounded: MAX_ATTEMPTS tries (about an hour of backoff), or sooner when the kind's give-up instant comes first.
        if (message.attempts >= MAX_ATTEMPTS || (message.giveUpAt !== null && nextAt.getTime() > message.giveUpAt.getTime())) {
          try {
            await db.transaction().execute(async (trx) => {
              await outboxRepository.markFailed(trx, message.id, reason, clock.now());
              await kindOptions.get(message.kind)?.onGiveUp?.(trx, message, reason);
            });
            log.error({ outboxId: message.id, kind: message.kind, attempts: message.attempts }, 'outbox message failed for good');
          } catch (hookError) {
            // Rolled back: the message stays leased and is given up again once the lease runs out.
            log.error({ err: hookError, outboxId: message.id, kind: message.kind }, 'giving up an outbox message failed; will try again');
          }
        } else {
          await outboxRepository.markRetry(db, message.id, { availableAt: nextAt, error: reason });
          log.warn({ outboxId: message.id, kind: message.kind, attempts: message.attempts, reason }, 'outbox message failed; will retry');
        }
      }
    }
    return done;
  }
}
