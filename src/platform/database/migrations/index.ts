// Every migration, in order. Names are timestamps so branches merge without renumbering.
import type { Migration } from 'kysely';
import * as initial from './2026-12-03T1700-initial.ts';

export const migrations: Record<string, Migration> = {
  '2026-12-03T1700-initial': initial,
};
