import type { ActionName, ActionParams, ActionResult } from '@netpilot/contracts';
import { ExecutorError, type ExecutorClient } from '@netpilot/executor-client';
import { currentRequestId, type Logger } from '@netpilot/service-kit';
import type { Actor } from '../../http/actor';
import type { PageRequest } from '../../http/common.schemas';
import { cursorOf, encodeCursor } from '../../lib/cursor';
import type { AuditService } from '../audit/audit.service';
import type { RouterEntity } from '../routers/router.entity';
import type { RouterCredentialStore } from '../routers/router-credentials';
import type { RoutersService } from '../routers/routers.service';
import type { NewCommand } from './command.entity';
import { toCommandView } from './command.presenter';
import type { CommandsRepository, Contact } from './commands.repository';
import { appErrorOf, executorErrorOf } from './executor-errors';
import type { Publish } from '../stream/stream.events';

/** The system's own work (reconciliation, schedules): its own executor session, no user. */
export interface SystemActor {
  system: true;
  sessionId: string;
  requestId?: string;
}

/** Who runs a router action: a signed-in user, or the system. */
export type ActionActor = Actor | SystemActor;

export function isSystemActor(actor: ActionActor): actor is SystemActor {
  return 'system' in actor;
}

/** The audit actor of an action: the user and their address, or nobody (the system). */
export function auditActorOf(actor: ActionActor): { userId: string | null; ip: string | null } {
  return isSystemActor(actor) ? { userId: null, ip: null } : { userId: actor.userId, ip: actor.ip };
}

/** What an executor outcome says about the router being there. */
export function contactOf(errorCode: string | null): Contact {
  if (errorCode === null) return 'reached';
  return errorCode === 'ROUTER_UNREACHABLE' ? 'unreachable' : 'unknown';
}

/** Called once per router action with its outcome code ('ok' or an error code). */
export type ActionObserver = (action: ActionName, outcome: string, durationMs: number) => void;

export type Outcome<T> = { ok: true; data: T; commandId: string } | { ok: false; error: ExecutorError; commandId: string };

export interface RunOptions<T> {
  /** Writes the caller's own state for the outcome; runs alongside the command's final update and the audit record. */
  settle?: (outcome: Outcome<T>) => Promise<unknown>;
  /** The action's pending row when the caller already wrote it (a block writes it with the block row). */
  pending?: { id: string };
}

export interface CommandsServiceDeps {
  /** This controller process: the owner recorded on every command it runs. */
  instanceId: string;
  repo: CommandsRepository;
  routers: RoutersService;
  credentials: RouterCredentialStore;
  executor: ExecutorClient;
  audit: AuditService;
  logger: Logger;
  observe?: ActionObserver;
  /** Tells the browsers watching this router that a command finished. */
  publish?: Publish;
  /** A command still open after this long is finished as INTERRUPTED whoever owns it (a hung call). */
  maxCommandAgeMs?: number;
  /** Told about routers whose commands were interrupted (their controller died): what they did is for the reconciler. */
  onInterrupted?: (routerId: string) => void;
  /** Told when an action finds a router back (it was offline or unknown) or gone. */
  onContactChange?: (routerId: string, change: { statusBefore: string; reached: boolean }) => void;
}

/**
 * The lifecycle every router action goes through: a commands row (pending → sent →
 * succeeded | failed), the executor call, host-key pinning on first contact, the audit
 * record. Also the history of those rows, and `info`, which is nothing but an action.
 */
export class CommandsService {
  constructor(private readonly deps: CommandsServiceDeps) {}

  /** The pending row of an action requested by `actor`, as `run` and the blocks repository write it. */
  commandOf(actor: ActionActor, routerId: string, action: ActionName, params: object): NewCommand {
    const system = isSystemActor(actor);
    return {
      routerId,
      action,
      params: params as Record<string, unknown>,
      requestedBy: system ? null : actor.userId,
      actor: system ? 'system' : 'user',
      sessionId: actor.sessionId,
      requestId: actor.requestId ?? currentRequestId() ?? null,
      ownerInstance: this.deps.instanceId,
    };
  }

