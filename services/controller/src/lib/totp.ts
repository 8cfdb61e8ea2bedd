import { randomBytes } from 'node:crypto';
import speakeasy from 'speakeasy';

/** RFC 6238 parameters every authenticator app understands. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Codes one step either side of now are accepted (clock drift, typing time). */
export const TOTP_WINDOW = 1;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding, as authenticator apps expect in otpauth URLs. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A new TOTP secret: 160 random bits (RFC 4226's recommended length), base32. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The otpauth:// URL an authenticator app scans. */
export function totpUri(opts: { secret: string; account: string; issuer: string }): string {
  return speakeasy.otpauthURL({
    secret: opts.secret,
    encoding: 'base32',
    label: `${opts.issuer}:${opts.account}`,
    issuer: opts.issuer,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** The current RFC 6238 time step. */
export function totpStep(nowMs = Date.now()): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

export function looksLikeTotpCode(value: string): boolean {
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(value);
}

/**
 * The time step `code` belongs to, when it is valid within the window around `nowMs`; else
 * null. The caller refuses a step not newer than the last one used (no replay).
 */
export function matchTotp(secret: string, code: string, nowMs = Date.now()): number | null {
  // speakeasy parses with parseInt, which would accept "12345x"; insist on digits only.
  if (!looksLikeTotpCode(code)) return null;
  const step = totpStep(nowMs);
  const delta = speakeasy.totp.verifyDelta({
    secret,
    encoding: 'base32',
    token: code,
    window: TOTP_WINDOW,
    step: TOTP_PERIOD_SECONDS,
    digits: TOTP_DIGITS,
    algorithm: 'sha1',
    // Pass the counter explicitly so that "now" is the same instant for the match and the step.
    counter: step,
  });
  return delta ? step + delta.delta : null;
}
