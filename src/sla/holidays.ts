// The official holidays of 1405 and Farvardin 1406 (University of Tehran Calendar Center), the
// seed of the holiday table. Lunar dates can move by a day after the moon sighting:
// administrators correct them through the API.
import { readFileSync } from 'node:fs';

export interface OfficialHoliday {
  jalali: string;
  gregorian: string;
  title_fa: string;
  title_en: string;
  kind: 'solar' | 'lunar';
}

/** Every official holiday entry (a day with two occasions appears twice). */
export function officialHolidays(): OfficialHoliday[] {
  const file = new URL('./data/holidays-1405.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { holidays: OfficialHoliday[] }).holidays;
}

/** Holidays as the calendar wants them: local date → title(s). */
export function holidayMap(entries: ReadonlyArray<{ gregorian: string; title_fa: string }>): Map<string, string> {
  const map = new Map<string, string>();
  for (const h of entries) map.set(h.gregorian, map.has(h.gregorian) ? `${map.get(h.gregorian)}؛ ${h.title_fa}` : h.title_fa);
  return map;
}
