import type { ActionName, DeviceTarget, EnvelopeMetadata } from '@netpilot/contracts';
import { ExecutorError, type ExecutorClient } from '@netpilot/executor-client';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import type { AuditService } from '../audit/audit.service';
import { publishNowhere, type Publish } from '../stream/stream.events';
import type { BlockEntity, CommandEntity, RouterEntity } from './router.entity';
import { decodeCursor, encodeCursor, type RoutersRepository } from './routers.repository';
import type { Actor, RoutersService } from './routers.service';

/** Router trouble that leaves a change waiting for `sync` rather than failing the request. */
const RETRY_LATER = new Set(['ROUTER_UNREACHABLE', 'TIMEOUT', 'EXECUTOR_UNAVAILABLE', 'SESSION_NOT_FOUND']);

/** HTTP status for an executor or router failure, by code. */
export function statusForExecutorError(code: string): number {
  switch (code) {
    case 'TIMEOUT':
      return 504;
    case 'ROUTER_UNREACHABLE':
    case 'EXECUTOR_UNAVAILABLE':
    case 'SESSION_NOT_FOUND':
      return 503;
    default:
      return 502;
  }
}

export interface ActionObserver {
  /** Called once per router action with its outcome code ('ok' or an error code). */
  (action: ActionName, outcome: string, durationMs: number): void;
}

export function toBlockView(b: BlockEntity) {
  return {
    id: b.id,
    routerId: b.routerId,
    ...(b.kind === 'ip' ? { ip: b.value } : { mac: b.value }),
    reason: b.reason,
    status: b.status,
    error: b.lastErrorCode ? { code: b.lastErrorCode, message: b.lastError ?? '' } : null,
    createdBy: b.createdBy,
    createdAt: b.createdAt.toISOString(),
    appliedAt: b.appliedAt?.toISOString() ?? null,
  };
}

function toCommandView(c: CommandEntity) {
  return {
    id: c.id,
    action: c.action,
    params: c.params,
    status: c.status,
    errorCode: c.errorCode,
    errorMessage: c.errorMessage,
    durationMs: c.durationMs,
    requestedBy: c.requestedBy,
    sessionId: c.sessionId,
    requestId: c.requestId,
    createdAt: c.createdAt.toISOString(),
    sentAt: c.sentAt?.toISOString() ?? null,
    finishedAt: c.finishedAt?.toISOString() ?? null,
  };
}

type Outcome<T> = { ok: true; data: T; commandId: string } | { ok: false; error: ExecutorError; commandId: string };

const targetOfBlock = (b: Pick<BlockEntity, 'kind' | 'value'>): DeviceTarget => (b.kind === 'ip' ? { ip: b.value } : { mac: b.value });
const blockKey = (b: Pick<BlockEntity, 'kind' | 'value'>) => `${b.kind}:${b.value}`;

/**
 * What users come for: block, unblock, scan, info, sync. The blocks table is the desired
 * state; every router call is a commands row with its lifecycle; every call is audited.
 */
export class RouterActionsService {
  constructor(
    private readonly repo: RoutersRepository,
    private readonly routers: RoutersService,
    private readonly executor: ExecutorClient,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly observe: ActionObserver = () => undefined,
    private readonly publish: Publish = publishNowhere,
  ) {}

  /** The pending commands row of an action, as `run` and `upsertBlockWithCommand` write it. */
  private commandOf(actor: Actor, action: ActionName, params: Record<string, unknown>) {
    return { action, params, requestedBy: actor.userId, sessionId: actor.sessionId, requestId: actor.requestId ?? null };
  }

