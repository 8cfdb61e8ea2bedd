import type { EnvelopeMetadata } from '@netpilot/contracts';
import type { ExecutorClient, ExecutorError } from '@netpilot/executor-client';
import { JOB_PRIORITY } from '../../jobs/job-queue';
import { currentRequestId, type Logger } from '@netpilot/service-kit';
import type { Queryable, Transactor } from '../../db/sql';
import type { Actor } from '../../http/actor';
import type { AuditService } from '../audit/audit.service';
import type { BlockEntity } from '../blocks/block.entity';
import { targetOfBlock } from '../blocks/block.presenter';
import type { BlocksRepository } from '../blocks/blocks.repository';
import { checkUntil } from '../blocks/blocks.service';
import type { CommandsRepository, Contact } from '../commands/commands.repository';
import { contactOf, type SystemActor } from '../commands/commands.service';
import { executorErrorOf, isRetryLater } from '../commands/executor-errors';
import type { RouterEntity } from '../routers/router.entity';
import type { RouterCredentialStore } from '../routers/router-credentials';
import type { RoutersRepository } from '../routers/routers.repository';
import type { RoutersService } from '../routers/routers.service';
import type { SchedulesRepository } from '../schedules/schedules.repository';
import { publishNowhere, type Publish } from '../stream/stream.events';
import { OperationErrors } from './operations.errors';
import { toOperationView } from './operations.presenter';
import type { ItemStatus, NewItem, OperationKind, OperationRow, OperationsRepository } from './operations.repository';
import { MAX_BULK_ROUTERS } from './operations.schemas';

/** The queue's name for applying one operation. */
export const OPERATION_JOB = 'operations.apply';

/** Outcomes written together: one statement per table for this many routers. */
const FLUSH_EVERY = 64;
/** …or after this long, so that a slow operation still shows progress. */
const FLUSH_AFTER_MS = 200;
/** Commands taken from the database at once, just before they are sent. */
const CLAIM_EVERY = 64;

export interface BulkInput {
  routerIds?: string[];
  all?: boolean;
  ip?: string;
  mac?: string;
  reason?: string;
  until?: Date;
}

export interface OperationsServiceDeps {
  repo: OperationsRepository;
  routersRepo: Pick<RoutersRepository, 'visibleIds' | 'findByIds'>;
  routers: Pick<RoutersService, 'needsPinning' | 'pinHostKeys'>;
  blocks: BlocksRepository;
  schedules: Pick<SchedulesRepository, 'routersScheduling'>;
  commands: CommandsRepository;
  audit: AuditService;
  transaction: Transactor;
  queue: { send(name: string, data: { operationId: string }, opts: { key: string; tx?: Queryable; priority?: number }): Promise<void> };
  executor: Pick<ExecutorClient, 'action'>;
  credentials: RouterCredentialStore;
  /** This controller process: the owner recorded on the commands it runs. */
  instanceId: string;
  /** The executor session system work runs in (this replica's). */
  system: SystemActor;
  clock: () => Date;
  logger: Logger;
  /** Routers applied at once by one operation. */
  concurrency: number;
  publish?: Publish;
  /** A change could not reach its router now: the reconciler applies it later, with backoff. */
  onPending?: (routerId: string, error: { code: string; message: string }) => Promise<void>;
  /** Routers whose part was not applied by the operation (its controller died): for the reconciler now. */
  onLeftOver?: (routerId: string) => Promise<void>;
  /** A temporary block's end is planned. */
  onTemporary?: (block: Pick<BlockEntity, 'id' | 'routerId' | 'expiresAt'>) => Promise<void>;
  /** An action found a router back, or gone (as for single actions). */
  onContactChange?: (routerId: string, change: { statusBefore: string; reached: boolean }) => void;
  observe?: (action: 'block' | 'unblock', outcome: string, durationMs: number) => void;
}

/** One router's outcome, waiting to be written with others. */
interface Done {
  commandId: string;
  routerId: string;
  blockId: string | null;
  durationMs: number;
  error: ExecutorError | null;
}

/**
 * Bulk operations: one block (or unblock) of one address on many routers. The request
 * writes, in one transaction, the operation with one line per router, the desired state of
 * every router (the blocks rows), a pending command per router, its audit entry and the job
 * that applies it, so nothing is lost if the controller stops halfway: the job (run again
 * on any replica) sends what nobody sent, and the reconciler finishes the rest. The job
 * calls the executor with bounded concurrency and writes outcomes in batches, one
 * statement per table for many routers. Routers that cannot be reached stay pending and
 * converge through the reconciler.
 */
export class OperationsService {
  private readonly publish: Publish;

