// Opens the database: embedded PostgreSQL (PGlite) in a data folder by default, a PostgreSQL server
// when DATABASE_URL is set. One dialect (PostgreSQL), one set of migrations, and numbers that
// parse the same on both (bigint and numeric come back as JavaScript numbers — money stays far
// below 2^53 rials — and dates as 'YYYY-MM-DD' strings).
import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The embedded engine itself (dumps for tests), when kind is 'pglite'. */
  pglite?: PGlite;
  close(): Promise<void>;
}

const toNumber = (value: string) => Number(value);
// Calendar dates stay 'YYYY-MM-DD' strings: a Date would pin them to the server's time zone.
const asText = (value: string) => value;

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  /** Folder of the embedded database; ignored with databaseUrl. */
  dataDir?: string;
  /** Start the embedded database from a dump (tests: one migrated copy per test file). */
  loadDataDir?: Blob;
  poolSize?: number;
}

/** Opens the database described by the options; the caller owns closing it. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const plugins = [new CamelCasePlugin()];
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC
            ? toNumber
            : oid === pg.types.builtins.DATE
              ? asText
              : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  let dataDir: string | undefined;
  if (options.dataDir && !options.loadDataDir) {
    dataDir = path.join(options.dataDir, 'pgdata');
    await fs.mkdir(dataDir, { recursive: true });
  }
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: { [pgliteTypes.INT8]: toNumber, [pgliteTypes.NUMERIC]: toNumber, [pgliteTypes.DATE]: asText },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), plugins });
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
    },
  };
}

/** Brings the schema to the newest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return result;
}
