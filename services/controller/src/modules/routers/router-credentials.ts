import type { RouterTarget } from '@netpilot/contracts';
import type { SecretBox } from '../../lib/secret-box';
import type { RouterEntity, StoredJumpHost } from './router.entity';

export interface RouterCredentials {
  password?: string;
  privateKey?: string;
  passphrase?: string;
}

export interface JumpHostInput extends RouterCredentials {
  host: string;
  port: number;
  username: string;
  hostKeySha256?: string;
}

/** The credentials of `input` and nothing else (so no other field is ever sealed with them). */
function credentialsOf(input: RouterCredentials): RouterCredentials {
  const c: RouterCredentials = {};
  if (input.password !== undefined) c.password = input.password;
  if (input.privateKey !== undefined) c.privateKey = input.privateKey;
  if (input.passphrase !== undefined) c.passphrase = input.passphrase;
  return c;
}

/** Binds each sealed blob to its router and role, so one cannot be swapped for another. */
const secretContext = (routerId: string, which: 'router' | 'jump') => `router-credentials:${which}:${routerId}`;

/**
 * Router and jump-host credentials: sealed (AES-256-GCM) when stored, opened only to build
 * the target of one executor call. The API never shows them (write-only).
 */
export class RouterCredentialStore {
  constructor(private readonly secrets: SecretBox) {}

  /** The columns that store a router's login: its method and its sealed credentials. */
  sealRouter(routerId: string, input: RouterCredentials): Pick<RouterEntity, 'authMethod' | 'credentialsEnc'> {
    return {
      authMethod: input.privateKey ? 'privateKey' : 'password',
      credentialsEnc: this.secrets.seal(JSON.stringify(credentialsOf(input)), secretContext(routerId, 'router')),
    };
  }

  /** The columns that store a jump host: where it is (shown) and its sealed credentials (never shown). */
  sealJumpHost(routerId: string, jump: JumpHostInput | null): Pick<RouterEntity, 'jumpHost' | 'jumpCredentialsEnc'> {
    if (!jump) return { jumpHost: null, jumpCredentialsEnc: null };
    const stored: StoredJumpHost = { host: jump.host, port: jump.port, username: jump.username, authMethod: jump.privateKey ? 'privateKey' : 'password' };
    if (jump.hostKeySha256) stored.hostKeySha256 = jump.hostKeySha256;
    return { jumpHost: stored, jumpCredentialsEnc: this.secrets.seal(JSON.stringify(credentialsOf(jump)), secretContext(routerId, 'jump')) };
  }

  /** How the executor reaches this router, credentials opened for this one call. */
  targetOf(router: RouterEntity): RouterTarget {
    const creds = JSON.parse(this.secrets.openString(router.credentialsEnc, secretContext(router.id, 'router'))) as RouterCredentials;
    const target: RouterTarget = {
      id: router.id,
      host: router.tunnelPort ? '127.0.0.1' : router.host,
      port: router.tunnelPort ?? router.port,
      username: router.username,
      platform: router.platform,
      options: router.options ?? {},
      ...creds,
    };
    if (router.hostKeySha256) target.hostKeySha256 = router.hostKeySha256;
    if (router.jumpHost && router.jumpCredentialsEnc) {
      const jc = JSON.parse(this.secrets.openString(router.jumpCredentialsEnc, secretContext(router.id, 'jump'))) as RouterCredentials;
      const { authMethod: _a, ...jump } = router.jumpHost;
      target.jumpHost = { ...jump, ...jc };
    }
    return target;
  }
}
