import { describe, expect, it } from 'vitest';
import { ageBucket, defaultPeriod, monthBuckets, parsePeriod, weekBuckets } from './period.ts';

describe('report periods', () => {
  it('turns Jalali days into Tehran-midnight instants, the last day included', () => {
    const p = parsePeriod('۱۴۰۵/۹/۱', '1405-09-30')!;
    expect(p.from).toBe('1405-09-01');
    expect(p.start.toISOString()).toBe('2026-11-21T20:30:00.000Z');
    expect(p.end.toISOString()).toBe('2026-12-21T20:30:00.000Z');
    expect(parsePeriod('1405-09-31', '1405-09-30')).toBeNull();
    expect(parsePeriod('1405-09-10', '1405-09-09')).toBeNull();
  });
  it('cuts Jalali weeks from Saturday and Jalali months', () => {
    const p = parsePeriod('1405-09-01', '1405-09-30')!;
    const weeks = weekBuckets(p);
    expect(weeks.map((w) => w.label)).toEqual(['هفته ۳۰ آبان', 'هفته ۷ آذر', 'هفته ۱۴ آذر', 'هفته ۲۱ آذر', 'هفته ۲۸ آذر']);
    expect(weeks[0]!.start.toISOString()).toBe('2026-11-20T20:30:00.000Z'); // Saturday 30 Aban, Tehran midnight
    const months = monthBuckets(parsePeriod('1405-11-15', '1406-01-02')!);
    expect(months.map((m) => m.label)).toEqual(['بهمن ۱۴۰۵', 'اسفند ۱۴۰۵', 'فروردین ۱۴۰۶']);
    expect(months[1]!.end.getTime() - months[1]!.start.getTime()).toBe(29 * 86_400_000);
  });
  it('defaults to the current Jalali month up to today and buckets backlog ages', () => {
    expect(defaultPeriod(new Date('2026-12-05T05:30:00Z'))).toMatchObject({ from: '1405-09-01', to: '1405-09-14' });
    expect([0, 2, 3, 6, 7, 13, 14, 29, 30, 400].map((d) => ageBucket(d).key)).toEqual(['0-2', '0-2', '3-6', '3-6', '7-13', '7-13', '14-29', '14-29', '30+', '30+']);
  });
});
