import { randomInt } from 'node:crypto';
import { Bill } from '@persian-tools/persian-tools';
import { describe, expect, it } from 'vitest';
import {
  billCheckDigit,
  isElectricityBillId,
  makeBillId,
  makeLegalNationalId,
  makeNationalCode,
  makePaymentId,
  normalizeLegalNationalId,
  normalizeMobile,
  normalizeNationalCode,
  normalizePostalCode,
  parseBillId,
  parsePaymentId,
} from './identifiers.ts';

function randomDigits(n: number, firstNonZero = false): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(i === 0 && firstNonZero ? randomInt(1, 10) : randomInt(0, 10));
  return s;
}

/** Independent reference implementation of the national-code rule, written from the spec. */
function refNationalCodeOk(code: string): boolean {
  const d = [...code].map(Number);
  const s = d.slice(0, 9).reduce((acc, x, i) => acc + x * (10 - i), 0) % 11;
  return d[9] === (s < 2 ? s : 11 - s);
}

describe('normalizeNationalCode', () => {
  it.each<[string, string | null]>([
    ['0012345679', '0012345679'],
    ['1234567891', '1234567891'],
    ['  ۱۲۳۴۵۶۷۸۹۱ ', '1234567891'],
    ['١٢٣٤٥٦٧٨٩١', '1234567891'],
    ['1234567890', null], // wrong check digit
    ['0012345678', null],
    ['12345679', null], // 8 digits: not padded
    ['012345679', null], // 9 digits: not padded
    ['00123456790', null], // 11 digits
    ['123-456789-1', null],
    ['', null],
    ['abcdefghij', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeNationalCode(input)).toBe(expected);
  });

  it('rejects every ten-equal-digit code even where the arithmetic passes', () => {
    for (let d = 0; d <= 9; d++) {
      const code = String(d).repeat(10);
      expect(normalizeNationalCode(code)).toBeNull();
    }
    // sanity: some of them do pass the checksum, so the all-equal rule is what rejects them
    expect(refNationalCodeOk('1111111111')).toBe(true);
  });

  it('agrees with an independent implementation on random input', () => {
    for (let i = 0; i < 3000; i++) {
      const code = randomDigits(10);
      const expected = refNationalCodeOk(code) && !/^(\d)\1{9}$/.test(code);
      expect(normalizeNationalCode(code) !== null).toBe(expected);
    }
  });
});

describe('makeNationalCode', () => {
  it('appends the check digit', () => {
    expect(makeNationalCode('001234567')).toBe('0012345679');
    expect(makeNationalCode('۱۲۳۴۵۶۷۸۹')).toBe('1234567891');
  });

  it('always produces codes that validate, and changing the last digit invalidates them', () => {
    for (let i = 0; i < 500; i++) {
      const nine = randomDigits(9);
      if (/^(\d)\1{8}$/.test(nine)) continue;
      const code = makeNationalCode(nine);
      expect(normalizeNationalCode(code)).toBe(code);
      const wrong = nine + String((Number(code[9]) + 1 + randomInt(0, 9)) % 10);
      expect(normalizeNationalCode(wrong)).toBeNull();
    }
  });

  it.each(['12345678', '1234567890', '12345678x', '111111111'])('throws for %j', (input) => {
    expect(() => makeNationalCode(input)).toThrow(RangeError);
  });
});

describe('normalizeLegalNationalId', () => {
  it.each<[string, string | null]>([
    ['10380284790', '10380284790'], // published example
    [' ۱۰۳۸۰۲۸۴۷۹۰ ', '10380284790'],
    ['10380284791', null],
    ['103802847901', null], // 12 digits (persian-tools accepts this)
    ['10380284790abc', null], // trailing junk (persian-tools accepts this)
    ['33333333333', null], // all equal; passes the checksum (and persian-tools)
    ['1038028479', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeLegalNationalId(input)).toBe(expected);
  });

  it('makeLegalNationalId round-trips and every wrong last digit is rejected', () => {
    expect(makeLegalNationalId('1038028479')).toBe('10380284790');
    for (let i = 0; i < 300; i++) {
      const ten = randomDigits(10, true);
      const id = makeLegalNationalId(ten);
      expect(normalizeLegalNationalId(id)).toBe(id);
      for (let d = 0; d <= 9; d++) {
        if (String(d) !== id[10]) expect(normalizeLegalNationalId(ten + String(d))).toBeNull();
      }
    }
    expect(() => makeLegalNationalId('3333333333')).toThrow(RangeError);
    expect(() => makeLegalNationalId('123')).toThrow(RangeError);
  });
});