  /**
   * Runs one action on the router through the executor, recording its command lifecycle.
   * `settle` writes the caller's own state for the outcome; it runs in parallel with the
   * command's final update and the audit record, all awaited before the answer.
   * `pending` is the action's commands row when the caller already wrote it (block writes
   * it in the same statement as the block row); otherwise it is inserted here.
   */
  private async run<T>(
    actor: Actor,
    router: RouterEntity,
    action: ActionName,
    params: Record<string, unknown>,
    call: (target: ReturnType<RoutersService['targetOf']>) => Promise<{ data: T; metadata: EnvelopeMetadata }>,
    settle: (outcome: Outcome<T>) => Promise<unknown> = async () => undefined,
    pending?: { id: string },
  ): Promise<Outcome<T>> {
    const command = pending ?? (await this.repo.insertCommand({ routerId: router.id, ...this.commandOf(actor, action, params) }));
    const sentAt = new Date();
    const started = performance.now();
    // Overlaps the executor call; the guarded UPDATE cannot overwrite the final state. Only the
    // command's final update waits for it: the audit record and `settle` start at once.
    const sent = this.repo.markCommandSent(command.id, sentAt);
    // Only the executor call is guarded: a failure writing our own records afterwards must
    // surface as the error it is, not be recorded as a failed router action.
    let result: { data: T; metadata: EnvelopeMetadata } | null = null;
    let failure: unknown = null;
    try {
      result = await call(this.routers.targetOf(router));
    } catch (err) {
      failure = err;
    }
    const durationMs = Math.round(performance.now() - started);
    let outcome: Outcome<T>;
    if (result) {
      const { data, metadata } = result;
      outcome = { ok: true, data, commandId: command.id };
      this.observe(action, 'ok', durationMs);
      await Promise.all([
        sent.then(() => this.repo.finishCommand(command.id, { status: 'succeeded', durationMs, sentAt })),
        this.audit.record({ action: `router.${action}`, actor, target: { type: 'router', id: router.id }, details: { params, commandId: command.id } }),
        this.routers.needsPinning(router, metadata) ? this.routers.pinHostKeys(actor, router, metadata) : null,
        settle(outcome),
      ]);
    } else {
      const error = failure instanceof ExecutorError ? failure : new ExecutorError('EXECUTOR_BAD_RESPONSE', 'executor call failed', null);
      if (!(failure instanceof ExecutorError)) this.logger.error('router action failed unexpectedly', { err: failure, action, routerId: router.id });
      outcome = { ok: false, error, commandId: command.id };
      this.observe(action, error.code, durationMs);
      await Promise.all([
        sent.then(() =>
          this.repo.finishCommand(command.id, { status: 'failed', durationMs, sentAt, errorCode: error.code, errorMessage: error.message.slice(0, 1000) }),
        ),
        this.audit.record({
          action: error.code === 'HOST_KEY_MISMATCH' ? 'router.host_key_mismatch' : `router.${action}`,
          outcome: 'failure',
          actor,
          target: { type: 'router', id: router.id },
          details: { params, commandId: command.id, code: error.code, ...(error.code === 'HOST_KEY_MISMATCH' ? { executor: error.details } : {}) },
        }),
        settle(outcome),
      ]);
    }
    await this.publish({ kind: 'command.finished', routerId: router.id, ids: [command.id] });
    return outcome;
  }

  private fail(error: ExecutorError): never {
    throw new AppError(error.code, statusForExecutorError(error.code), error.message, error.details);
  }

  async block(actor: Actor, routerId: string, input: { ip?: string; mac?: string; reason?: string }) {
    const { router } = await this.routers.getVisible(actor, routerId);
    const kind = input.ip ? 'ip' : 'mac';
    const value = (input.ip ?? input.mac)!;
    // The block row (new or existing, same kind and value) and its command, in one round trip.
    const params = targetOfBlock({ kind, value });
    const { block, created, command } = await this.repo.upsertBlockWithCommand(
      { routerId, kind, value, reason: input.reason ?? null, createdBy: actor.userId },
      this.commandOf(actor, 'block', params),
    );
    const outcome = await this.run(
      actor,
      router,
      'block',
      params,
      (t) => this.executor.block(actor.sessionId, t, targetOfBlock(block), { requestId: actor.requestId }),
      (o) => {
        if (o.ok) {
          Object.assign(block, { status: 'applied', appliedAt: new Date(), lastErrorCode: null, lastError: null });
        } else {
          // An applied block whose re-apply failed stays applied: the router already enforces it.
          Object.assign(block, { status: block.status === 'applied' ? 'applied' : 'pending', lastErrorCode: o.error.code, lastError: o.error.message });
        }
        return this.repo.updateBlock(block);
      },
      command,
    );
    await this.publish({ kind: 'block.changed', routerId, ids: [block.id] });
    if (!outcome.ok && !RETRY_LATER.has(outcome.error.code)) this.fail(outcome.error);
    return { block: toBlockView(block), created, pending: !outcome.ok };
  }

  async listBlocks(actor: Actor, routerId: string) {
    await this.routers.getVisible(actor, routerId);
    return { items: (await this.repo.listBlocks(routerId)).map(toBlockView) };
  }

  async unblock(actor: Actor, routerId: string, blockId: string) {
    const { router } = await this.routers.getVisible(actor, routerId);
    // Found and marked 'removing' in one UPDATE.
    const block = await this.repo.markBlockRemoving(routerId, blockId);
    if (!block) throw AppError.notFound('BLOCK_NOT_FOUND', 'Block not found');
    const outcome = await this.run(
      actor,
      router,
      'unblock',
      targetOfBlock(block),
      (t) => this.executor.unblock(actor.sessionId, t, targetOfBlock(block), { requestId: actor.requestId }),
      (o) => {
        if (o.ok) return this.repo.deleteBlock(block.id);
        Object.assign(block, { lastErrorCode: o.error.code, lastError: o.error.message });
        return this.repo.updateBlock(block);
      },
    );
    await this.publish({ kind: 'block.changed', routerId, ids: [block.id] });
    if (outcome.ok) return { block: { ...toBlockView(block), error: null }, removed: true };
    if (!RETRY_LATER.has(outcome.error.code)) this.fail(outcome.error);
    return { block: toBlockView(block), removed: false };
  }

