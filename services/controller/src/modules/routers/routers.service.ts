import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import type { RouterTarget } from '@netpilot/contracts';
import { AppError } from '../../errors';
import type { SecretBox } from '../../lib/secret-box';
import { randomToken, sha256Hex } from '../../lib/tokens';
import type { AuditService } from '../audit/audit.service';
import { publishNowhere, type Publish } from '../stream/stream.events';
import type { RouterEntity, StoredJumpHost } from './router.entity';
import { decodeCursor, encodeCursor, type RoutersRepository } from './routers.repository';

/** Who is asking: the signed-in user, their session (also their executor session) and address. */
export interface Actor {
  userId: string;
  isAdmin: boolean;
  sessionId: string;
  ip: string | null;
  requestId?: string;
}

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

export interface CreateRouterInput extends RouterCredentials {
  name: string;
  host: string;
  port: number;
  username: string;
  platform: RouterEntity['platform'];
  options: { leasesPath?: string };
  jumpHost?: JumpHostInput;
  tunnelPort?: number;
  hostKeySha256?: string;
}

export type UpdateRouterInput = Partial<Omit<CreateRouterInput, 'jumpHost' | 'tunnelPort' | 'hostKeySha256'>> & {
  jumpHost?: JumpHostInput | null;
  tunnelPort?: number | null;
  hostKeySha256?: string | null;
};

/** The caller's relation to a router, owner first, then admin (even if also assigned). */
export type Access = 'owner' | 'assigned' | 'admin';

/**
 * What the API shows of a router: never a credential, never a token or key hash. The listing
 * writes the same shape in SQL (publicRouterJson in routers.repository.ts);
 * test/router-listing.api.test.ts holds the two equal field by field.
 */