describe('normalizeMobile', () => {
  it.each<[string, string | null]>([
    ['09121234567', '09121234567'],
    ['9121234567', '09121234567'],
    ['+989121234567', '09121234567'],
    ['989121234567', '09121234567'],
    ['00989121234567', '09121234567'],
    ['0912 123 4567', '09121234567'],
    ['0912-123-4567', '09121234567'],
    ['+98 912 123 4567', '09121234567'],
    ['۰۹۱۲۱۲۳۴۵۶۷', '09121234567'],
    [' ٠٩٤٠١٢٣٤٥٦٧ ', '09401234567'], // any 09 prefix (persian-tools rejects 0940)
    ['02112345678', null], // landline
    ['0912123456', null], // too short
    ['091212345678', null], // too long
    ['+09121234567', null],
    ['8121234567', null],
    ['0098 21 1234 5678', null],
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeMobile(input)).toBe(expected);
  });
});

describe('normalizePostalCode', () => {
  it.each<[string, string | null]>([
    ['1345678901', '1345678901'],
    [' ۱۳۴۵۶-۷۸۹۰۱ '.replace('-', ''), '1345678901'],
    ['1345600000', '1345600000'],
    ['0345678901', null], // 0 in first five
    ['1325678901', null], // 2 in first five
    ['1345078901', null],
    ['1111111111', null], // all equal
    ['134567890', null],
    ['13456789012', null],
    ['13456-78901', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizePostalCode(input)).toBe(expected);
  });
});

describe('bill ID', () => {
  it('computes the mod-11 check digit (weights 2..7 from the right)', () => {
    // 1234567 from the right: 7*2+6*3+5*4+4*5+3*6+2*7+1*2 = 106; 106 mod 11 = 7; 11-7 = 4
    expect(billCheckDigit('1234567')).toBe(4);
    expect(billCheckDigit('0')).toBe(0); // s=0 <2
    expect(billCheckDigit('6')).toBe(0); // s=12 mod 11 = 1 <2
    expect(billCheckDigit('5')).toBe(1); // s=10 → 11-10
  });

  it.each<[string, string, number, string]>([
    // 123456782 from the right: 2*2+8*3+7*4+6*5+5*6+4*7+3*2+2*3+1*4 = 160; 160 mod 11 = 6 → 5
    ['12345', '678', 2, '1234567825'],
    // 10002: 2*2+1*6 = 10 → 1
    ['1', '000', 2, '100021'],
    ['۱۲۳۴۵', '۶۷۸', 3, '1234567833'],
  ])('makeBillId(%s, %s, %d) = %s', (file, company, type, expected) => {
    expect(makeBillId(file, company, type)).toBe(expected);
  });

  it('parses what it makes, and validates with persian-tools', () => {
    for (let i = 0; i < 500; i++) {
      const file = randomDigits(randomInt(1, 9), true);
      const company = randomDigits(3);
      const id = makeBillId(file, company);
      expect(parseBillId(id)).toEqual({ billId: id, fileNumber: file, companyCode: company, serviceType: 2 });
      expect(isElectricityBillId(id)).toBe(true);
      expect(new Bill({ billId: Number(id), paymentId: 1 }).verificationBillId()).toBe(true);
    }
  });

  it('rejects a wrong check digit, bad lengths and non-electricity types', () => {
    const id = makeBillId('7748', '123');
    const wrong = id.slice(0, -1) + String((Number(id.slice(-1)) + 1) % 10);
    expect(parseBillId(wrong)).toBeNull();
    expect(parseBillId('12345')).toBeNull(); // < 6 digits
    expect(parseBillId('12345678901234')).toBeNull(); // > 13 digits
    const gas = makeBillId('7748', '123', 3);
    expect(parseBillId(gas)?.serviceType).toBe(3);
    expect(isElectricityBillId(gas)).toBe(false);
    expect(isElectricityBillId(wrong)).toBe(false);
  });

  it('accepts Persian digits, spaces and barcode zero padding', () => {
    const id = makeBillId('12345678', '901');
    expect(id).toHaveLength(13);
    const persian = id.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
    expect(parseBillId(` ${persian} `)?.billId).toBe(id);
    const short = makeBillId('42', '555');
    expect(parseBillId(short.padStart(13, '0'))?.billId).toBe(short);
  });

  it.each<[string, string]>([
    ['', '123'],
    ['0123', '123'],
    ['123456789', '123'],
    ['12', '12'],
    ['12', 'abc'],
  ])('makeBillId(%j, %j) throws', (file, company) => {
    expect(() => makeBillId(file, company)).toThrow(RangeError);
  });
});

