import { createHmac, randomBytes } from 'node:crypto';
import type { JumpHost, RouterTarget } from '@netpilot/contracts';

/** Per-process key so connection keys never hold a plain hash of a password. */
const KEY_SECRET = randomBytes(32);

function credentialTag(c: { password?: string; privateKey?: string; passphrase?: string }): string {
  return createHmac('sha256', KEY_SECRET)
    .update(JSON.stringify([c.password ?? null, c.privateKey ?? null, c.passphrase ?? null]))
    .digest('base64url')
    .slice(0, 22);
}

/** Pool key of a bastion: where, as whom, with which credentials. */
export function jumpHostKey(j: JumpHost): string {
  return [j.host, j.port, j.username, credentialTag(j)].join('|');
}

/**
 * Pool key of a router connection. Changed credentials, address, platform or route
 * give a new key, so an old connection is never reused for a changed router. The pinned
 * fingerprint is left out on purpose: pinning the key a connection already showed
 * (trust on first use) must keep that connection.
 */
export function routerConnectionKey(r: RouterTarget): string {
  return [
    r.id,
    r.host,
    r.port,
    r.username,
    r.platform,
    credentialTag(r),
    JSON.stringify(r.options ?? {}),
    r.jumpHost ? jumpHostKey(r.jumpHost) : '-',
  ].join('|');
}
