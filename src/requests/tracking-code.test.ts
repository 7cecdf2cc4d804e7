import { describe, expect, it } from 'vitest';
import { generateTrackingCode, normalizeTrackingCode, verhoeffCheckDigit, verhoeffValid } from './tracking-code.ts';

const toPersian = (s: string) => s.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);

describe('Verhoeff', () => {
  it.each([
    ['236', 3], // textbook example: 2363
    ['12345', 1], // 123451
    ['142857', 0], // 1428570
  ])('check digit of %s is %d', (body, digit) => {
    expect(verhoeffCheckDigit(body)).toBe(digit);
    expect(verhoeffValid(body + String(digit))).toBe(true);
    expect(verhoeffValid(body + String((digit + 1) % 10))).toBe(false);
  });
});

describe('generateTrackingCode', () => {
  it('10,000 generated codes are 12 digits, start 1–9, validate and are distinct', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const code = generateTrackingCode();
      expect(code).toMatch(/^[1-9]\d{11}$/);
      expect(normalizeTrackingCode(code)).toBe(code);
      seen.add(code);
    }
    // 11 random digits give 9×10^10 codes; 10,000 draws collide with probability n²/2N ≈ 0.06 %
    // (uniqueness itself is the database's job: a unique index and a retry). Two collisions in one
    // run would mean a narrow generator (probability ≈ 2×10^-7).
    expect(seen.size).toBeGreaterThanOrEqual(9_999);
  });

  it('uses every digit in every random position (not a constant or narrow generator)', () => {
    const perPosition = Array.from({ length: 11 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) {
      const code = generateTrackingCode();
      for (let p = 0; p < 11; p++) perPosition[p]!.add(code[p]!);
    }
    expect(perPosition[0]!.size).toBe(9);
    for (let p = 1; p < 11; p++) expect(perPosition[p]!.size).toBe(10);
  });
});

describe('normalizeTrackingCode', () => {
  const code = generateTrackingCode();

  it.each([
    code,
    ` ${code} `,
    `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`,
    `${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8)}`,
    toPersian(code),
    code.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!),
  ])('accepts %j', (input) => {
    expect(normalizeTrackingCode(input)).toBe(code);
  });

  it.each([
    '',
    code.slice(0, 11),
    code + '0',
    `${code.slice(0, 6)}x${code.slice(6)}`,
    `0${code.slice(1, 11)}${verhoeffCheckDigit(`0${code.slice(1, 11)}`)}`, // valid check digit but leading 0
  ])('rejects %j', (input) => {
    expect(normalizeTrackingCode(input)).toBeNull();
  });

  it('rejects every single-digit substitution and every adjacent transposition', () => {
    for (let n = 0; n < 200; n++) {
      const c = generateTrackingCode();
      for (let i = 0; i < 12; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === c[i]) continue;
          const mutated = c.slice(0, i) + String(d) + c.slice(i + 1);
          expect(normalizeTrackingCode(mutated), mutated).toBeNull();
          expect(verhoeffValid(mutated), mutated).toBe(false);
        }
        if (i < 11 && c[i] !== c[i + 1]) {
          const swapped = c.slice(0, i) + c[i + 1]! + c[i]! + c.slice(i + 2);
          expect(normalizeTrackingCode(swapped), swapped).toBeNull();
          expect(verhoeffValid(swapped), swapped).toBe(false);
        }
      }
    }
  });
});