  /** Runs one allowlisted action on the router through the executor, recording its lifecycle. */
  async run<A extends ActionName>(
    actor: ActionActor,
    router: RouterEntity,
    action: A,
    params: ActionParams<A>,
    opts: RunOptions<ActionResult<A>> = {},
  ): Promise<Outcome<ActionResult<A>>> {
    const { repo, audit } = this.deps;
    const command = opts.pending ?? (await repo.insert(this.commandOf(actor, router.id, action, params)));
    const settle = opts.settle ?? (async () => undefined);
    const sentAt = new Date();
    const started = performance.now();
    // Overlaps the executor call; the guarded UPDATE cannot overwrite the final state. Only the
    // command's final update waits for it: the audit record and `settle` start at once.
    const sent = repo.markSent(command.id, sentAt);
    // Only the executor call is guarded: a failure writing our own records afterwards must
    // surface as the error it is, not be recorded as a failed router action.
    let result: Awaited<ReturnType<ExecutorClient['action']>> | null = null;
    let failure: unknown = null;
    try {
      result = await this.deps.executor.action(action, actor.sessionId, this.deps.credentials.targetOf(router), params, { requestId: actor.requestId ?? currentRequestId() });
    } catch (err) {
      failure = err;
    }
    const durationMs = Math.round(performance.now() - started);
    const details = isSystemActor(actor) ? { params, commandId: command.id, actor: 'system' } : { params, commandId: command.id };
    const target = { type: 'router', id: router.id };
    const who = auditActorOf(actor);
    const finished = (values: Parameters<CommandsRepository['finish']>[1]) =>
      sent
        .then(() => repo.finish(command.id, values))
        .then((changed) => {
          if (changed) this.deps.onContactChange?.(router.id, { statusBefore: changed.statusBefore, reached: values.contact === 'reached' });
        });
    if (result) {
      const outcome: Outcome<ActionResult<A>> = { ok: true, data: result.data as ActionResult<A>, commandId: command.id };
      this.deps.observe?.(action, 'ok', durationMs);
      await Promise.all([
        finished({ status: 'succeeded', durationMs, sentAt, contact: 'reached' }),
        audit.record({ action: `router.${action}`, actor: who, target, details }),
        this.deps.routers.needsPinning(router, result.metadata) ? this.deps.routers.pinHostKeys(who, router, result.metadata) : null,
        settle(outcome),
      ]);
      await this.deps.publish?.({ kind: 'command.finished', routerId: router.id, ids: [command.id] });
      return outcome;
    }
    const error = executorErrorOf(failure);
    if (!(failure instanceof ExecutorError)) this.deps.logger.error('router action failed unexpectedly', { err: failure, action, routerId: router.id });
    const outcome: Outcome<ActionResult<A>> = { ok: false, error, commandId: command.id };
    this.deps.observe?.(action, error.code, durationMs);
    const mismatch = error.code === 'HOST_KEY_MISMATCH';
    await Promise.all([
      finished({ status: 'failed', durationMs, sentAt, errorCode: error.code, errorMessage: error.message.slice(0, 1000), contact: contactOf(error.code) }),
      audit.record({
        action: mismatch ? 'router.host_key_mismatch' : `router.${action}`,
        outcome: 'failure',
        actor: who,
        target,
        details: { ...details, errorCode: error.code, ...(mismatch ? { executor: error.details } : {}) },
      }),
      settle(outcome),
    ]);
    await this.deps.publish?.({ kind: 'command.finished', routerId: router.id, ids: [command.id] });
    return outcome;
  }

  /**
   * Finishes as failed INTERRUPTED the commands whose controller is gone (no heartbeat within
   * `liveWithinMs`) or that are older than any call can take; their routers go to the reconciler.
   */
  /** Deletes the history of commands finished more than `days` ago, in batches; the number deleted. */
  async deleteFinishedBefore(days: number): Promise<number> {
    return this.deps.repo.deleteFinishedBefore(days);
  }

  async interruptOrphans(liveWithinMs: number): Promise<number> {
    const rows = await this.deps.repo.interruptOrphans(liveWithinMs, this.deps.maxCommandAgeMs ?? 10 * 60_000);
    if (rows.length) this.deps.logger.warn(`finished ${rows.length} command(s) left by a stopped controller as INTERRUPTED`);
    for (const routerId of new Set(rows.map((r) => r.routerId))) this.deps.onInterrupted?.(routerId);
    return rows.length;
  }

  /** `run`, answering the caller with the data or the failure as the API's error. */
  async runOrFail<A extends ActionName>(actor: ActionActor, router: RouterEntity, action: A, params: ActionParams<A>) {
    const outcome = await this.run(actor, router, action, params);
    if (!outcome.ok) throw appErrorOf(outcome.error);
    return outcome;
  }

  /** Uptime, load, memory, OS/firmware and hostname, read from the router now. */
  async info(actor: Actor, routerId: string) {
    const { router } = await this.deps.routers.getVisible(actor, routerId);
    const outcome = await this.runOrFail(actor, router, 'info', {});
    return { ...outcome.data, commandId: outcome.commandId };
  }

  /** A router's command history, newest first. */
  async history(actor: Actor, routerId: string, page: PageRequest) {
    await this.deps.routers.getVisible(actor, routerId);
    const rows = await this.deps.repo.list(routerId, page.limit + 1, cursorOf(page.cursor));
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toCommandView),
      nextCursor: rows.length > page.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
    };
  }
}