  constructor(private readonly deps: OperationsServiceDeps) {
    this.publish = deps.publish ?? publishNowhere;
  }

  async start(actor: Actor, kind: OperationKind, input: BulkInput) {
    const now = this.deps.clock();
    const until = kind === 'block' ? (input.until ?? null) : null;
    checkUntil(until, now);
    const asked = input.all ? null : [...new Set(input.routerIds ?? [])];
    const target = input.ip ? { kind: 'ip' as const, value: input.ip } : { kind: 'mac' as const, value: input.mac! };
    const reason = input.reason ?? null;

    const { op, visible, heldBySchedule } = await this.deps.transaction(async (tx) => {
      const visible = await this.deps.routersRepo.visibleIds(actor, asked, MAX_BULK_ROUTERS + 1, tx);
      if (asked === null && visible.length === 0) throw OperationErrors.noRouters();
      if (visible.length > MAX_BULK_ROUTERS) throw OperationErrors.tooManyRouters(MAX_BULK_ROUTERS);
      const mine = new Set(visible);
      const hidden = (asked ?? []).filter((id) => !mine.has(id));
      const rows =
        kind === 'block'
          ? await this.deps.blocks.upsertMany(visible, { ...target, reason, createdBy: actor.userId, expiresAt: until }, now, tx)
          : await this.deps.blocks.markRemovingMany(visible, target.kind, target.value, tx);
      const blockOf = new Map(rows.map((r) => [r.routerId, r.blockId]));
      // An unblock where a schedule may hold the address: the reconciler decides (as a single
      // unblock does, the router keeps blocking while a window is open; the manual block goes).
      const heldBySchedule = new Set(kind === 'unblock' ? await this.deps.schedules.routersScheduling(visible, target.kind, target.value, tx) : []);
      // Routers given by id that the caller may not operate are answered as not found, exactly as for a router that does not exist.
      const items: NewItem[] = (asked ?? visible).map((routerId) =>
        !mine.has(routerId)
          ? { routerId, blockId: null, status: 'failed', errorCode: 'ROUTER_NOT_FOUND', errorMessage: 'Router not found' }
          : heldBySchedule.has(routerId)
            ? { routerId, blockId: blockOf.get(routerId) ?? null, status: 'pending', errorCode: 'HELD_BY_SCHEDULE', errorMessage: 'A schedule also blocks this address: the router follows the schedule' }
            : { routerId, blockId: blockOf.get(routerId) ?? null, status: 'queued' },
      );
      const op = await this.deps.repo.insert(
        { kind, targetKind: target.kind, targetValue: target.value, reason, expiresAt: until, requestedBy: actor.userId, requestedIp: actor.ip, total: items.length },
        items,
        tx,
      );
      const toSend = visible.filter((id) => !heldBySchedule.has(id));
      await this.deps.commands.insertForOperation(
        op.id,
        toSend,
        {
          action: kind,
          params: targetOfBlock(target) as Record<string, unknown>,
          requestedBy: actor.userId,
          actor: 'user',
          sessionId: this.deps.system.sessionId,
          requestId: actor.requestId ?? currentRequestId() ?? null,
          ownerInstance: this.deps.instanceId,
        },
        tx,
      );
      await this.deps.audit.record(
        {
          action: `operation.${kind}`,
          actor: { userId: actor.userId, ip: actor.ip },
          target: { type: 'operation', id: op.id },
          details: { [target.kind]: target.value, reason, until: until?.toISOString() ?? null, routers: visible.length, notFound: hidden.length },
        },
        tx,
      );
      if (toSend.length) await this.deps.queue.send(OPERATION_JOB, { operationId: op.id }, { key: `operation:${op.id}`, tx, priority: JOB_PRIORITY.user });
      return { op, visible, heldBySchedule };
    });
    for (const routerId of heldBySchedule) await this.deps.onLeftOver?.(routerId);
    // Each temporary block's end is planned in the background (the periodic plan is the net).
    if (until) void this.planEnds(op.id, until);
    this.deps.logger.info(`operation ${kind} of ${target.value} on ${visible.length} router(s) stored`, { operationId: op.id });
    return this.view(op.id);
  }

  private async planEnds(operationId: string, until: Date): Promise<void> {
    try {
      for (const item of await this.deps.repo.items(operationId)) {
        if (item.blockId) await this.deps.onTemporary?.({ id: item.blockId, routerId: item.routerId, expiresAt: until });
      }
    } catch (err) {
      this.deps.logger.warn("could not plan a bulk operation's block ends; the periodic plan will", { operationId, reason: (err as Error).message });
    }
  }

