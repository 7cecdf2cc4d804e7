// Tracking codes (کد رهگیری): 12 numeric digits, easy to read over the phone.
// 11 random digits (first 1–9) + a Verhoeff check digit, which detects every single-digit
// substitution and every adjacent transposition. Generation uses node:crypto; no I/O otherwise.

import { randomInt } from 'node:crypto';
import { toAsciiDigits } from '../platform/digits.ts';

/** Number of digits in a tracking code, including the check digit. */
export const TRACKING_CODE_LENGTH = 12;

// Verhoeff tables: multiplication in the dihedral group D5, position permutation, inverse.
const D: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9] as const;

function verhoeffChecksum(digits: string, appendingCheck: boolean): number {
  let c = 0;
  const offset = appendingCheck ? 1 : 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    c = D[c]![P[(i + offset) % 8]![digit]!]!;
  }
  return c;
}

/** Verhoeff check digit to append to a string of ASCII digits. */
export function verhoeffCheckDigit(digits: string): number {
  return INV[verhoeffChecksum(digits, true)]!;
}

/** True iff a string of ASCII digits ends with a correct Verhoeff check digit. */
export function verhoeffValid(digits: string): boolean {
  return /^\d+$/.test(digits) && verhoeffChecksum(digits, false) === 0;
}

/** Returns a fresh 12-digit tracking code: 11 cryptographically random digits (first 1–9) + Verhoeff check digit. */
export function generateTrackingCode(): string {
  const body = String(randomInt(10_000_000_000, 100_000_000_000)); // 11 digits, first 1–9
  return body + String(verhoeffCheckDigit(body));
}

/** Normalises typed input (Persian/Arabic digits, spaces and dashes allowed) to the 12-digit code; null if not 12 digits starting 1–9 with a valid check digit. */
export function normalizeTrackingCode(s: string): string | null {
  const v = toAsciiDigits(s).replace(/[\s\-\u2010-\u2015\u2212]/g, '');
  if (!/^[1-9]\d{11}$/.test(v)) return null;
  return verhoeffValid(v) ? v : null;
}
