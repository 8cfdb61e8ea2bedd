import { createHash } from 'node:crypto';

/**
 * OpenSSH's fingerprint of a host key, as `ssh-keygen -lf` prints it:
 * `SHA256:` + base64 of the SHA-256 of the key blob, without `=` padding.
 */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}
