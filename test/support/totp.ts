import { createHmac } from 'node:crypto';

/**
 * RFC 6238 TOTP written from the RFCs over node's crypto, independent of speakeasy, so that
 * tests prove the controller agrees with what any authenticator app computes.
 */

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 decoding (padding and case ignored). */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/=+$/, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const idx = BASE32.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP: HMAC-SHA-1 over the 8-byte big-endian counter, dynamic truncation. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 TOTP: HOTP of floor(unix time / period). */
export function totpAt(secretBase32: string, timeMs: number, opts: { digits?: number; periodSeconds?: number } = {}): string {
  const period = opts.periodSeconds ?? 30;
  return hotp(base32Decode(secretBase32), Math.floor(timeMs / 1000 / period), opts.digits ?? 6);
}

/** The code of the step `offset` steps from now (0 = now, 1 = next). */
export function totpNow(secretBase32: string, offset = 0): string {
  return totpAt(secretBase32, Date.now() + offset * 30_000);
}
