// SQL for operational monitoring: the database answers, which migrations ran, the outbox's depth
// and oldest message, and worker heartbeats (readiness: a worker has beaten recently).
import { sql, type Kysely } from 'kysely';
import type { Database } from './database/schema.ts';

export const monitoringRepository = {
  async ping(db: Kysely<Database>) {
    await sql`select 1`.execute(db);
  },
  /** Names of the migrations recorded as run (Kysely's own table). */
  async appliedMigrations(db: Kysely<Database>): Promise<string[]> {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    return rows.map((r) => r.name);
  },
  /** Outbox messages by status, and the age in seconds of the oldest one not yet sent. */
  async outboxStats(db: Kysely<Database>, now: Date) {
    const [byStatus, oldest] = await Promise.all([
      sql<{ status: string; n: number }>`select status, count(*)::int as n from outbox where status <> 'sent' group by status`.execute(db),
      sql<{ age: number | null }>`select extract(epoch from (${now}::timestamptz - min(created_at)))::float8 as age from outbox where status in ('pending', 'sending')`.execute(db),
    ]);
    return { byStatus: byStatus.rows, oldestAgeSeconds: oldest.rows[0]?.age ?? 0 };
  },
  beat(db: Kysely<Database>, row: { workerId: string; host: string; pid: number; startedAt: Date; beatAt: Date }) {
    return db.insertInto('workerHeartbeats').values(row).onConflict((oc) => oc.column('workerId').doUpdateSet({ beatAt: row.beatAt })).execute();
  },
  async lastBeat(db: Kysely<Database>): Promise<Date | null> {
    const row = await db.selectFrom('workerHeartbeats').select((eb) => eb.fn.max('beatAt').as('at')).executeTakeFirst();
    return (row?.at as Date | null | undefined) ?? null;
  },
};
