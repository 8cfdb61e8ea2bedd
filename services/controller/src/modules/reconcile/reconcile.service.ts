import { randomUUID } from 'node:crypto';
import type { BlockedSet, DeviceTarget } from '@netpilot/contracts';
import type { ExecutorClient, ExecutorError } from '@netpilot/executor-client';
import { currentRequestId, type Logger } from '@netpilot/service-kit';
import type { AuditService } from '../audit/audit.service';
import { INSTANCE_DEAD_AFTER_MS } from '../instances/instance-presence';
import type { BlockEntity, BlockKind } from '../blocks/block.entity';
import { targetOfBlock, toBlockView } from '../blocks/block.presenter';
import type { BlocksRepository } from '../blocks/blocks.repository';
import { auditActorOf, contactOf, isSystemActor, type ActionActor, type CommandsService } from '../commands/commands.service';
import type { Contact } from '../commands/commands.repository';
import { isRetryLater } from '../commands/executor-errors';
import type { RouterEntity } from '../routers/router.entity';
import type { Actor } from '../../http/actor';
import { appErrorOf, executorErrorOf } from '../commands/executor-errors';
import type { RouterCredentialStore } from '../routers/router-credentials';
import type { RoutersService } from '../routers/routers.service';
import { publishNowhere, type Publish } from '../stream/stream.events';
import { ReconcileErrors } from './reconcile.errors';
import type { ReconcileRepository } from './reconcile.repository';

export interface ReconcilePolicy {
  /** The first retry after a failure; doubled per consecutive failure up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a reconcile may hold its router's lease (a dead holder's lease lapses after it). */
  leaseMs: number;
}

export interface ReconcileServiceDeps {
  repo: ReconcileRepository;
  routers: Pick<RoutersService, 'getVisible' | 'needsPinning' | 'pinHostKeys'>;
  credentials: RouterCredentialStore;
  executor: ExecutorClient;
  blocks: BlocksRepository;
  commands: CommandsService;
  audit: AuditService;
  logger: Logger;
  policy: ReconcilePolicy;
  /** This controller instance: the lease owner. */
  instanceId: string;
  publish?: Publish;
}

/** What one reconcile did: keys are `ip:<address>` / `mac:<address>`. */
export interface ReconcileResult {
  applied: string[];
  removed: string[];
  unchanged: string[];
  /** The first failure, when the router is not in sync afterwards. */
  error: ExecutorError | null;
  /** When to try again (a failure); null when in sync. */
  retryInMs: number | null;
}

const blockKey = (b: Pick<BlockEntity, 'kind' | 'value'>) => `${b.kind}:${b.value}`;

function targetOfKey(key: string): DeviceTarget {
  const [kind, ...rest] = key.split(':');
  return targetOfBlock({ kind: kind as BlockKind, value: rest.join(':') });
}

/**
 * Makes a router enforce exactly the stored blocks, both ways, and records what it saw: each
 * block's verifiedAt, the router's convergence summary. Reads the router first and the table
 * second, so a block committed before the read is never taken for an extra. One reconcile per
 * router at a time across replicas (a lease in the routers row).
 */
export class ReconcileService {
  private readonly publish: Publish;

  constructor(private readonly deps: ReconcileServiceDeps) {
    this.publish = deps.publish ?? publishNowhere;
  }

  /** The backoff after `failures` consecutive failures. */
  retryDelayMs(failures: number): number {
    const { retryBaseMs, retryMaxMs } = this.deps.policy;
    return Math.min(retryMaxMs, retryBaseMs * 2 ** Math.max(0, Math.min(20, failures - 1)));
  }

  /**
   * Reconciles one router now, as `actor` (the system for jobs, a user for sync). Waits up to
   * `waitMs` for another reconcile of the router to finish; null when it could not get its
   * turn (someone else is reconciling it) or the router is gone.
   */
  async reconcile(routerId: string, actor: ActionActor, opts: { waitMs?: number } = {}): Promise<ReconcileResult | null> {
    // Each run is its own owner: two runs in one process wait for each other too.
    const owner = randomUUID();
    const lease = { owner, instance: this.deps.instanceId, ms: this.deps.policy.leaseMs, deadAfterMs: INSTANCE_DEAD_AFTER_MS };
    const deadline = Date.now() + (opts.waitMs ?? 0);
    let router = await this.deps.repo.takeLease(routerId, lease);
    while (!router) {
      if (Date.now() >= deadline || !(await this.deps.repo.exists(routerId))) return null;
      await new Promise((r) => setTimeout(r, 100));
      router = await this.deps.repo.takeLease(routerId, lease);
    }
    try {
      return await this.run(router, actor, owner);
    } finally {
      // run() releases the lease with its last write; this is for a run that threw before it.
      await this.deps.repo.releaseLease(routerId, owner).catch(() => undefined);
    }
  }

  /**
   * A user's `POST /routers/:id/sync`: the same reconcile, as that user, waiting for a
   * reconcile in progress to finish first. Answers what changed and the blocks now, or the
   * router's failure as an API error.
   */
  async sync(actor: Actor, routerId: string) {
    await this.deps.routers.getVisible(actor, routerId);
    const result = await this.reconcile(routerId, actor, { waitMs: this.deps.policy.leaseMs });
    if (!result) throw ReconcileErrors.busy();
    const { applied, removed, unchanged } = result;
    await this.deps.audit.record({
      action: 'router.sync',
      actor: auditActorOf(actor),
      target: { type: 'router', id: routerId },
      outcome: result.error ? 'failure' : 'success',
      details: { applied, removed, unchanged },
    });
    if (result.error) throw appErrorOf(result.error);
    return { applied, removed, unchanged, blocks: (await this.deps.blocks.list(routerId)).map(toBlockView) };
  }

