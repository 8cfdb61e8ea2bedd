import { randomUUID } from 'node:crypto';
import type { BlockedSet, DeviceTarget } from '@netpilot/contracts';
import type { ExecutorClient, ExecutorError } from '@netpilot/executor-client';
import { currentRequestId, type Logger } from '@netpilot/service-kit';
import type { Transactor } from '../../db/sql';
import type { AuditService } from '../audit/audit.service';
import { INSTANCE_DEAD_AFTER_MS } from '../instances/instance-presence';
import type { BlockEntity, BlockKind } from '../blocks/block.entity';
import { targetOfBlock, toBlockView } from '../blocks/block.presenter';
import type { BlocksRepository } from '../blocks/blocks.repository';
import { auditActorOf, contactOf, isSystemActor, type ActionActor, type CommandsService } from '../commands/commands.service';
import type { Contact } from '../commands/commands.repository';
import { isRetryLater } from '../commands/executor-errors';
import { routerStatusEvent, type EventsService } from '../events/events.service';
import type { RouterEntity } from '../routers/router.entity';
import type { Actor } from '../../http/actor';
import { appErrorOf, executorErrorOf } from '../commands/executor-errors';
import type { RouterCredentialStore } from '../routers/router-credentials';
import type { RoutersService } from '../routers/routers.service';
import type { ScheduleEntity } from '../schedules/schedule.entity';
import { publishNowhere, type Publish } from '../stream/stream.events';
import { desiredState, isLive } from './desired-state';
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
  events: Pick<EventsService, 'record'>;
  transaction: Transactor;
  /** The time the wanted set is computed for (schedules' windows, temporary blocks' ends). */
  clock: () => Date;
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

function targetOfKey(key: string): DeviceTarget {
  const [kind, ...rest] = key.split(':');
  return targetOfBlock({ kind: kind as BlockKind, value: rest.join(':') });
}


/** A change the reconciler made because a schedule's window opened, or closed (or the schedule was paused). */
interface WindowChange {
  key: string;
  schedules: ScheduleEntity[];
  open: boolean;
}

