// The auditors' view of the event log: every event of every request, filtered and paged, and
// exported whole (CSV streamed in id order, xlsx up to XLSX_MAX_ROWS). The log itself is
// append-only: triggers refuse UPDATE, DELETE and TRUNCATE (migration 2026-12-03T2000).
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../platform/database/schema.ts';
import { AppError } from '../platform/errors.ts';
import { formatJalaliDateTime } from '../platform/jalali.ts';
import { toPersianDigits } from '../platform/digits.ts';
import { csvHeader, csvLine, toXlsx, type Column } from './export.ts';
import { reportRepository as repo, type AuditFilter, type AuditRow } from './report.repository.ts';

export const XLSX_MAX_ROWS = 100_000;
const BATCH = 5_000;

const COLUMNS: Column[] = [
  { header: 'شناسه رویداد', key: 'id', numFmt: '0', width: 12 },
  { header: 'کد رهگیری', key: 'trackingCode', width: 16 },
  { header: 'زمان (UTC)', key: 'at', width: 26 },
  { header: 'زمان (تهران)', key: 'atJalali', width: 32 },
  { header: 'اقدام', key: 'action', width: 18 },
  { header: 'عنوان اقدام', key: 'actionLabel', width: 24 },
  { header: 'از وضعیت', key: 'fromState', width: 20 },
  { header: 'به وضعیت', key: 'toState', width: 20 },
  { header: 'نوع کنشگر', key: 'actorKind', width: 12 },
  { header: 'کنشگر', key: 'actorId', width: 24 },
  { header: 'نقش', key: 'actorRoleLabel', width: 18 },
  { header: 'درگاه', key: 'channel', width: 10 },
  { header: 'علت', key: 'reason', width: 40 },
  { header: 'جزئیات', key: 'payload', width: 60 },
];

export type AuditService = ReturnType<typeof createAuditService>;

export function createAuditService(deps: { db: Kysely<Database>; actionTitles: Record<string, string>; roleTitles: Record<string, string> }) {
  const { db } = deps;
  const present = (e: AuditRow) => ({
    id: e.id, trackingCode: e.trackingCode, action: e.action, actionLabel: deps.actionTitles[e.action] ?? e.action,
    fromState: e.fromState, toState: e.toState, actorKind: e.actorKind, actorId: e.actorId, actorRole: e.actorRole,
    actorRoleLabel: deps.roleTitles[e.actorRole] ?? e.actorRole, channel: e.channel, at: e.at.toISOString(), atJalali: formatJalaliDateTime(e.at),
    reason: e.reason, payload: e.payload,
  });
  const flat = (e: AuditRow) => ({ ...present(e), payload: JSON.stringify(e.payload ?? {}) });

  return {
    /** A page of events, newest first. */
    async list(filter: AuditFilter, page: number, pageSize: number) {
      const { items, total } = await repo.auditPage(db, filter, page, pageSize);
      return { items: items.map(present), page, pageSize, total };
    },

    /** Every matching event as CSV (UTF-8 with BOM), streamed in batches so memory stays flat. */
    csv(filter: AuditFilter): Readable {
      async function* lines() {
        yield csvHeader(COLUMNS);
        let afterId = 0;
        for (;;) {
          const batch = await repo.auditBatch(db, filter, afterId, BATCH);
          if (batch.length === 0) return;
          yield batch.map((e) => csvLine(COLUMNS, flat(e))).join('');
          afterId = batch.at(-1)!.id;
        }
      }
      return Readable.from(lines());
    },

    /** Every matching event as an xlsx workbook; refuses more than XLSX_MAX_ROWS (CSV has no limit). */
    async xlsx(filter: AuditFilter) {
      const { total } = await repo.auditPage(db, filter, 1, 1);
      if (total > XLSX_MAX_ROWS) {
        throw new AppError('VALIDATION_FAILED', `خروجی اکسل حداکثر ${toPersianDigits(XLSX_MAX_ROWS.toLocaleString('en'))} رویداد است (${toPersianDigits(total)} رویداد یافت شد)؛ بازه را کوتاه‌تر کنید یا CSV بگیرید.`, { total });
      }
      const rows = [];
      let afterId = 0;
      for (;;) {
        const batch = await repo.auditBatch(db, filter, afterId, BATCH);
        if (batch.length === 0) break;
        rows.push(...batch.map(flat));
        afterId = batch.at(-1)!.id;
      }
      return toXlsx([{ name: 'رویدادها', columns: COLUMNS, rows }], { title: 'رویدادهای درخواست‌ها' });
    },
  };
}
