// Iranian identifiers: national code, legal-person national ID, mobile, postal code, bill ID, payment ID.
// Pure functions, no I/O. Every parser first maps Persian/Arabic digits to ASCII and trims.
//
// @persian-tools/persian-tools (v4.0.4) was checked and is NOT used for validation here:
// - verifyIranianNationalId zero-pads 8/9-digit input, and by default rejects codes whose first three
//   digits are not in its city-prefix list (so checksum-valid demo codes fail);
// - verifyIranianLegalId only checks `length < 11`, so 12+ character strings (and non-digits) can pass,
//   and it accepts 11 equal digits;
// - isPhoneNumberValid/phoneNumberNormalizer only accept operator prefixes in its own list (newer
//   09xx ranges are rejected) and phoneNumberNormalizer throws instead of returning null.
// Its Bill class uses the same mod-11 check digit as below and is used as a cross-check in tests.

import { toAsciiDigits } from './digits.ts';

function clean(s: string): string {
  return toAsciiDigits(String(s)).trim();
}

function allSame(digits: string): boolean {
  return /^(\d)\1*$/.test(digits);
}

// ---------------------------------------------------------------------------------------------
// National code (کد ملی)

function nationalCodeCheckDigit(nine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const s = sum % 11;
  return s < 2 ? s : 11 - s;
}

/** Returns the 10-digit national code if `s` (trimmed, any digit script) is exactly 10 digits with a correct check digit and not all equal; else null. */
export function normalizeNationalCode(s: string): string | null {
  const v = clean(s);
  if (!/^\d{10}$/.test(v) || allSame(v)) return null;
  return nationalCodeCheckDigit(v.slice(0, 9)) === Number(v[9]) ? v : null;
}

/** Appends the check digit to nine digits (demo data); throws RangeError if input is not 9 digits or the result is all-equal. */
export function makeNationalCode(nineDigits: string): string {
  const v = clean(nineDigits);
  if (!/^\d{9}$/.test(v)) throw new RangeError(`expected 9 digits, got "${nineDigits}"`);
  const code = v + String(nationalCodeCheckDigit(v));
  if (allSame(code)) throw new RangeError(`"${code}" is all equal digits and never issued`);
  return code;
}

// ---------------------------------------------------------------------------------------------
// Legal-person national ID (شناسه ملی)

const LEGAL_WEIGHTS = [29, 27, 23, 19, 17] as const;

function legalIdCheckDigit(ten: string): number {
  const d = Number(ten[9]) + 2;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (Number(ten[i]) + d) * LEGAL_WEIGHTS[i % 5]!;
  return (sum % 11) % 10;
}

/** Returns the 11-digit legal national ID if `s` is exactly 11 digits with a correct check digit and not all equal; else null. */
export function normalizeLegalNationalId(s: string): string | null {
  const v = clean(s);
  if (!/^\d{11}$/.test(v) || allSame(v)) return null;
  return legalIdCheckDigit(v.slice(0, 10)) === Number(v[10]) ? v : null;
}

/** Appends the check digit to ten digits (demo data); throws RangeError if input is not 10 digits or the result is all-equal. */
export function makeLegalNationalId(tenDigits: string): string {
  const v = clean(tenDigits);
  if (!/^\d{10}$/.test(v)) throw new RangeError(`expected 10 digits, got "${tenDigits}"`);
  const id = v + String(legalIdCheckDigit(v));
  if (allSame(id)) throw new RangeError(`"${id}" is all equal digits and never issued`);
  return id;
}

// ---------------------------------------------------------------------------------------------
// Mobile

/** Returns '09xxxxxxxxx' from 09…, 9… (10 digits), +989…, 989…, 00989… (spaces/dashes ignored); null if not a 09 mobile number. */
export function normalizeMobile(s: string): string | null {
  const v = clean(s).replace(/[\s\-\u2010-\u2015\u2212]/g, '');
  const m = /^(?:0|\+98|98|0098)?(9\d{9})$/.exec(v);
  return m ? `0${m[1]!}` : null;
}

// ---------------------------------------------------------------------------------------------
// Postal code

/** Returns the 10-digit postal code if valid (no 0 or 2 in the first five digits, not all equal); else null. */
export function normalizePostalCode(s: string): string | null {
  const v = clean(s);
  if (!/^[13-9]{5}\d{5}$/.test(v) || allSame(v)) return null;
  return v;
}

// ---------------------------------------------------------------------------------------------
// Bill ID (شناسه قبض) and payment ID (شناسه پرداخت)

/** Service type digit of electricity bills. */
export const ELECTRICITY_SERVICE_TYPE = 2;

/** Mod-11 check digit used by bill and payment IDs: weights 2..7 repeating from the right; 0 if s<2 else 11−s. */
export function billCheckDigit(digits: string): number {
  let sum = 0;
  let weight = 2;
  for (let i = digits.length - 1; i >= 0; i--) {
    sum += Number(digits[i]) * weight;
    weight = weight === 7 ? 2 : weight + 1;
  }
  const s = sum % 11;
  return s < 2 ? 0 : 11 - s;
}