/**
 * Makes a router enforce exactly what is wanted now, both ways: its live manual blocks and
 * the targets of its schedules with an open window (desired-state.ts says the rule), and
 * records what it saw: each block's verifiedAt, the router's convergence summary. Temporary
 * blocks past their end are lifted here too. Reads the router first and the table second, so
 * a block committed before the read is never taken for an extra. One reconcile per router at
 * a time across replicas (a lease in the routers row). The one place that changes a router's
 * state other than a user's own action.
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
    return { applied, removed, unchanged, blocks: (await this.deps.blocks.listNamed(routerId)).map(toBlockView) };
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
      // A temporary block past its end is on its way out even while the router cannot be told.
      await this.expireDue(router, await blocks.list(router.id), this.deps.clock());
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
    const now = this.deps.clock();
    const { blocks: stored, schedules } = await repo.desired(router.id);
    const rows = await this.expireDue(router, stored, now);
    const { wanted, leaving, idle } = desiredState(rows, schedules, router.timeZone, now);
    const result: ReconcileResult = { applied: [], removed: [], unchanged: [], error: null, retryInMs: null };
    const drift: { applied: string[]; removed: string[] } = { applied: [], removed: [] };
    const windows: WindowChange[] = [];

    const seen = [...wanted].filter(([key]) => enforced.has(key)).map(([key, holders]) => ({ key, block: holders.block }));
    result.unchanged.push(...seen.map((x) => x.key));

    for (const [key, { block, schedules: opened }] of wanted) {
      if (enforced.has(key)) continue;
      const outcome = await commands.run(actor, router, 'block', targetOfKey(key), {
        settle: block ? (o) => (o.ok ? blocks.markApplied(block.id) : blocks.markFailed(block.id, o.error, { notEnforced: true })) : undefined,
      });
      if (outcome.ok) {
        result.applied.push(key);
        if (block) drift.applied.push(key);
        else windows.push({ key, schedules: opened, open: true });
      } else {
        result.error ??= outcome.error;
        if (block && block.lastErrorCode === null) await this.recordBlockFailure(router.id, block, outcome.error);
      }
    }
    // What the router enforces that is not wanted now (rows being removed or past their end included) goes.
    for (const key of enforced) {
      if (wanted.has(key)) continue;
      const outcome = await commands.run(actor, router, 'unblock', targetOfKey(key));
      if (!outcome.ok) {
        result.error ??= outcome.error;
        continue;
      }
      result.removed.push(key);
      const row = leaving.get(key);
      if (row) {
        await blocks.deleteIfRemoving(row.id);
        leaving.delete(key);
        // A temporary block's end is not drift; the unblock in the history and the audit log say who ended it.
        if (!row.expiresAt || row.expiresAt > now) drift.removed.push(key);
      } else if (idle.has(key)) {
        windows.push({ key, schedules: idle.get(key)!, open: false });
      } else {
        drift.removed.push(key);
      }
    }
    // Rows on their way out that the router no longer enforces for them are done.
    for (const [key, row] of leaving) {
      if (!enforced.has(key) || wanted.has(key)) await blocks.deleteIfRemoving(row.id);
    }

    const ended = await repo.finish(router.id, owner, {
      convergence: result.error ? 'drifting' : 'in-sync',
      error: result.error?.message ?? null,
      read: true,
      failed: result.error !== null,
      contact: system ? 'reached' : 'unknown',
      verifiedIds: seen.flatMap((x) => (x.block ? [x.block.id] : [])),
    });
    await this.noteContact(router.id, ended?.statusBefore, system ? 'reached' : 'unknown');
    if (result.error) result.retryInMs = this.retryDelayMs(ended?.failures ?? 1);
    if (system && drift.applied.length + drift.removed.length > 0) await this.noteDriftRepaired(router.id, actor, drift, result.error);
    for (const change of windows) await this.noteWindow(router.id, change);
    const changed = result.applied.length + result.removed.length > 0;
    // A verified block whose shown state changes (pending to applied, an error cleared) is news too.
    const shownChange = seen.some((x) => x.block && (x.block.status !== 'applied' || x.block.lastErrorCode !== null));
    if (changed || shownChange || leaving.size) await this.publish({ kind: 'block.changed', routerId: router.id, ids: rows.map((b) => b.id) });
    return result;
  }

  /**
   * Temporary blocks past their end at `now` go: marked removing and audited as the system's
   * (`block.expired`), in one transaction; the rows as they are now. Nothing is written when
   * none is due, so a drift check writes nothing but its outcome.
   */
  private async expireDue(router: RouterEntity, rows: BlockEntity[], now: Date): Promise<BlockEntity[]> {
    if (!rows.some((b) => b.status !== 'removing' && !isLive(b, now))) return rows;
    const expired = await this.deps.transaction(async (tx) => {
      const marked = await this.deps.blocks.markExpired(router.id, now, tx);
      for (const b of marked) {
        await this.deps.audit.record(
          { action: 'block.expired', actor: { userId: null, ip: null }, target: { type: 'router', id: router.id }, details: { actor: 'system', blockId: b.id, [b.kind]: b.value, until: b.expiresAt?.toISOString() } },
          tx,
        );
      }
      return new Map(marked.map((b) => [b.id, b]));
    });
    if (expired.size) await this.publish({ kind: 'block.changed', routerId: router.id, ids: [...expired.keys()] });
    return rows.map((b) => expired.get(b.id) ?? b);
  }

  private async noteDriftRepaired(routerId: string, actor: ActionActor, drift: { applied: string[]; removed: string[] }, error: ExecutorError | null): Promise<void> {
    await this.deps.audit.record({
      action: 'router.drift_repaired',
      actor: auditActorOf(actor),
      target: { type: 'router', id: routerId },
      outcome: error ? 'failure' : 'success',
      details: { actor: 'system', applied: drift.applied, removed: drift.removed },
    });
    const what = [drift.applied.length ? `put back ${drift.applied.join(', ')}` : '', drift.removed.length ? `removed ${drift.removed.join(', ')}` : ''].filter(Boolean).join('; ');
    await this.deps.events.record(routerId, {
      type: 'drift.repaired',
      level: 'warn',
      message: `The router did not enforce what NetPilot wants now; repaired: ${what}`,
      data: { applied: drift.applied, removed: drift.removed },
    });
  }

  private async noteWindow(routerId: string, change: WindowChange): Promise<void> {
    const names = change.schedules.map((s) => s.label ?? 'a schedule').join(', ');
    const address = change.key.replace(/^(ip|mac):/, '');
    const window = change.open ? 'open' : change.schedules.every((s) => !s.enabled) ? 'paused' : 'closed';
    const what = { open: `window opened, ${address} blocked`, closed: `window closed, ${address} unblocked`, paused: `paused, ${address} unblocked` }[window];
    await this.deps.events.record(routerId, {
      type: 'schedule.applied',
      level: 'info',
      message: `${names}: ${what}`,
      data: { scheduleIds: change.schedules.map((s) => s.id), address: change.key, window },
    });
  }

  private async recordBlockFailure(routerId: string, block: BlockEntity, error: ExecutorError): Promise<void> {
    await this.deps.events.record(routerId, {
      type: 'block.failed',
      level: 'error',
      message: `The router refused to put back the block of ${block.value} (${error.code}): ${error.message}`,
      data: { blockId: block.id, [block.kind]: block.value, code: error.code },
    });
  }

  /** A read that found the router back (or gone) is news for the browsers, and for the audit log. */
  private async noteContact(routerId: string, statusBefore: string | undefined, contact: Contact): Promise<void> {
    if (!statusBefore || contact === 'unknown') return;
    const now = contact === 'reached' ? 'online' : 'offline';
    if (statusBefore === now) return;
    await this.deps.audit.recordQuietly({ action: `router.${now}`, actor: { userId: null, ip: null }, target: { type: 'router', id: routerId }, details: { via: 'reconcile' } });
    await this.deps.events.record(routerId, routerStatusEvent(now, 'a reconcile'));
    await this.publish({ kind: 'router.status', routerId });
  }
}
