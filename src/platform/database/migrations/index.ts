// Every migration, in order. Names are timestamps so branches merge without renumbering.
import type { Migration } from 'kysely';
import * as initial from './2026-12-03T1700-initial.ts';
import * as sla from './2026-12-03T1800-sla.ts';
import * as notifications from './2026-12-03T1910-notifications.ts';
import * as money from './2026-12-03T1920-money.ts';
import * as feedbackMonitoring from './2026-12-03T2000-feedback-monitoring.ts';

export const migrations: Record<string, Migration> = {
  '2026-12-03T1700-initial': initial,
  '2026-12-03T1800-sla': sla,
  '2026-12-03T1910-notifications': notifications,
  '2026-12-03T1920-money': money,
  '2026-12-03T2000-feedback-monitoring': feedbackMonitoring,
};
