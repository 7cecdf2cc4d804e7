// SQL for service definitions.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/database/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export const catalogRepository = {
  latest(db: Executor, service: string) {
    return db.selectFrom('serviceDefinitions').selectAll().where('service', '=', service).orderBy('version', 'desc').limit(1).executeTakeFirst();
  },
  all(db: Executor) {
    return db.selectFrom('serviceDefinitions').select(['service', 'version', 'content']).orderBy('service').orderBy('version', 'desc').execute();
  },
  insert(db: Executor, row: { service: string; version: number; content: unknown; publishedAt: Date }) {
    return db
      .insertInto('serviceDefinitions')
      .values({ ...row, content: JSON.stringify(row.content) })
      .onConflict((oc) => oc.columns(['service', 'version']).doNothing())
      .execute();
  },
};
