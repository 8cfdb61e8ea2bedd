import type { ExecutorError } from '@netpilot/executor-client';
import type { Transactor } from '../../db/sql';
import type { Actor } from '../../http/actor';
import type { AuditService } from '../audit/audit.service';
import type { CommandsService } from '../commands/commands.service';
import { appErrorOf, isRetryLater } from '../commands/executor-errors';
import type { DevicesService } from '../devices/devices.service';
import type { EventsService } from '../events/events.service';
import { addressKey, desiredState } from '../reconcile/desired-state';
import type { RouterEntity } from '../routers/router.entity';
import type { RoutersService } from '../routers/routers.service';
import type { SchedulesRepository } from '../schedules/schedules.repository';
import { publishNowhere, type Publish } from '../stream/stream.events';
import type { BlockEntity } from './block.entity';
import { targetOfBlock, toBlockView } from './block.presenter';
import { BlockErrors } from './blocks.errors';
import type { BlocksRepository } from './blocks.repository';

/** The longest a temporary block may last. */
const MAX_BLOCK_MS = 366 * 86_400_000;

/** Refuses (400) an end that is not in the future or more than a year away. */
export function checkUntil(until: Date | null, now: Date): void {
  if (until && (until.getTime() <= now.getTime() || until.getTime() > now.getTime() + MAX_BLOCK_MS)) throw BlockErrors.untilInvalid();
}

export interface BlockInput {
  ip?: string;
  mac?: string;
  deviceId?: string;
  reason?: string;
  /** A temporary block ends by itself at this time. */
  until?: Date;
}

export interface BlocksServiceDeps {
  repo: BlocksRepository;
  routers: RoutersService;
  commands: CommandsService;
  audit: AuditService;
  transaction: Transactor;
  devices: Pick<DevicesService, 'addressOf'>;
  schedules: Pick<SchedulesRepository, 'list'>;
  events: Pick<EventsService, 'record'>;
  clock: () => Date;
  /** Tells the browsers watching this router that its blocks changed. */
  publish?: Publish;
  /** A change could not reach the router now: the reconciler applies it later, with no sync needed. */
  onPending?: (routerId: string, error: { code: string; message: string }) => Promise<void>;
  /** A block that ends by itself: its end is planned (a job that asks the reconciler to lift it). */
  onTemporary?: (block: BlockEntity) => Promise<void>;
}

/**
 * Blocks: the desired state (one row per router and address, forever or until a time) and
 * the router calls that apply it. A block (or unblock) that cannot reach its router now is
 * kept `pending` (`removing`) and handed to the reconciler, which applies it when the router
 * is back; a temporary block's end is the reconciler's too.
 */
export class BlocksService {
  private readonly publish: Publish;

  constructor(private readonly deps: BlocksServiceDeps) {
    this.publish = deps.publish ?? publishNowhere;
  }

  async block(actor: Actor, routerId: string, input: BlockInput) {
    const { router } = await this.deps.routers.getVisible(actor, routerId);
    const now = this.deps.clock();
    const until = input.until ?? null;
    checkUntil(until, now);
    const { kind, value } = await this.deps.devices.addressOf(routerId, input);
    // The block row (new or existing, same kind and value) and its command, in one round trip.
    const { block, created, command } = await this.deps.repo.upsertWithCommand(
      { routerId, kind, value, reason: input.reason ?? null, createdBy: actor.userId, expiresAt: until },
      this.deps.commands.commandOf(actor, routerId, 'block', targetOfBlock({ kind, value })),
      now,
    );
    // Blocking an address that stays blocked: the newer request's end (or none) wins.
    const row = !created && block.expiresAt?.getTime() !== until?.getTime() ? ((await this.deps.repo.setExpiry(block.id, until)) ?? block) : block;
    const { outcome, current } = await this.apply(actor, router, row, { pending: command });
    // A block the router refuses because it would cut NetPilot off is not wanted at all.
    if (!outcome.ok && outcome.error.code === 'MANAGEMENT_ADDRESS' && created) await this.deps.repo.deletePending(block.id);
    await this.publish({ kind: 'block.changed', routerId, ids: [block.id] });
    if (current.expiresAt) await this.deps.onTemporary?.(current);
    if (!outcome.ok) await this.recordFailure(routerId, current, outcome.error);
    if (!outcome.ok && !isRetryLater(outcome.error)) throw appErrorOf(outcome.error);
    if (!outcome.ok) await this.deps.onPending?.(routerId, outcome.error);
    return { block: await this.view(current), created, pending: !outcome.ok };
  }

