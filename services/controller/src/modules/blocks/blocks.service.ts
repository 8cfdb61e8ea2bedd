import type { Actor } from '../../http/actor';
import type { AuditService } from '../audit/audit.service';
import type { CommandsService } from '../commands/commands.service';
import { appErrorOf, isRetryLater } from '../commands/executor-errors';
import type { RouterEntity } from '../routers/router.entity';
import type { RoutersService } from '../routers/routers.service';
import { publishNowhere, type Publish } from '../stream/stream.events';
import type { BlockEntity, BlockKind } from './block.entity';
import { targetOfBlock, toBlockView } from './block.presenter';
import { BlockErrors } from './blocks.errors';
import type { BlocksRepository } from './blocks.repository';

export interface BlocksServiceDeps {
  repo: BlocksRepository;
  routers: RoutersService;
  commands: CommandsService;
  audit: AuditService;
  /** Tells the browsers watching this router that its blocks changed. */
  publish?: Publish;
  /** A change could not reach the router now: the reconciler applies it later, with no sync needed. */
  onPending?: (routerId: string, error: { code: string; message: string }) => Promise<void>;
}

/**
 * Blocks: the desired state (one row per router and address) and the router calls that
 * apply it. A block (or unblock) that cannot reach its router now is kept `pending`
 * (`removing`) and handed to the reconciler, which applies it when the router is back.
 */
export class BlocksService {
  private readonly publish: Publish;

  constructor(private readonly deps: BlocksServiceDeps) {
    this.publish = deps.publish ?? publishNowhere;
  }

  async block(actor: Actor, routerId: string, input: { ip?: string; mac?: string; reason?: string }) {
    const { router } = await this.deps.routers.getVisible(actor, routerId);
    const kind: BlockKind = input.ip ? 'ip' : 'mac';
    const value = (input.ip ?? input.mac)!;
    const params = targetOfBlock({ kind, value });
    // The block row (new or existing, same kind and value) and its command, in one round trip.
    const { block, created, command } = await this.deps.repo.upsertWithCommand(
      { routerId, kind, value, reason: input.reason ?? null, createdBy: actor.userId },
      this.deps.commands.commandOf(actor, routerId, 'block', params),
    );
    const { outcome, current } = await this.apply(actor, router, block, { pending: command });
    // A block the router refuses because it would cut NetPilot off is not wanted at all.
    if (!outcome.ok && outcome.error.code === 'MANAGEMENT_ADDRESS' && created) await this.deps.repo.deletePending(block.id);
    await this.publish({ kind: 'block.changed', routerId, ids: [block.id] });
    if (!outcome.ok && !isRetryLater(outcome.error)) throw appErrorOf(outcome.error);
    if (!outcome.ok) await this.deps.onPending?.(routerId, outcome.error);
    return { block: toBlockView(current), created, pending: !outcome.ok };
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

  async list(actor: Actor, routerId: string) {
    await this.deps.routers.getVisible(actor, routerId);
    return { items: (await this.deps.repo.list(routerId)).map(toBlockView) };
  }

  async unblock(actor: Actor, routerId: string, blockId: string) {
    const { router } = await this.deps.routers.getVisible(actor, routerId);
    // Found and marked 'removing' in one UPDATE.
    const block = await this.deps.repo.markRemoving(routerId, blockId);
    if (!block) throw BlockErrors.notFound();
    let current = block;
    let retaken = false;
    const outcome = await this.deps.commands.run(actor, router, 'unblock', targetOfBlock(block), {
      settle: async (o) => {
        if (o.ok) retaken = !(await this.deps.repo.deleteIfRemoving(block.id));
        else current = (await this.deps.repo.markFailed(block.id, o.error)) ?? current;
      },
    });
    await this.publish({ kind: 'block.changed', routerId, ids: [block.id] });
    if (outcome.ok && retaken) {
      // The same address was blocked again while this unblock ran. The router may have done
      // the two in either order, so the newer intent is applied once more.
      const again = await this.deps.repo.find(routerId, block.id);
      if (again) return { block: toBlockView((await this.apply(actor, router, again)).current), removed: false, superseded: true };
    }
    if (outcome.ok) return { block: { ...toBlockView(block), status: 'removed' as const, error: null }, removed: true, superseded: false };
    if (!isRetryLater(outcome.error)) throw appErrorOf(outcome.error);
    await this.deps.onPending?.(routerId, outcome.error);
    return { block: toBlockView(current), removed: false, superseded: false };
  }
}
