import type { Transactor } from '../../db/sql';
import type { Actor } from '../../http/actor';
import { randomToken, sha256Hex } from '../../lib/tokens';
import type { AuditService } from '../audit/audit.service';
import { LOGIN_RULES, type AttemptLimiter } from '../auth/attempt-limiter';
import { routerStatusEvent, type EventsService } from '../events/events.service';
import type { DestinationPolicy } from '../routers/destination-policy';
import type { RouterEntity } from '../routers/router.entity';
import type { RoutersService } from '../routers/routers.service';
import { RouterErrors } from '../routers/routers.errors';
import { publishNowhere, type Publish } from '../stream/stream.events';
import { OnboardingErrors } from './onboarding.errors';
import type { OnboardingRepository } from './onboarding.repository';

export interface OnboardingPolicy {
  provisionKeyTtlMs: number;
  offlineAfterMs: number;
  /** How long a router's previous token keeps working after a rotation. */
  tokenGraceMs: number;
}

export interface OnboardingServiceDeps {
  repo: OnboardingRepository;
  routers: RoutersService;
  audit: AuditService;
  transaction: Transactor;
  /** Counts failed registrations per address (shared by replicas). */
  limiter: Pick<AttemptLimiter, 'check' | 'fail'>;
  policy: OnboardingPolicy;
  events: Pick<EventsService, 'record'>;
  /** Where routers may be: a router's own report of a new address is held to the same rules as its owner's. */
  destinations: Pick<DestinationPolicy, 'check'>;
  now?: () => Date;
  /** Tells the browsers watching (every replica's live streams) that a router's status changed. */
  publish?: Publish;
  /** Told when a heartbeat shows the router rebooted (its firewall may be empty) or came back online, or it reported a new address. */
  onReturn?: (routerId: string, why: 'rebooted' | 'online' | 'moved') => void;
}

export interface NetworkReport {
  wanAddress?: string;
  lanAddress?: string;
  tunnelPort?: number;
  hostname?: string;
}

export interface HeartbeatReport {
  bootId?: string;
  uptimeSeconds?: number;
}

/**
 * A router joining by itself and staying in touch: provision keys, registration, router
 * tokens and their rotation, heartbeats, liveness, and the router's reports of its network.
 */
export class OnboardingService {
  private readonly now: () => Date;
  private readonly publish: Publish;

  constructor(private readonly deps: OnboardingServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.publish = deps.publish ?? publishNowhere;
  }

