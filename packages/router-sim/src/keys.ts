import { createHash } from 'node:crypto';
import { utils } from 'ssh2';

/** OpenSSH's fingerprint of a public key blob: `SHA256:` + base64 without padding (as `ssh-keygen -lf`). */
export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A fresh ed25519 key pair in OpenSSH format. */
export function generateEd25519(comment = 'netpilot-router-sim'): { privateKey: string; publicKey: string } {
  // ssh2 1.17 now and then (about 1 in 256) writes an ed25519 key it cannot parse back
  // (mscdex/ssh2#1390); a simulator must never start with such a key, so make another.
  for (let attempt = 0; attempt < 16; attempt++) {
    const pair = utils.generateKeyPairSync('ed25519', { comment });
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) {
      return { privateKey: pair.private, publicKey: pair.public };
    }
  }
  throw new Error('ssh2 produced no parseable ed25519 key in 16 attempts');
}

/** The fingerprint of a private or public key text; throws if ssh2 cannot parse it. */
export function fingerprintOfKey(key: string | Buffer): string {
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) throw new Error(`cannot parse key: ${parsed.message}`);
  const k = Array.isArray(parsed) ? parsed[0] : parsed;
  return fingerprintOfBlob(k.getPublicSSH());
}