  /** Runs `block` for a stored row and records the result on it; the row as it is afterwards. */
  private async apply(actor: Actor, router: RouterEntity, block: BlockEntity, opts: { pending?: { id: string }; notEnforced?: boolean } = {}) {
    let current = block;
    const outcome = await this.deps.commands.run(actor, router, 'block', targetOfBlock(block), {
      pending: opts.pending,
      settle: async (o) => {
        const row = o.ok ? await this.deps.repo.markApplied(block.id) : await this.deps.repo.markFailed(block.id, o.error, opts);
        current = row ?? (await this.deps.repo.find(router.id, block.id)) ?? current;
      },
    });
    return { outcome, current };
  }

  private async recordFailure(routerId: string, block: BlockEntity, error: ExecutorError): Promise<void> {
    const later = isRetryLater(error);
    await this.deps.events.record(routerId, {
      type: 'block.failed',
      level: later ? 'warn' : 'error',
      message: later
        ? `The block of ${block.value} waits: the router cannot be reached now (${error.code}); it is applied when the router is back`
        : `The router refused the block of ${block.value} (${error.code}): ${error.message}`,
      data: { blockId: block.id, [block.kind]: block.value, code: error.code, pending: later },
    });
  }

  /** A block as the API shows it, with the device it is for. */
  private async view(block: BlockEntity) {
    return toBlockView((await this.deps.repo.findNamed(block.routerId, block.id)) ?? { ...block, deviceId: null, deviceName: null });
  }

  async list(actor: Actor, routerId: string) {
    await this.deps.routers.getVisible(actor, routerId);
    return { items: (await this.deps.repo.listNamed(routerId)).map(toBlockView) };
  }

  async unblock(actor: Actor, routerId: string, blockId: string) {
    const { router } = await this.deps.routers.getVisible(actor, routerId);
    // Found and marked 'removing' in one UPDATE.
    const block = await this.deps.repo.markRemoving(routerId, blockId);
    if (!block) throw BlockErrors.notFound();
    const shown = await this.view(block);
    const holding = await this.openSchedulesHolding(router, block);
    if (holding.length) return this.dropHeldBySchedule(actor, router, block, holding, shown);
    let current = block;
    let retaken = false;
    const outcome = await this.deps.commands.run(actor, router, 'unblock', targetOfBlock(block), {
      settle: async (o) => {
        if (o.ok) retaken = !(await this.deps.repo.deleteIfRemoving(block.id));
        else current = (await this.deps.repo.markFailed(block.id, o.error)) ?? current;
      },
    });
    await this.publish({ kind: 'block.changed', routerId, ids: [block.id] });
    const again = outcome.ok && retaken ? await this.reapply(actor, router, block.id) : null;
    if (again) return again;
    if (outcome.ok) return { block: { ...shown, status: 'removed' as const, error: null }, removed: true, superseded: false };
    if (!isRetryLater(outcome.error)) throw appErrorOf(outcome.error);
    await this.deps.onPending?.(routerId, outcome.error);
    return { block: await this.view(current), removed: false, superseded: false };
  }

  /**
   * The row was not ours to delete any more: the same address was blocked again while its
   * unblock ran (the router may have done the two in either order, so the newer intent is
   * applied once more), or the reconciler finished the removal meanwhile (null: removed).
   */
  private async reapply(actor: Actor, router: RouterEntity, blockId: string) {
    const again = await this.deps.repo.find(router.id, blockId);
    if (!again || again.status === 'removing') return null;
    return { block: await this.view((await this.apply(actor, router, again)).current), removed: false, superseded: true };
  }

  /** Enabled schedules whose window is open now for the block's address. */
  private async openSchedulesHolding(router: RouterEntity, block: BlockEntity) {
    const { wanted } = desiredState([], await this.deps.schedules.list(router.id), router.timeZone, this.deps.clock());
    return wanted.get(addressKey(block))?.schedules ?? [];
  }

  /**
   * Unblocking an address an open schedule window also holds: the manual block goes, and the
   * router keeps blocking the address until the window closes (no router call, so the two
   * never undo each other).
   */
  private async dropHeldBySchedule(actor: Actor, router: RouterEntity, block: BlockEntity, holding: { id: string }[], shown: ReturnType<typeof toBlockView>) {
    const retaken = await this.deps.transaction(async (tx) => {
      // A reconcile that saw the row being removed while the window holds the address may have deleted it already.
      if (!(await this.deps.repo.deleteIfRemoving(block.id, tx)) && (await this.deps.repo.find(router.id, block.id))) return true;
      await this.deps.audit.record(
        { action: 'block.remove', actor, target: { type: 'router', id: router.id }, details: { blockId: block.id, [block.kind]: block.value, stillBlockedBy: { schedules: holding.map((s) => s.id) } } },
        tx,
      );
      return false;
    });
    await this.publish({ kind: 'block.changed', routerId: router.id, ids: [block.id] });
    const again = retaken ? await this.reapply(actor, router, block.id) : null;
    return again ?? { block: { ...shown, status: 'removed' as const, error: null }, removed: true, superseded: false };
  }
}