  /** A one-time key for the router's install script; only its hash is kept. */
  async issueProvisionKey(actor: Actor, id: string) {
    await this.deps.routers.getManaged(actor, id);
    const provisionKey = `npk_${randomToken(24)}`;
    const expiresAt = new Date(this.now().getTime() + this.deps.policy.provisionKeyTtlMs);
    await this.deps.transaction(async (tx) => {
      if (!(await this.deps.repo.setProvisionKey(id, sha256Hex(provisionKey), expiresAt, tx))) throw RouterErrors.notFound();
      await this.deps.audit.record(
        { action: 'router.provision_key', actor, target: { type: 'router', id }, details: { expiresAt: expiresAt.toISOString() } },
        tx,
      );
    });
    return { provisionKey, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Spends a provision key for a router token (shown once, stored hashed). An address with too
   * many failed registrations is refused (429) before anything is looked up or audited, so
   * random keys cannot fill the audit log.
   */
  async register(input: { provisionKey: string } & Record<string, unknown>, ip: string | null) {
    const counters = [{ rule: LOGIN_RULES.register, key: ip ?? 'unknown' }];
    await this.deps.limiter.check(counters);
    const { provisionKey, ...networkInfo } = input;
    const routerToken = `nrt_${randomToken(32)}`;
    const router = await this.deps.transaction(async (tx) => {
      const spent = await this.deps.repo.spendProvisionKey(sha256Hex(provisionKey), this.now(), { routerTokenHash: sha256Hex(routerToken), networkInfo }, tx);
      if (spent) await this.deps.audit.record({ action: 'router.register', actor: { userId: null, ip }, target: { type: 'router', id: spent.id } }, tx);
      return spent;
    });
    if (!router) {
      await this.deps.limiter.fail(counters);
      await this.deps.audit.recordQuietly({ action: 'router.register', outcome: 'failure', actor: { userId: null, ip }, details: { reason: 'invalid_or_spent_key' } });
      throw OnboardingErrors.provisionKeyInvalid();
    }
    // Registering marks the router online.
    await this.publish({ kind: 'router.status', routerId: router.id });
    return { routerId: router.id, routerToken };
  }

  /** The router a router token belongs to, or 401. */
  async authenticateRouter(token: string): Promise<RouterEntity> {
    const router = token ? await this.deps.repo.findByRouterTokenHash(sha256Hex(token)) : null;
    if (!router) throw OnboardingErrors.routerTokenInvalid();
    return router;
  }

  /**
   * A heartbeat: the router is online as of the database's clock. A new boot id, or an
   * uptime lower than the last one, means it rebooted; a reboot or a return from offline
   * asks for a reconcile, since the router's firewall may have lost our blocks.
   */
  async heartbeat(routerId: string, authenticated: RouterEntity, report: HeartbeatReport = {}) {
    // A token is good for its own router only; another id looks like a missing router.
    if (authenticated.id !== routerId) throw RouterErrors.notFound();
    const recorded = await this.deps.repo.recordHeartbeat(routerId, { bootId: report.bootId ?? null, uptimeSeconds: report.uptimeSeconds ?? null });
    if (!recorded) throw RouterErrors.notFound();
    const { before } = recorded;
    const newBoot = !!before.bootId && !!report.bootId && before.bootId !== report.bootId;
    const uptimeBack = before.uptimeSeconds !== null && report.uptimeSeconds !== undefined && Math.floor(report.uptimeSeconds) < before.uptimeSeconds;
    const rebooted = newBoot || uptimeBack;
    const returned = before.status !== 'online';
    const target = { type: 'router', id: routerId };
    const system = { userId: null, ip: null };
    if (returned) {
      await this.deps.audit.recordQuietly({ action: 'router.online', actor: system, target });
      await this.deps.events.record(routerId, routerStatusEvent('online', 'a heartbeat'));
      await this.publish({ kind: 'router.status', routerId });
    }
    if (rebooted) {
      await this.deps.audit.recordQuietly({ action: 'router.rebooted', actor: system, target, details: { bootId: report.bootId ?? null, newBoot, uptimeBack } });
      await this.deps.events.record(routerId, {
        type: 'router.rebooted',
        level: 'warn',
        message: newBoot ? 'The router rebooted (a new boot id); its blocks are put back' : 'The router rebooted (its uptime went back); its blocks are put back',
        data: { bootId: report.bootId ?? null, uptimeSeconds: report.uptimeSeconds ?? null },
      });
    }
    if (rebooted || returned) this.deps.onReturn?.(routerId, rebooted ? 'rebooted' : 'online');
    return { status: 'online' as const, lastSeenAt: recorded.lastSeenAt.toISOString(), rebooted };
  }

  async status(actor: Actor, id: string) {
    const { router } = await this.deps.routers.getVisible(actor, id);
    return {
      id: router.id,
      status: router.status,
      lastSeenAt: router.lastSeenAt?.toISOString() ?? null,
      registeredAt: router.registeredAt?.toISOString() ?? null,
      offlineAfterMs: this.deps.policy.offlineAfterMs,
    };
  }

  /** Marks routers whose heartbeat went silent offline; the liveness job calls this. */
  async markSilentRoutersOffline(): Promise<number> {
    const gone = await this.deps.repo.markOffline(this.deps.policy.offlineAfterMs);
    for (const r of gone) {
      await this.deps.audit.recordQuietly({ action: 'router.offline', actor: { userId: null, ip: null }, target: { type: 'router', id: r.id } });
      await this.deps.events.record(r.id, routerStatusEvent('offline', `no heartbeat for ${Math.round(this.deps.policy.offlineAfterMs / 1000)} s`));
      await this.publish({ kind: 'router.status', routerId: r.id });
    }
    return gone.length;
  }

  /**
   * A new router token for the owner or an admin to give the router; the previous one keeps
   * working for the grace period, so the router can switch without missing a heartbeat.
   */
  async rotateToken(actor: Actor, id: string) {
    await this.deps.routers.getManaged(actor, id);
    const routerToken = `nrt_${randomToken(32)}`;
    const rotated = await this.deps.transaction(async (tx) => {
      const done = await this.deps.repo.rotateToken(id, sha256Hex(routerToken), this.deps.policy.tokenGraceMs, tx);
      if (!done) throw OnboardingErrors.notRegistered();
      await this.deps.audit.record(
        { action: 'router.token_rotate', actor, target: { type: 'router', id }, details: { previousTokenExpiresAt: done.previousExpiresAt.toISOString() } },
        tx,
      );
      return done;
    });
    return { routerToken, previousTokenExpiresAt: rotated.previousExpiresAt.toISOString() };
  }

  /**
   * The router reports its network after a DHCP change. Its network info takes the new
   * values; a router reached through a reverse tunnel may move to another tunnel port, and a
   * router reached directly at the WAN address it last reported follows its new one. Both are
   * held to the destination rules. The pinned host key stays: the router proves it is itself
   * at its new address with the same key.
   */
  async updateNetwork(routerId: string, authenticated: RouterEntity, report: NetworkReport, ip: string | null) {
    if (authenticated.id !== routerId) throw RouterErrors.notFound();
    const router = authenticated;
    const changed: string[] = [];
    let tunnelPort: number | null = null;
    let host: string | null = null;
    if (report.tunnelPort !== undefined) {
      if (router.tunnelPort === null) throw OnboardingErrors.notTunneled();
      if (report.tunnelPort !== router.tunnelPort) {
        await this.deps.destinations.check({ host: router.host, port: router.port, tunnelPort: report.tunnelPort });
        tunnelPort = report.tunnelPort;
        changed.push('tunnelPort');
      }
    }
    const direct = router.tunnelPort === null && router.jumpHost === null;
    const lastWan = router.networkInfo?.wanAddress;
    if (report.wanAddress !== undefined && direct && lastWan === router.host && report.wanAddress !== router.host) {
      await this.deps.destinations.check({ host: report.wanAddress, port: router.port });
      host = report.wanAddress;
      changed.push('host');
    }
    const info: Record<string, unknown> = {};
    for (const key of ['wanAddress', 'lanAddress', 'hostname'] as const) {
      if (report[key] !== undefined && report[key] !== router.networkInfo?.[key]) {
        info[key] = report[key];
        changed.push(key);
      }
    }
    const updated = await this.deps.transaction(async (tx) => {
      const saved = await this.deps.repo.updateNetwork(routerId, { networkInfo: info, host, tunnelPort }, tx);
      if (!saved) throw RouterErrors.notFound();
      if (changed.length) {
        await this.deps.audit.record(
          { action: 'router.network_update', actor: { userId: null, ip }, target: { type: 'router', id: routerId }, details: { via: 'router token', changed, ...info, ...(host ? { host } : {}), ...(tunnelPort ? { tunnelPort } : {}) } },
          tx,
        );
      }
      return saved;
    });
    if (host || tunnelPort) {
      await this.publish({ kind: 'router.status', routerId });
      this.deps.onReturn?.(routerId, 'moved');
    }
    return { host: updated.host, port: updated.port, tunnelPort: updated.tunnelPort, networkInfo: updated.networkInfo ?? {}, changed };
  }
}