  async scan(actor: Actor, routerId: string) {
    const { router } = await this.routers.getVisible(actor, routerId);
    const outcome = await this.run(actor, router, 'scan', {}, (t) => this.executor.scan(actor.sessionId, t, { requestId: actor.requestId }));
    if (!outcome.ok) this.fail(outcome.error);
    const devices = outcome.data.devices;
    await this.repo.upsertDevices(routerId, devices, new Date());
    return { devices, commandId: outcome.commandId };
  }

  async listDevices(actor: Actor, routerId: string) {
    await this.routers.getVisible(actor, routerId);
    const rows = await this.repo.listDevices(routerId);
    return {
      items: rows.map((d) => ({
        mac: d.mac,
        ip: d.ip,
        hostname: d.hostname,
        vendor: d.vendor,
        interface: d.interface,
        source: d.source,
        firstSeenAt: d.firstSeenAt.toISOString(),
        lastSeenAt: d.lastSeenAt.toISOString(),
      })),
    };
  }

  async info(actor: Actor, routerId: string) {
    const { router } = await this.routers.getVisible(actor, routerId);
    const outcome = await this.run(actor, router, 'info', {}, (t) => this.executor.info(actor.sessionId, t, { requestId: actor.requestId }));
    if (!outcome.ok) this.fail(outcome.error);
    return { ...outcome.data, commandId: outcome.commandId };
  }

  /** Makes the router's block set equal the stored desired state, both ways. */
  async sync(actor: Actor, routerId: string) {
    const { router } = await this.routers.getVisible(actor, routerId);
    const listed = await this.run(actor, router, 'list-blocked', {}, (t) => this.executor.listBlocked(actor.sessionId, t, { requestId: actor.requestId }));
    if (!listed.ok) this.fail(listed.error);
    const enforced = new Set([...listed.data.ips.map((v) => `ip:${v}`), ...listed.data.macs.map((v) => `mac:${v}`)]);
    const rows = await this.repo.listBlocks(routerId);
    const wanted = new Map(rows.filter((b) => b.status !== 'removing').map((b) => [blockKey(b), b]));
    const result = { applied: [] as string[], removed: [] as string[], unchanged: [] as string[] };
    let firstError: ExecutorError | null = null;

    for (const [key, block] of wanted) {
      if (enforced.has(key)) {
        result.unchanged.push(key);
        if (block.status !== 'applied' || block.lastErrorCode) {
          Object.assign(block, { status: 'applied', appliedAt: block.appliedAt ?? new Date(), lastErrorCode: null, lastError: null });
          await this.repo.updateBlock(block);
        }
        continue;
      }
      const outcome = await this.run(actor, router, 'block', targetOfBlock(block), (t) =>
        this.executor.block(actor.sessionId, t, targetOfBlock(block), { requestId: actor.requestId }),
      );
      if (outcome.ok) {
        Object.assign(block, { status: 'applied', appliedAt: new Date(), lastErrorCode: null, lastError: null });
        result.applied.push(key);
      } else {
        Object.assign(block, { status: 'pending', lastErrorCode: outcome.error.code, lastError: outcome.error.message });
        firstError ??= outcome.error;
      }
      await this.repo.updateBlock(block);
    }

    // Whatever the router enforces that the table does not want (including rows being removed) goes.
    const removing = new Map(rows.filter((b) => b.status === 'removing').map((b) => [blockKey(b), b]));
    for (const key of enforced) {
      if (wanted.has(key)) continue;
      const [kind, ...rest] = key.split(':');
      const target = targetOfBlock({ kind: kind as 'ip' | 'mac', value: rest.join(':') });
      const outcome = await this.run(actor, router, 'unblock', target as Record<string, unknown>, (t) =>
        this.executor.unblock(actor.sessionId, t, target, { requestId: actor.requestId }),
      );
      if (outcome.ok) {
        result.removed.push(key);
        const row = removing.get(key);
        if (row) await this.repo.deleteBlock(row.id);
        removing.delete(key);
      } else {
        firstError ??= outcome.error;
      }
    }
    // Rows being removed that the router no longer enforces are done.
    for (const [key, row] of removing) {
      if (!enforced.has(key)) await this.repo.deleteBlock(row.id);
    }

    await this.audit.record({ action: 'router.sync', actor, target: { type: 'router', id: routerId }, outcome: firstError ? 'failure' : 'success', details: result });
    await this.publish({ kind: 'block.changed', routerId, ids: rows.map((b) => b.id) });
    if (firstError) this.fail(firstError);
    return { ...result, blocks: (await this.repo.listBlocks(routerId)).map(toBlockView) };
  }

  async commands(actor: Actor, routerId: string, page: { limit: number; cursor?: string }) {
    await this.routers.getVisible(actor, routerId);
    const before = page.cursor ? decodeCursor(page.cursor) : null;
    if (page.cursor && !before) throw new AppError('INVALID_CURSOR', 400, 'The cursor is not one this API returned');
    const rows = await this.repo.listCommands(routerId, page.limit + 1, before);
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toCommandView),
      nextCursor: rows.length > page.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
    };
  }
}