  /**
   * Operations whose job gave up or died between its last write and its end: their lines not
   * applied go to the reconciler, and they are finished. Run by the orphan sweep.
   */
  async finishAbandoned(minAgeMs: number): Promise<number> {
    const ids = await this.deps.repo.abandoned(minAgeMs);
    for (const id of ids) await this.finish(id);
    return ids.length;
  }

  private async finish(operationId: string): Promise<void> {
    const left = await this.deps.repo.leaveToReconciler(operationId);
    for (const routerId of left) await this.deps.onLeftOver?.(routerId);
    await this.deps.repo.finishIfSettled(operationId);
  }

  /** Deletes operations finished more than `days` ago (as the command history they belong to), in batches. */
  async deleteFinishedBefore(days: number): Promise<number> {
    return this.deps.repo.deleteFinishedBefore(days);
  }

  /** An operation as its requester (or an admin) sees it; anyone else gets 404. */
  async get(actor: Pick<Actor, 'userId' | 'isAdmin'>, id: string) {
    const op = await this.deps.repo.find(id);
    if (!op || (!actor.isAdmin && op.requestedBy !== actor.userId)) throw OperationErrors.notFound();
    return toOperationView(op, await this.deps.repo.items(id));
  }

  private async view(id: string) {
    const op = await this.deps.repo.find(id);
    if (!op) throw OperationErrors.notFound();
    return toOperationView(op, await this.deps.repo.items(id));
  }

  /**
   * The job: applies the operation's commands nobody sent yet, `concurrency` routers at a
   * time, through this replica's executor session, taking them a batch at a time just before
   * sending them. Run again after a crash it takes only what is still pending; lines whose
   * command was finished elsewhere (interrupted by the orphan sweep) go to the reconciler.
   */
  async apply(operationId: string): Promise<void> {
    const op = await this.deps.repo.find(operationId);
    if (!op || op.status === 'done') return;
    const lines = new Map((await this.deps.repo.items(operationId)).map((i) => [i.routerId, i]));
    const params = targetOfBlock({ kind: op.targetKind, value: op.targetValue });
    const requestId = currentRequestId();
    const batch = new Batcher<Done>(FLUSH_EVERY, FLUSH_AFTER_MS, (done) => this.record(op, done));
    let sent = 0;

    // The next command to send: taken from the database a batch at a time.
    const todo: { id: string; routerId: string }[] = [];
    let exhausted = false;
    let taking: Promise<void> | null = null;
    const next = async () => {
      while (!todo.length && !exhausted && !batch.failed) {
        taking ??= (async () => {
          const claimed = await this.deps.commands.claimForOperation(operationId, this.deps.instanceId, CLAIM_EVERY);
          if (claimed.length < CLAIM_EVERY) exhausted = true;
          todo.push(...claimed);
        })().finally(() => (taking = null));
        await taking;
      }
      return batch.failed ? undefined : todo.shift();
    };
    const routers = new Map<string, Promise<RouterEntity | null>>();
    const routerOf = (id: string) => {
      if (!routers.has(id)) routers.set(id, this.deps.routersRepo.findByIds([id]).then((r) => r[0] ?? null));
      return routers.get(id)!;
    };

    const worker = async () => {
      for (let command = await next(); command; command = await next()) {
        sent++;
        const router = await routerOf(command.routerId);
        // Deleted since the request (its command went with it): nothing to do.
        if (!router) continue;
        const started = performance.now();
        let error: ExecutorError | null = null;
        let metadata: EnvelopeMetadata | null = null;
        try {
          metadata = (await this.deps.executor.action(op.kind, this.deps.system.sessionId, this.deps.credentials.targetOf(router), params, { requestId })).metadata;
        } catch (err) {
          error = executorErrorOf(err);
        }
        if (metadata && this.deps.routers.needsPinning(router, metadata)) {
          await this.deps.routers.pinHostKeys({ userId: op.requestedBy, ip: op.requestedIp }, router, metadata).catch((err: unknown) => {
            this.deps.logger.warn('could not pin a host key after a bulk action', { routerId: router.id, reason: (err as Error).message });
          });
        }
        const durationMs = Math.round(performance.now() - started);
        this.deps.observe?.(op.kind, error?.code ?? 'ok', durationMs);
        await batch.add({ commandId: command.id, routerId: command.routerId, blockId: lines.get(command.routerId)?.blockId ?? null, durationMs, error });
      }
    };
    await Promise.all(Array.from({ length: this.deps.concurrency }, worker));
    await batch.flush();
    this.deps.logger.info(`operation ${op.kind} of ${op.targetValue}: sent to ${sent} router(s)`, { operationId });
    // Lines nobody will send any more (their command was interrupted with its controller): the reconciler's.
    await this.finish(operationId);
    await this.publish({ kind: 'operation.progress', userId: op.requestedBy ?? undefined, ids: [operationId] });
  }

