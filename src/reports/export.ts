// Spreadsheet and CSV writing for reports (no database): xlsx through exceljs with a right-to-left
// sheet view, Persian headers and numbers stored as numbers; CSV as UTF-8 with a BOM (so Excel
// reads Persian) and CRLF lines. Text that a spreadsheet would run as a formula is defused.
import ExcelJS from 'exceljs';

export interface Column {
  header: string;
  key: string;
  width?: number;
  /** Excel number format for numeric cells, e.g. '0.00'. */
  numFmt?: string;
}

export interface Sheet {
  name: string;
  columns: Column[];
  /** Only the columns' keys are written; values other than strings, numbers and booleans are left empty. */
  rows: Array<Record<string, unknown>>;
}

/** A value a spreadsheet would evaluate (=, +, -, @ at the start) is prefixed with an apostrophe. */
function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Builds an xlsx workbook (one sheet per entry, right to left, header row bold and frozen). */
export async function toXlsx(sheets: Sheet[], meta: { title: string; creator?: string }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = meta.creator ?? 'میز خدمت برق';
  workbook.title = meta.title;
  workbook.created = new Date(0);
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ rightToLeft: true, state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 16, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
    ws.getRow(1).font = { bold: true };
    for (const row of sheet.rows) {
      ws.addRow(Object.fromEntries(sheet.columns.map((c) => {
        const v = row[c.key];
        return [c.key, typeof v === 'string' ? defuse(v) : typeof v === 'number' || typeof v === 'boolean' ? v : null];
      })));
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function csvCell(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return '';
  const text = typeof value === 'string' ? defuse(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (CRLF-terminated) from the columns' keys. */
export function csvLine(columns: Column[], row: Sheet['rows'][number]): string {
  return columns.map((c) => csvCell(row[c.key])).join(',') + '\r\n';
}

/** The CSV header line, preceded by the UTF-8 byte order mark. */
export function csvHeader(columns: Column[]): string {
  return '\uFEFF' + columns.map((c) => csvCell(c.header)).join(',') + '\r\n';
}

/** A whole CSV document of one sheet. */
export function toCsv(sheet: Sheet): string {
  return csvHeader(sheet.columns) + sheet.rows.map((r) => csvLine(sheet.columns, r)).join('');
}