export function toPublicRouter(r: RouterEntity, access: Access) {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    port: r.port,
    username: r.username,
    platform: r.platform,
    authMethod: r.authMethod,
    options: r.options ?? {},
    jumpHost: r.jumpHost,
    tunnelPort: r.tunnelPort,
    hostKeySha256: r.hostKeySha256,
    status: r.status,
    lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
    registeredAt: r.registeredAt?.toISOString() ?? null,
    ownerId: r.ownerId,
    access,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export interface RouterPolicy {
  /** Router and jump hosts must resolve inside these (empty: anywhere). */
  allowedCidrs: string[];
  /** Reverse-tunnel ports allowed on the executor's host. */
  tunnelPorts: { min: number; max: number };
  provisionKeyTtlMs: number;
  offlineAfterMs: number;
  /** Exact `host:port` router addresses allowed whatever the address rules say (ROUTER_ALLOWED_ENDPOINTS: the demo router). */
  allowedEndpoints?: string[];
}

const secretContext = (routerId: string, which: 'router' | 'jump') => `router-credentials:${which}:${routerId}`;

function credentialsOf(input: RouterCredentials): RouterCredentials {
  const c: RouterCredentials = {};
  if (input.password !== undefined) c.password = input.password;
  if (input.privateKey !== undefined) c.privateKey = input.privateKey;
  if (input.passphrase !== undefined) c.passphrase = input.passphrase;
  return c;
}

/** Routers and who may use them: ownership, assignments, onboarding, liveness. */
export class RoutersService {
  private readonly allowed: BlockList | null;

  constructor(
    private readonly repo: RoutersRepository,
    private readonly secrets: SecretBox,
    private readonly audit: AuditService,
    private readonly policy: RouterPolicy,
    private readonly now: () => Date = () => new Date(),
    private readonly publish: Publish = publishNowhere,
  ) {
    this.allowed = policy.allowedCidrs.length ? buildBlockList(policy.allowedCidrs) : null;
  }

  /** The router if the actor may see it; otherwise 404, the same answer as for a missing one. */
  async getVisible(actor: Actor, id: string): Promise<{ router: RouterEntity; access: Access }> {
    const found = await this.repo.findVisible(id, { userId: actor.userId, isAdmin: actor.isAdmin });
    if (!found) throw AppError.notFound('ROUTER_NOT_FOUND', 'Router not found');
    // An admin who is also assigned a router keeps an admin's rights over it.
    const access: Access = found.router.ownerId === actor.userId ? 'owner' : actor.isAdmin ? 'admin' : 'assigned';
    return { router: found.router, access };
  }

  /** Like getVisible, but changing the router itself needs its owner or an admin. */
  private async getManaged(actor: Actor, id: string): Promise<{ router: RouterEntity; access: Access }> {
    const found = await this.getVisible(actor, id);
    if (found.access === 'assigned') {
      throw AppError.forbidden('Only the router owner or an admin can do this', 'ROUTER_OWNER_REQUIRED');
    }
    return found;
  }

  async create(actor: Actor, input: CreateRouterInput) {
    await this.checkDestination(input);
    const id = crypto.randomUUID();
    const router = await this.repo.insertRouter({
      id,
      ownerId: actor.userId,
      name: input.name,
      host: input.host,
      port: input.port,
      username: input.username,
      platform: input.platform,
      authMethod: input.privateKey ? 'privateKey' : 'password',
      credentialsEnc: this.secrets.seal(JSON.stringify(credentialsOf(input)), secretContext(id, 'router')),
      options: input.options ?? {},
      jumpHost: input.jumpHost ? storedJumpHost(input.jumpHost) : null,
      jumpCredentialsEnc: input.jumpHost ? this.secrets.seal(JSON.stringify(credentialsOf(input.jumpHost)), secretContext(id, 'jump')) : null,
      tunnelPort: input.tunnelPort ?? null,
      hostKeySha256: input.hostKeySha256 ?? null,
    });
    await this.audit.record({
      action: 'router.create',
      actor,
      target: { type: 'router', id: router.id },
      details: { name: router.name, host: router.host, port: router.port, platform: router.platform, via: via(router) },
    });
    return toPublicRouter(router, 'owner');
  }

  /**
   * A page of the routers the actor sees, as the JSON text of the response body (written by
   * PostgreSQL, see RoutersRepository.listVisible): the API's most frequent request.
   */
  async listJson(actor: Actor, page: { limit: number; cursor?: string }): Promise<string> {
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    if (page.cursor && !after) throw new AppError('INVALID_CURSOR', 400, 'The cursor is not one this API returned');
    const { itemsJson, next } = await this.repo.listVisible({ userId: actor.userId, isAdmin: actor.isAdmin }, page.limit, after);
    return `{"items":${itemsJson},"nextCursor":${next ? JSON.stringify(encodeCursor(next)) : 'null'}}`;
  }

  async get(actor: Actor, id: string) {
    const { router, access } = await this.getVisible(actor, id);
    return toPublicRouter(router, access);
  }

  async update(actor: Actor, id: string, patch: UpdateRouterInput) {
    const { router, access } = await this.getManaged(actor, id);
    const next = {
      host: patch.host ?? router.host,
      port: patch.port ?? router.port,
      tunnelPort: patch.tunnelPort === undefined ? (router.tunnelPort ?? undefined) : (patch.tunnelPort ?? undefined),
      jumpHost: patch.jumpHost === undefined ? router.jumpHost ?? undefined : patch.jumpHost ?? undefined,
    };
    if (next.jumpHost && next.tunnelPort) {
      throw AppError.badRequest('A router is reached either through a jump host or a reverse tunnel, not both');
    }
    await this.checkDestination(next);
    const changed: string[] = [];
    const set = <K extends keyof RouterEntity>(key: K, value: RouterEntity[K]) => {
      router[key] = value;
      changed.push(String(key));
    };
    if (patch.name !== undefined) set('name', patch.name);
    if (patch.host !== undefined) set('host', patch.host);
    if (patch.port !== undefined) set('port', patch.port);
    if (patch.username !== undefined) set('username', patch.username);
    if (patch.platform !== undefined) set('platform', patch.platform);
    if (patch.options !== undefined) set('options', patch.options);
    if (patch.tunnelPort !== undefined) set('tunnelPort', patch.tunnelPort);
    if (patch.hostKeySha256 !== undefined) set('hostKeySha256', patch.hostKeySha256);
    if (patch.password !== undefined || patch.privateKey !== undefined) {
      set('authMethod', patch.privateKey ? 'privateKey' : 'password');
      set('credentialsEnc', this.secrets.seal(JSON.stringify(credentialsOf(patch)), secretContext(router.id, 'router')));
    }
    if (patch.jumpHost !== undefined) {
      set('jumpHost', patch.jumpHost ? storedJumpHost(patch.jumpHost) : null);
      set(
        'jumpCredentialsEnc',
        patch.jumpHost ? this.secrets.seal(JSON.stringify(credentialsOf(patch.jumpHost)), secretContext(router.id, 'jump')) : null,
      );
    }
    // Moving a router somewhere else means its old host key no longer proves anything.
    if ((patch.host !== undefined || patch.port !== undefined || patch.tunnelPort !== undefined || patch.jumpHost !== undefined) && patch.hostKeySha256 === undefined) {
      set('hostKeySha256', null);
    }
    const saved = await this.repo.saveRouter(router);
    await this.audit.record({
      action: 'router.update',
      actor,
      target: { type: 'router', id },
      details: { changed: changed.map((c) => (c.endsWith('Enc') ? c.replace(/Enc$/, '') : c)) },
    });
    return toPublicRouter(saved, access);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const { router } = await this.getManaged(actor, id);
    await this.repo.deleteRouter(id);
    await this.audit.record({ action: 'router.delete', actor, target: { type: 'router', id }, details: { name: router.name } });
  }

  async listAssignments(actor: Actor, id: string) {
    await this.getManaged(actor, id);
    const rows = await this.repo.listAssignments(id);
    return {
      items: rows.map((a) => ({ routerId: a.routerId, userId: a.userId, assignedBy: a.assignedBy, createdAt: a.createdAt.toISOString() })),
    };
  }

  async assign(actor: Actor, id: string, userId: string, userExists: (id: string) => Promise<boolean>) {
    const { router } = await this.getManaged(actor, id);
    if (userId === router.ownerId) throw AppError.conflict('ALREADY_OWNER', 'That user owns the router');
    if (!(await userExists(userId))) throw AppError.notFound('USER_NOT_FOUND', 'User not found');
    const created = await this.repo.addAssignment(id, userId, actor.userId);
    if (created) {
      await this.audit.record({ action: 'router.assign', actor, target: { type: 'router', id }, details: { userId } });
    }
    return { created };
  }

  async unassign(actor: Actor, id: string, userId: string): Promise<void> {
    await this.getManaged(actor, id);
    const removed = await this.repo.removeAssignment(id, userId);
    if (!removed) throw AppError.notFound('ASSIGNMENT_NOT_FOUND', 'That user is not assigned to this router');
    await this.audit.record({ action: 'router.unassign', actor, target: { type: 'router', id }, details: { userId } });
  }

  /** A one-time key for the router's install script; only its hash is kept. */
  async issueProvisionKey(actor: Actor, id: string) {
    const { router } = await this.getManaged(actor, id);
    const provisionKey = `npk_${randomToken(24)}`;
    const expiresAt = new Date(this.now().getTime() + this.policy.provisionKeyTtlMs);
    router.provisionKeyHash = sha256Hex(provisionKey);
    router.provisionKeyExpiresAt = expiresAt;
    await this.repo.saveRouter(router);
    await this.audit.record({ action: 'router.provision_key', actor, target: { type: 'router', id }, details: { expiresAt: expiresAt.toISOString() } });
    return { provisionKey, expiresAt: expiresAt.toISOString() };
  }

  /** Spends a provision key for a router token (shown once, stored hashed). */
  async register(input: { provisionKey: string } & Record<string, unknown>, ip: string | null) {
    const { provisionKey, ...networkInfo } = input;
    const routerToken = `nrt_${randomToken(32)}`;
    const router = await this.repo.spendProvisionKey(sha256Hex(provisionKey), this.now(), {
      routerTokenHash: sha256Hex(routerToken),
      networkInfo,
    });
    if (!router) {
      await this.audit.recordQuietly({ action: 'router.register', outcome: 'failure', actor: { userId: null, ip }, details: { reason: 'invalid_or_spent_key' } });
      throw AppError.unauthorized('The provision key is invalid, expired or already used', 'PROVISION_KEY_INVALID');
    }
    await this.audit.record({ action: 'router.register', actor: { userId: null, ip }, target: { type: 'router', id: router.id } });
    // Registering marks the router online.
    await this.publish({ kind: 'router.status', routerId: router.id });
    return { routerId: router.id, routerToken };
  }

  /** The router a router token belongs to, or 401. */
  async authenticateRouter(token: string): Promise<RouterEntity> {
    const router = token ? await this.repo.findByRouterTokenHash(sha256Hex(token)) : null;
    if (!router) throw AppError.unauthorized('A valid router token is required', 'ROUTER_TOKEN_INVALID');
    return router;
  }

  async heartbeat(routerId: string, authenticated: RouterEntity): Promise<{ status: 'online'; lastSeenAt: string }> {
    // A token is good for its own router only; another id looks like a missing router.
    if (authenticated.id !== routerId) throw AppError.notFound('ROUTER_NOT_FOUND', 'Router not found');
    const now = this.now();
    await this.repo.touchHeartbeat(routerId, now);
    if (authenticated.status !== 'online') {
      await this.audit.recordQuietly({ action: 'router.online', actor: { userId: null, ip: null }, target: { type: 'router', id: routerId } });
      await this.publish({ kind: 'router.status', routerId });
    }
    return { status: 'online', lastSeenAt: now.toISOString() };
  }

  async status(actor: Actor, id: string) {
    const { router } = await this.getVisible(actor, id);
    return {
      id: router.id,
      status: router.status,
      lastSeenAt: router.lastSeenAt?.toISOString() ?? null,
      registeredAt: router.registeredAt?.toISOString() ?? null,
      offlineAfterMs: this.policy.offlineAfterMs,
    };
  }

  /** Marks routers whose heartbeat went silent offline; the background job calls this. */
  async markSilentRoutersOffline(): Promise<number> {
    const gone = await this.repo.markOffline(new Date(this.now().getTime() - this.policy.offlineAfterMs));
    for (const r of gone) {
      await this.audit.recordQuietly({ action: 'router.offline', actor: { userId: null, ip: null }, target: { type: 'router', id: r.id } });
      await this.publish({ kind: 'router.status', routerId: r.id });
    }
    return gone.length;
  }

  /** How the executor reaches this router, credentials decrypted for this one call. */
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

  /**
   * Trust on first use: pins the router's and the jump host's keys the executor saw, where
   * none is pinned yet. Later contacts must show the same keys (HOST_KEY_MISMATCH otherwise).
   */
  async pinHostKeys(actor: Actor, router: RouterEntity, seen: { hostKeySha256: string | null; jumpHostKeySha256?: string | null }): Promise<void> {
    const pinned: Record<string, string> = {};
    if (!router.hostKeySha256 && seen.hostKeySha256) {
      router.hostKeySha256 = seen.hostKeySha256;
      pinned.hostKeySha256 = seen.hostKeySha256;
    }
    if (router.jumpHost && !router.jumpHost.hostKeySha256 && seen.jumpHostKeySha256) {
      router.jumpHost = { ...router.jumpHost, hostKeySha256: seen.jumpHostKeySha256 };
      pinned.jumpHostKeySha256 = seen.jumpHostKeySha256;
    }
    if (!Object.keys(pinned).length) return;
    await this.repo.saveRouter(router);
    await this.audit.record({ action: 'router.host_key_pinned', actor, target: { type: 'router', id: router.id }, details: pinned });
  }

  /** True when the executor saw a key this router has not pinned yet. */
  needsPinning(router: RouterEntity, seen: { hostKeySha256: string | null; jumpHostKeySha256?: string | null }): boolean {
    return (!router.hostKeySha256 && !!seen.hostKeySha256) || (!!router.jumpHost && !router.jumpHost.hostKeySha256 && !!seen.jumpHostKeySha256);
  }

  /** Refuses destinations outside ROUTER_ALLOWED_CIDRS and tunnel ports outside the allowed range. */
  private async checkDestination(d: { host: string; port?: number; tunnelPort?: number | null; jumpHost?: { host: string } | StoredJumpHost | null }) {
    if (d.tunnelPort != null) {
      const { min, max } = this.policy.tunnelPorts;
      if (d.tunnelPort < min || d.tunnelPort > max) {
        throw AppError.badRequest(`tunnelPort must be between ${min} and ${max} (ROUTER_TUNNEL_PORTS)`);
      }
      return;
    }
    if (!this.allowed) return;
    const endpointAllowed = !d.jumpHost && this.policy.allowedEndpoints?.includes(`${d.host}:${d.port ?? 22}`);
    for (const host of [endpointAllowed ? null : d.host, d.jumpHost?.host].filter((h): h is string => !!h)) {
      const addresses = isIP(host) ? [host] : await resolveAll(host);
      const outside = addresses.filter((a) => !this.allowed!.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4'));
      if (!addresses.length || outside.length) {
        throw new AppError('ROUTER_HOST_NOT_ALLOWED', 400, `${host} is outside the networks routers may be in (ROUTER_ALLOWED_CIDRS)`);
      }
    }
  }
}

function storedJumpHost(j: JumpHostInput): StoredJumpHost {
  const s: StoredJumpHost = { host: j.host, port: j.port, username: j.username, authMethod: j.privateKey ? 'privateKey' : 'password' };
  if (j.hostKeySha256) s.hostKeySha256 = j.hostKeySha256;
  return s;
}

function via(r: RouterEntity): string {
  return r.jumpHost ? 'jump-host' : r.tunnelPort ? 'reverse-tunnel' : 'direct';
}

async function resolveAll(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
}

/** Parses `10.0.0.0/8,fd00::/8` into a BlockList; throws on a malformed entry. */
export function buildBlockList(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net, bits] = cidr.split('/');
    const family = isIP(net);
    const prefix = Number(bits ?? (family === 6 ? 128 : 32));
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
      throw new Error(`ROUTER_ALLOWED_CIDRS: "${cidr}" is not a CIDR like 192.168.0.0/16`);
    }
    list.addSubnet(net, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}