  /**
   * Writes a batch of outcomes in one transaction (the block rows locked in router order
   * first, as the request locked them), then hands what waits to the reconciler.
   */
  private async record(op: OperationRow, done: Done[]): Promise<void> {
    const params = targetOfBlock({ kind: op.targetKind, value: op.targetValue });
    const who = { userId: op.requestedBy, ip: op.requestedIp };
    const statusOf = (d: Done): ItemStatus => (!d.error ? (op.kind === 'block' ? 'applied' : 'removed') : isRetryLater(d.error) ? 'pending' : 'failed');
    const ok = done.filter((d) => !d.error);
    const failed = done.filter((d) => d.error);
    const blockIds = (list: Done[]) => list.map((d) => d.blockId).filter((id): id is string => id !== null);
    const { changes, retaken } = await this.deps.transaction(async (tx) => {
      await this.deps.blocks.lockMany(blockIds(done), tx);
      const changes = await this.deps.commands.finishMany(
        done.map((d) => ({
          id: d.commandId,
          status: d.error ? 'failed' : 'succeeded',
          durationMs: d.durationMs,
          errorCode: d.error?.code ?? null,
          errorMessage: d.error?.message.slice(0, 1000) ?? null,
          contact: contactOf(d.error?.code ?? null) as Contact,
        })),
        tx,
      );
      let retaken: string[] = [];
      if (op.kind === 'block') {
        await this.deps.blocks.markAppliedMany(blockIds(ok), tx);
        // A block the router refuses because it would cut NetPilot off is not wanted at all.
        await this.deps.blocks.deletePendingMany(blockIds(failed.filter((d) => d.error!.code === 'MANAGEMENT_ADDRESS')), tx);
      } else {
        const deleted = new Set(await this.deps.blocks.deleteRemovingMany(blockIds(ok), tx));
        // Blocked again meanwhile: the router may have done the two in either order, so the reconciler settles it.
        retaken = ok.filter((d) => d.blockId && !deleted.has(d.blockId)).map((d) => d.routerId);
      }
      await this.deps.blocks.markFailedMany(
        failed.filter((d) => d.blockId && d.error!.code !== 'MANAGEMENT_ADDRESS').map((d) => ({ id: d.blockId!, code: d.error!.code, message: d.error!.message.slice(0, 1000) })),
        tx,
      );
      await this.deps.audit.recordMany(
        done.map((d) => ({
          action: d.error?.code === 'HOST_KEY_MISMATCH' ? 'router.host_key_mismatch' : `router.${op.kind}`,
          outcome: d.error ? 'failure' : 'success',
          actor: who,
          target: { type: 'router', id: d.routerId },
          details: { params, commandId: d.commandId, operationId: op.id, ...(d.error ? { errorCode: d.error.code } : {}) },
        })),
        tx,
      );
      await this.deps.repo.settle(
        op.id,
        done.map((d) => ({ routerId: d.routerId, status: statusOf(d), errorCode: d.error?.code ?? null, errorMessage: d.error?.message.slice(0, 1000) ?? null })),
        tx,
      );
      return { changes, retaken };
    });
    for (const c of changes) this.deps.onContactChange?.(c.routerId, { statusBefore: c.statusBefore, reached: c.contact === 'reached' });
    for (const d of failed) if (isRetryLater(d.error!)) await this.deps.onPending?.(d.routerId, d.error!);
    for (const routerId of retaken) await this.deps.onLeftOver?.(routerId);
    await this.publish({ kind: 'operation.progress', userId: op.requestedBy ?? undefined, ids: [op.id] });
  }
}

/**
 * Collects items and hands them on in batches: every `size` items, or `afterMs` after the
 * first of a batch. A failed write stops it (`failed`; the job's callers stop taking work),
 * and `flush` then rejects with that error, so the job fails and is run again.
 */
class Batcher<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private error: unknown = null;

  constructor(
    private readonly size: number,
    private readonly afterMs: number,
    private readonly write: (items: T[]) => Promise<void>,
  ) {}

  get failed(): boolean {
    return this.error !== null;
  }

  async add(item: T): Promise<void> {
    this.items.push(item);
    if (this.items.length >= this.size) await this.flush().catch(() => undefined);
    else this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.afterMs);
  }

  /** Writes what is collected, after the batch being written; rejects once a write failed. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const items = this.items.splice(0);
    if (items.length && !this.error) {
      this.writing = this.writing.then(() =>
        this.error ? undefined : this.write(items).catch((err: unknown) => {
          this.error = err;
        }),
      );
    }
    return this.writing.then(() => {
      if (this.error) throw this.error;
    });
  }
}
