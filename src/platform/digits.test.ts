import { describe, expect, it } from 'vitest';
import { formatRials, formatTomans, toAsciiDigits, toPersianDigits } from './digits.ts';

describe('toAsciiDigits', () => {
  it.each([
    ['۰۱۲۳۴۵۶۷۸۹', '0123456789'],
    ['٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['کد ۱۲۳-٤٥٦ abc 789', 'کد 123-456 abc 789'],
    ['', ''],
    ['no digits', 'no digits'],
  ])('%s → %s', (input, expected) => {
    expect(toAsciiDigits(input)).toBe(expected);
  });
});

describe('toPersianDigits', () => {
  it.each<[string | number, string]>([
    ['0123456789', '۰۱۲۳۴۵۶۷۸۹'],
    [1405, '۱۴۰۵'],
    [0, '۰'],
    ['٤٥٦', '۴۵۶'],
    ['ساعت 13:30', 'ساعت ۱۳:۳۰'],
  ])('%s → %s', (input, expected) => {
    expect(toPersianDigits(input)).toBe(expected);
  });

  it('round-trips with toAsciiDigits', () => {
    const s = 'abc 9876543210 xyz';
    expect(toAsciiDigits(toPersianDigits(s))).toBe(s);
  });
});

describe('formatRials', () => {
  it.each([
    [0, '۰ ریال'],
    [7, '۷ ریال'],
    [999, '۹۹۹ ریال'],
    [1000, '۱٬۰۰۰ ریال'],
    [1234500, '۱٬۲۳۴٬۵۰۰ ریال'],
    [-1234500, '−۱٬۲۳۴٬۵۰۰ ریال'],
    [-5, '−۵ ریال'],
    [10 ** 15, '۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ ریال'],
    [999_999_999_999_999, '۹۹۹٬۹۹۹٬۹۹۹٬۹۹۹٬۹۹۹ ریال'],
    [Number.MAX_SAFE_INTEGER, '۹٬۰۰۷٬۱۹۹٬۲۵۴٬۷۴۰٬۹۹۱ ریال'],
  ])('%d → %s', (n, expected) => {
    expect(formatRials(n)).toBe(expected);
  });

  it('uses U+066C as the separator and U+2212 as the minus sign', () => {
    expect(formatRials(-1000)).toBe('\u2212\u06F1\u066C\u06F0\u06F0\u06F0 ریال');
  });

  it('matches exact digits for random integers up to 10^15', () => {
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(Math.random() * 10 ** 15);
      const ascii = toAsciiDigits(formatRials(n)).replace(' ریال', '').replaceAll('\u066C', '');
      expect(ascii).toBe(BigInt(n).toString());
    }
  });

  it.each([1.5, Number.NaN, Infinity, 2 ** 53])('rejects %s', (n) => {
    expect(() => formatRials(n)).toThrow(RangeError);
  });
});

describe('formatTomans', () => {
  it.each([
    [1234500, '۱۲۳٬۴۵۰ تومان'],
    [10, '۱ تومان'],
    [0, '۰ تومان'],
    [-50_000, '−۵٬۰۰۰ تومان'],
    [10 ** 15, '۱۰۰٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰ تومان'],
    // not a multiple of 10: shown in rials instead
    [1234505, '۱٬۲۳۴٬۵۰۵ ریال'],
    [-7, '−۷ ریال'],
  ])('%d → %s', (n, expected) => {
    expect(formatTomans(n)).toBe(expected);
  });
});
