// One-time sign-in codes (pure apart from randomness): 6 random digits, kept only as an HMAC-SHA256
// keyed with the server secret (BARQ_OTP_SECRET), checked in constant time whatever was typed.
// `crypto` is imported as the module object on purpose: tests spy on crypto.timingSafeEqual.
import crypto from 'node:crypto';

export const OTP_DIGITS = 6;

/** A fresh code: 6 digits, uniformly random, leading zeros kept. */
export function generateOtp(): string {
  return String(crypto.randomInt(0, 10 ** OTP_DIGITS)).padStart(OTP_DIGITS, '0');
}

/** The stored form of a code for one mobile (hex HMAC-SHA256; the code alone would be guessable from a leaked table). */
export function otpHash(secret: string, mobile: string, code: string): string {
  return crypto.createHmac('sha256', secret).update(`${mobile}:${code}`).digest('hex');
}

/** A stand-in hash compared against when there is no live code, so that path costs the same. */
export const NO_CODE_HASH = '0'.repeat(64);

/**
 * Whether `code` is the one stored as `storedHash`, compared with crypto.timingSafeEqual: both
 * sides are 32-byte HMACs, so neither the typed code's length nor its content changes the time.
 */
export function otpMatches(secret: string, mobile: string, code: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(otpHash(secret, mobile, code), 'hex');
  if (expected.length !== actual.length) return false;
  return crypto.timingSafeEqual(expected, actual);
}
