import { hkdfSync, randomInt } from 'node:crypto';
import { hmacHex } from '../../lib/tokens';

/** Crockford's base32: no I, L, O, U, so codes survive being read aloud or handwritten. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const RECOVERY_CODE_COUNT = 10;
const CODE_CHARS = 10;

/** Ten fresh codes like `7k2qm-x9d4a` (50 random bits each). */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    let raw = '';
    for (let i = 0; i < CODE_CHARS; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
    codes.add(`${raw.slice(0, 5)}-${raw.slice(5)}`);
  }
  return [...codes];
}

/** The canonical form of what a user typed: case, spaces and dashes ignored, look-alikes mapped. */
export function normaliseRecoveryCode(input: string): string | null {
  const s = input
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/[il]/g, '1')
    .replace(/o/g, '0');
  return s.length === CODE_CHARS && [...s].every((c) => ALPHABET.includes(c)) ? s : null;
}

/**
 * Codes are stored as HMAC-SHA-256 under a key derived from NETPILOT_SECRET_KEY: fast to
 * check, and a stolen database alone does not let anyone brute-force the 50-bit codes.
 */
export class RecoveryCodeHasher {
  readonly #key: Buffer;

  constructor(secretKey: Buffer) {
    this.#key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'netpilot:recovery-codes:v1', 32));
  }

  hash(normalised: string): string {
    return hmacHex(this.#key, normalised);
  }
}