describe('payment ID', () => {
  const billId = makeBillId('1234567', '890');

  it('has the documented layout', () => {
    const pid = makePaymentId({ billId, amountRials: 1_234_000, jalaliYear: 1405, period: 3 });
    expect(pid.slice(0, -2)).toBe('1234' + '5' + '03');
    expect(parsePaymentId(billId, pid)).toEqual({ amountRials: 1_234_000, yearDigit: 5, period: 3 });
  });

  it('1000 random pairs validate with persian-tools Bill and read back the same amount', () => {
    for (let i = 0; i < 1000; i++) {
      const bill = makeBillId(randomDigits(randomInt(1, 9), true), randomDigits(3));
      const amountRials = randomInt(1, 10_000_000) * 1000;
      const input = { billId: bill, amountRials, jalaliYear: randomInt(1390, 1420), period: randomInt(1, 100) };
      const paymentId = makePaymentId(input);
      expect(parsePaymentId(bill, paymentId)).toEqual({
        amountRials,
        yearDigit: input.jalaliYear % 10,
        period: input.period,
      });
      const rial = new Bill({ billId: Number(bill), paymentId: Number(paymentId), currency: 'rial' });
      expect(rial.verificationBill()).toBe(true);
      expect(rial.getBillType()).toBe('برق');
      expect(rial.getAmount()).toBe(amountRials);
      // persian-tools types both IDs as number; its default currency is toman: getAmount() = rials / 10
      expect(new Bill({ billId: Number(bill), paymentId: Number(paymentId) }).getAmount()).toBe(amountRials / 10);
    }
  });

  it('round-trips amounts up to 10^12 rials exactly', () => {
    for (const amountRials of [1000, 10 ** 12, 999_999_999_000, 987_654_321_000, 10 ** 12 - 1000]) {
      const pid = makePaymentId({ billId, amountRials, jalaliYear: 1405, period: 12 });
      expect(parsePaymentId(billId, pid)?.amountRials).toBe(amountRials);
    }
  });

  it('rejects either wrong check digit, a different bill, and malformed input', () => {
    const pid = makePaymentId({ billId, amountRials: 560_000, jalaliYear: 1405, period: 7 });
    const flip = (s: string, i: number) => s.slice(0, i) + String((Number(s[i]) + 1) % 10) + s.slice(i + 1);
    expect(parsePaymentId(billId, flip(pid, pid.length - 1))).toBeNull();
    expect(parsePaymentId(billId, flip(pid, pid.length - 2))).toBeNull();
    expect(parsePaymentId(billId, flip(pid, 0))).toBeNull();
    const other = makeBillId('7654321', '890');
    const otherCheck = parsePaymentId(other, pid);
    // the second check digit ties the payment ID to its bill (1 in 11 chance of collision for a random bill)
    if (billCheckDigit(other + pid.slice(0, -1)) !== Number(pid.slice(-1))) expect(otherCheck).toBeNull();
    expect(parsePaymentId(billId, '12345')).toBeNull();
    expect(parsePaymentId(billId, 'abcdef')).toBeNull();
    expect(parsePaymentId(billId, ` ${pid.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!)} `)).not.toBeNull();
  });

  it.each([0, -1000, 1500, 999, 1000.5, Number.NaN, 10 ** 16])('makePaymentId throws RangeError for amount %d', (amountRials) => {
    expect(() => makePaymentId({ billId, amountRials, jalaliYear: 1405, period: 1 })).toThrow(RangeError);
  });

  it('throws for a bad bill ID or period', () => {
    expect(() => makePaymentId({ billId: '123', amountRials: 1000, jalaliYear: 1405, period: 1 })).toThrow(RangeError);
    expect(() => makePaymentId({ billId, amountRials: 1000, jalaliYear: 1405, period: 100 })).toThrow(RangeError);
  });
});