  /**
   * What the router enforces now. A user's sync records the read as a command of theirs; the
   * system's own read is not a command (only the changes it makes are), so a drift check
   * that finds nothing to do writes nothing but its outcome.
   */
  private async read(router: RouterEntity, actor: ActionActor): Promise<{ ok: true; data: BlockedSet } | { ok: false; error: ExecutorError }> {
    if (!isSystemActor(actor)) return this.deps.commands.run(actor, router, 'list-blocked', {});
    try {
      const { data, metadata } = await this.deps.executor.listBlocked(actor.sessionId, this.deps.credentials.targetOf(router), { requestId: currentRequestId() });
      if (this.deps.routers.needsPinning(router, metadata)) await this.deps.routers.pinHostKeys(auditActorOf(actor), router, metadata);
      return { ok: true, data };
    } catch (err) {
      return { ok: false, error: executorErrorOf(err) };
    }
  }

  private async run(router: RouterEntity, actor: ActionActor, owner: string): Promise<ReconcileResult> {
    const { commands, blocks, repo } = this.deps;
    const system = isSystemActor(actor);
    const listed = await this.read(router, actor);
    if (!listed.ok) {
      const error = listed.error;
      const ended = await repo.finish(router.id, owner, {
        convergence: 'unreachable',
        error: error.message,
        read: false,
        failed: true,
        contact: system ? contactOf(error.code) : 'unknown',
        verifiedIds: [],
      });
      await this.noteContact(router.id, ended?.statusBefore, system ? contactOf(error.code) : 'unknown');
      // A router that refuses us (auth, host key) is tried again at the next drift check, not in a loop.
      return { applied: [], removed: [], unchanged: [], error, retryInMs: isRetryLater(error) ? this.retryDelayMs(ended?.failures ?? 1) : null };
    }
    const enforced = new Set([...listed.data.ips.map((v) => `ip:${v}`), ...listed.data.macs.map((v) => `mac:${v}`)]);
    // The table after the router: a block stored before the read cannot look like an extra.
    const rows = await blocks.list(router.id);
    const wanted = new Map(rows.filter((b) => b.status !== 'removing').map((b) => [blockKey(b), b]));
    const removing = new Map(rows.filter((b) => b.status === 'removing').map((b) => [blockKey(b), b]));
    const result: ReconcileResult = { applied: [], removed: [], unchanged: [], error: null, retryInMs: null };

    const seen = [...wanted].filter(([key]) => enforced.has(key)).map(([key, b]) => ({ key, block: b }));
    result.unchanged.push(...seen.map((x) => x.key));

    for (const [key, block] of wanted) {
      if (enforced.has(key)) continue;
      const outcome = await commands.run(actor, router, 'block', targetOfBlock(block), {
        settle: (o) => (o.ok ? blocks.markApplied(block.id) : blocks.markFailed(block.id, o.error, { notEnforced: true })),
      });
      if (outcome.ok) result.applied.push(key);
      else result.error ??= outcome.error;
    }
    // What the router enforces that the table does not want (rows being removed included) goes.
    for (const key of enforced) {
      if (wanted.has(key)) continue;
      const outcome = await commands.run(actor, router, 'unblock', targetOfKey(key));
      if (outcome.ok) {
        result.removed.push(key);
        const row = removing.get(key);
        if (row) await blocks.deleteIfRemoving(row.id);
        removing.delete(key);
      } else {
        result.error ??= outcome.error;
      }
    }
    // Rows being removed that the router no longer enforces are done.
    for (const [key, row] of removing) {
      if (!enforced.has(key)) await blocks.deleteIfRemoving(row.id);
    }

    const ended = await repo.finish(router.id, owner, {
      convergence: result.error ? 'drifting' : 'in-sync',
      error: result.error?.message ?? null,
      read: true,
      failed: result.error !== null,
      contact: system ? 'reached' : 'unknown',
      verifiedIds: seen.map((x) => x.block.id),
    });
    await this.noteContact(router.id, ended?.statusBefore, system ? 'reached' : 'unknown');
    if (result.error) result.retryInMs = this.retryDelayMs(ended?.failures ?? 1);
    const changed = result.applied.length + result.removed.length > 0;
    if (changed && system) {
      await this.deps.audit.record({
        action: 'router.drift_repaired',
        actor: auditActorOf(actor),
        target: { type: 'router', id: router.id },
        outcome: result.error ? 'failure' : 'success',
        details: { actor: 'system', applied: result.applied, removed: result.removed },
      });
    }
    // A verified block whose shown state changes (pending to applied, an error cleared) is news too.
    const shownChange = seen.some((x) => x.block.status !== 'applied' || x.block.lastErrorCode !== null);
    if (changed || shownChange) await this.publish({ kind: 'block.changed', routerId: router.id, ids: rows.map((b) => b.id) });
    return result;
  }

  /** A read that found the router back (or gone) is news for the browsers, and for the audit log. */
  private async noteContact(routerId: string, statusBefore: string | undefined, contact: Contact): Promise<void> {
    if (!statusBefore || contact === 'unknown') return;
    const now = contact === 'reached' ? 'online' : 'offline';
    if (statusBefore === now) return;
    await this.deps.audit.recordQuietly({ action: `router.${now}`, actor: { userId: null, ip: null }, target: { type: 'router', id: routerId }, details: { via: 'reconcile' } });
    await this.publish({ kind: 'router.status', routerId });
  }
}