export interface ParsedBillId {
  billId: string;
  fileNumber: string;
  companyCode: string;
  serviceType: number;
}

/** Builds a bill ID = fileNumber (1–8 digits, no leading zero) + companyCode (3 digits) + serviceType (0–9) + check digit; throws RangeError on bad input. */
export function makeBillId(fileNumber: string, companyCode: string, serviceType = ELECTRICITY_SERVICE_TYPE): string {
  const file = clean(fileNumber);
  const company = clean(companyCode);
  if (!/^[1-9]\d{0,7}$/.test(file)) throw new RangeError(`file number must be 1–8 digits without a leading zero, got "${fileNumber}"`);
  if (!/^\d{3}$/.test(company)) throw new RangeError(`company code must be 3 digits, got "${companyCode}"`);
  if (!Number.isInteger(serviceType) || serviceType < 0 || serviceType > 9) {
    throw new RangeError(`service type must be a digit, got ${String(serviceType)}`);
  }
  const body = file + company + String(serviceType);
  return body + String(billCheckDigit(body));
}

/** Parses a bill ID (leading zeros, as in 13-digit barcodes, are stripped); null if not 6–13 digits or the check digit is wrong. */
export function parseBillId(s: string): ParsedBillId | null {
  const raw = clean(s);
  if (!/^\d{1,13}$/.test(raw)) return null;
  const v = raw.replace(/^0+/, '');
  if (v.length < 6 || v.length > 13) return null;
  if (billCheckDigit(v.slice(0, -1)) !== Number(v[v.length - 1])) return null;
  return {
    billId: v,
    fileNumber: v.slice(0, -5),
    companyCode: v.slice(-5, -2),
    serviceType: Number(v[v.length - 2]),
  };
}

/** True iff `s` is a valid bill ID whose service type is 2 (electricity). */
export function isElectricityBillId(s: string): boolean {
  return parseBillId(s)?.serviceType === ELECTRICITY_SERVICE_TYPE;
}

export interface PaymentIdInput {
  billId: string;
  amountRials: number;
  jalaliYear: number;
  period: number;
}

export interface ParsedPaymentId {
  amountRials: number;
  yearDigit: number;
  period: number;
}

/** Largest amount (rials) accepted: keeps amount/1000 ≤ 12 digits so every value stays an exact safe integer. */
export const MAX_PAYMENT_AMOUNT_RIALS = 999_999_999_999_000;

/** Builds a payment ID = amount/1000 + last digit of jalaliYear + 2-digit period + two check digits; throws RangeError on bad input (amount must be a positive multiple of 1000). */
export function makePaymentId(input: PaymentIdInput): string {
  const { amountRials, jalaliYear, period } = input;
  if (!Number.isSafeInteger(amountRials) || amountRials <= 0 || amountRials % 1000 !== 0 || amountRials > MAX_PAYMENT_AMOUNT_RIALS) {
    throw new RangeError(`amountRials must be a positive integer multiple of 1000, got ${String(amountRials)}`);
  }
  if (!Number.isInteger(jalaliYear) || jalaliYear < 1) throw new RangeError(`bad Jalali year ${String(jalaliYear)}`);
  if (!Number.isInteger(period) || period < 0 || period > 99) throw new RangeError(`period must be 0–99, got ${String(period)}`);
  const bill = parseBillId(input.billId);
  if (!bill) throw new RangeError(`invalid bill ID "${input.billId}"`);
  const body = String(amountRials / 1000) + String(jalaliYear % 10) + String(period).padStart(2, '0');
  const first = String(billCheckDigit(body));
  const second = String(billCheckDigit(bill.billId + body + first));
  return body + first + second;
}

/** Parses a payment ID against its bill ID; null if either ID is malformed or either check digit is wrong. */
export function parsePaymentId(billId: string, paymentId: string): ParsedPaymentId | null {
  const bill = parseBillId(billId);
  if (!bill) return null;
  const raw = clean(paymentId);
  if (!/^\d{1,20}$/.test(raw)) return null;
  const v = raw.replace(/^0+/, '');
  // amount part (1–12 digits, not zero) + year digit + 2-digit period + 2 check digits
  if (v.length < 6 || v.length > 17) return null;
  const body = v.slice(0, -2);
  const first = v[v.length - 2]!;
  const second = v[v.length - 1]!;
  if (billCheckDigit(body) !== Number(first)) return null;
  if (billCheckDigit(bill.billId + body + first) !== Number(second)) return null;
  return {
    amountRials: Number(body.slice(0, -3)) * 1000,
    yearDigit: Number(body[body.length - 3]),
    period: Number(body.slice(-2)),
  };
}
