// Every migration, in order. Names are timestamps so branches merge without renumbering.
import type { Migration } from 'kysely';
import * as initial from './2026-12-03T1700-initial.ts';
import * as sla from './2026-12-03T1800-sla.ts';

export const migrations: Record<string, Migration> = {
  '2026-12-03T1700-initial': initial,
  '2026-12-03T1800-sla': sla,
};
