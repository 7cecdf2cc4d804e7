import { describe, expect, it } from 'vitest';
import {
  formatJalaliDate,
  formatJalaliDateTime,
  gregorianToJalali,
  parseJalaliDate,
  toJalaliDateString,
} from './jalali.ts';
import { toPersianDigits } from './digits.ts';

describe('formatJalaliDate / formatJalaliDateTime', () => {
  it.each<[string, string, string]>([
    ['2026-12-03T10:00:00Z', 'پنجشنبه ۱۲ آذر ۱۴۰۵', 'پنجشنبه ۱۲ آذر ۱۴۰۵، ساعت ۱۳:۳۰'],
    // 21:00Z is already the next day (00:30) in Tehran
    ['2026-12-02T21:00:00Z', 'پنجشنبه ۱۲ آذر ۱۴۰۵', 'پنجشنبه ۱۲ آذر ۱۴۰۵، ساعت ۰۰:۳۰'],
    ['2026-12-02T20:29:00Z', 'چهارشنبه ۱۱ آذر ۱۴۰۵', 'چهارشنبه ۱۱ آذر ۱۴۰۵، ساعت ۲۳:۵۹'],
    ['2026-03-20T20:30:00Z', 'شنبه ۱ فروردین ۱۴۰۵', 'شنبه ۱ فروردین ۱۴۰۵، ساعت ۰۰:۰۰'],
    // summer: no DST since 2022, still +03:30
    ['2026-07-15T05:35:00Z', 'چهارشنبه ۲۴ تیر ۱۴۰۵', 'چهارشنبه ۲۴ تیر ۱۴۰۵، ساعت ۰۹:۰۵'],
  ])('%s', (iso, date, dateTime) => {
    const d = new Date(iso);
    expect(formatJalaliDate(d)).toBe(date);
    expect(formatJalaliDateTime(d)).toBe(dateTime);
  });

  it('uses only Persian digits', () => {
    expect(formatJalaliDateTime(new Date('2027-01-01T12:00:00Z'))).not.toMatch(/[0-9\u0660-\u0669]/);
  });

  it('throws on an invalid Date', () => {
    expect(() => formatJalaliDate(new Date('nope'))).toThrow(RangeError);
  });
});

describe('toJalaliDateString', () => {
  it.each([
    ['2026-12-03T10:00:00Z', '1405-09-12'],
    ['2026-12-02T21:00:00Z', '1405-09-12'], // 00:30 in Tehran
    ['2026-12-02T20:29:59Z', '1405-09-11'], // 23:59 in Tehran
    ['2026-03-20T20:30:00Z', '1405-01-01'],
    ['2026-03-20T20:29:59Z', '1404-12-29'],
    ['2027-03-20T12:00:00Z', '1405-12-29'],
  ])('%s → %s', (iso, expected) => {
    expect(toJalaliDateString(new Date(iso))).toBe(expected);
  });
});

describe('parseJalaliDate', () => {
  it.each<[string, { jy: number; jm: number; jd: number; gregorian: string } | null]>([
    ['1405-01-01', { jy: 1405, jm: 1, jd: 1, gregorian: '2026-03-21' }],
    ['1405-12-29', { jy: 1405, jm: 12, jd: 29, gregorian: '2027-03-20' }],
    ['1405-09-15', { jy: 1405, jm: 9, jd: 15, gregorian: '2026-12-06' }],
    ['1405/9/15', { jy: 1405, jm: 9, jd: 15, gregorian: '2026-12-06' }],
    ['۱۴۰۵/۰۹/۱۵', { jy: 1405, jm: 9, jd: 15, gregorian: '2026-12-06' }],
    [' ١٤٠٥-٠٩-١٥ ', { jy: 1405, jm: 9, jd: 15, gregorian: '2026-12-06' }],
    ['1403-12-30', { jy: 1403, jm: 12, jd: 30, gregorian: '2025-03-20' }], // 1403 is leap
    ['1405-12-30', null], // 1405 is not leap
    ['1405-07-31', null], // Mehr has 30 days
    ['1405-06-31', { jy: 1405, jm: 6, jd: 31, gregorian: '2026-09-22' }],
    ['1405-13-01', null],
    ['1405-00-10', null],
    ['1405-01-00', null],
    ['1405-09/15', null], // mixed separators
    ['14050915', null],
    ['1405-09-15T00:00', null],
    ['', null],
  ])('%j', (input, expected) => {
    expect(parseJalaliDate(input)).toEqual(expected);
  });
});

describe('gregorianToJalali', () => {
  it.each([
    ['2026-03-21', '1405-01-01'],
    ['2027-03-20', '1405-12-29'],
    ['2027-03-21', '1406-01-01'],
    ['2026-12-03', '1405-09-12'],
    ['2025-03-20', '1403-12-30'],
  ])('%s → %s', (iso, expected) => {
    expect(gregorianToJalali(iso)).toBe(expected);
  });

  it('inverts parseJalaliDate for every day of 1405', () => {
    let days = 0;
    for (let jm = 1; jm <= 12; jm++) {
      for (let jd = 1; jd <= 31; jd++) {
        const s = `1405-${String(jm).padStart(2, '0')}-${String(jd).padStart(2, '0')}`;
        const parsed = parseJalaliDate(s);
        if (!parsed) continue;
        days++;
        expect(gregorianToJalali(parsed.gregorian)).toBe(s);
        // the Intl (ICU) display agrees with jalaali-js for Tehran noon of that day
        const noon = new Date(`${parsed.gregorian}T12:00:00+03:30`);
        expect(toJalaliDateString(noon)).toBe(s);
        expect(formatJalaliDate(noon)).toMatch(new RegExp(` ${toPersianDigits(jd)} [^ ]+ ۱۴۰۵$`));
      }
    }
    expect(days).toBe(365);
  });

  it.each(['2026-02-30', '2026-13-01', '2026-3-21', 'x'])('throws for %j', (input) => {
    expect(() => gregorianToJalali(input)).toThrow(RangeError);
  });
});
