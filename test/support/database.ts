// One isolated, migrated database per test file: a copy of the migrated embedded dump, or a
// fresh database cloned from the migrated template on the PostgreSQL server (DATABASE_URL).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/platform/database/database.ts';
import { PGLITE_DUMP, TEMPLATE_DB } from '../setup/global-database.ts';

export const onPostgres = Boolean(process.env['DATABASE_URL']);

async function adminQuery(sql: string) {
  const admin = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Opens a fresh migrated database for one test file; close() also drops it on the server. */
export async function openTestDatabase(options: { poolSize?: number } = {}): Promise<DatabaseHandle & { url?: string }> {
  const url = process.env['DATABASE_URL'];
  if (!url) {
    const dump = await fs.readFile(PGLITE_DUMP);
    return openDatabase({ loadDataDir: new Blob([dump]) });
  }
  const name = `barq_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name} template ${TEMPLATE_DB}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: target.toString(), poolSize: options.poolSize ?? 10 });
  return {
    ...handle,
    url: target.toString(),
    close: async () => {
      await handle.close();
      // pg's pool.end() resolves before every backend has gone; forcing the drop while one is still
      // closing makes the server kill it, and pg reports that as an unhandled 57P01 error. So wait
      // (by asking the server, no timers) until the database's sessions have gone, then drop it.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        for (let i = 0; i < 2_000; i += 1) {
          const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (rows[0]!.n === 0) break;
        }
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}
