import type { Logger } from '@netpilot/service-kit';
import type { ControllerConfig } from '../config';
import type { ControllerServices } from '../app';
import { INSTANCE_DEAD_AFTER_MS } from '../modules/instances/instance-presence';
import { BOUNDARY_JOB, type BoundaryJobData } from '../modules/reconcile/boundary.jobs';
import { OPERATION_JOB } from '../modules/operations/operations.service';
import { driftSweepEveryMs, RECONCILE_JOB, type ReconcileJobData } from '../modules/reconcile/reconcile.jobs';

/** How often commands left behind by a dead controller are looked for. */
const ORPHAN_SWEEP_MS = 10_000;
/** A bulk operation still running this long after its request with nothing left to send or in flight is finished. */
const ABANDONED_OPERATION_MS = 60_000;
/** Instance rows silent this long are forgotten. */
const INSTANCE_FORGET_MS = 10 * 60_000;
/** How often what is past its retention is deleted. */
const RETENTION_SWEEP_MS = 60 * 60_000;

/** The running background work of one controller process; stop() waits for running jobs. */
export interface BackgroundWork {
  stop(): Promise<void>;
}

/**
 * Everything a controller does besides answering requests, on the shared job queue: each
 * router's reconcile (never two at once for one router), the boundaries of schedules and
 * temporary blocks (each asks for a reconcile), and the periodic jobs, each run once per
 * interval across all replicas: the drift sweep, the boundary plan, the liveness check, the
 * session sweep, retention (ended sessions, old command history, old events), and finishing
 * commands whose controller died. This process's presence (its
 * heartbeat row) starts first, so the commands it runs have a live owner.
 */
export async function startBackgroundWork(services: ControllerServices, config: Readonly<ControllerConfig>, logger: Logger): Promise<BackgroundWork> {
  const { queue, presence } = services;
  await presence.start();
  try {
    queue.defineKeyed<ReconcileJobData>({ name: RECONCILE_JOB, handler: (job) => services.reconcileJobs.handle(job) });
    queue.defineKeyed<BoundaryJobData>({ name: BOUNDARY_JOB, handler: (job) => services.boundaries.handle(job) });
    queue.defineKeyed<{ operationId: string }>({ name: OPERATION_JOB, handler: (job) => services.operations.apply(job.operationId) });
    queue.definePeriodic({
      name: 'schedules.plan',
      everyMs: config.schedulePlanIntervalMs,
      handler: async () => {
        const n = await services.boundaries.planAll();
        if (n) logger.debug(`planned ${n} schedule boundaries and temporary block ends`);
      },
    });
    queue.definePeriodic({
      name: 'routers.drift-sweep',
      everyMs: driftSweepEveryMs(config.reconcileIntervalMs),
      handler: async () => {
        const n = await services.reconcileJobs.sweep();
        if (n) logger.debug(`drift check asked for ${n} router(s)`);
      },
    });
    queue.definePeriodic({
      name: 'routers.liveness',
      everyMs: config.routerLivenessIntervalMs,
      handler: async () => {
        const n = await services.routerLiveness.runOnce();
        if (n) logger.info(`marked ${n} silent router(s) offline`);
      },
    });
    queue.definePeriodic({
      name: 'sessions.sweep',
      everyMs: config.sessionSweepIntervalMs,
      handler: async () => {
        const n = await services.sessions.expireDue();
        if (n) logger.info(`ended ${n} expired session(s)`);
        await services.limiter.pruneExpired();
      },
    });
    queue.definePeriodic({
      name: 'retention',
      everyMs: RETENTION_SWEEP_MS,
      handler: async () => {
        const sessions = await services.sessions.deleteEndedBefore(config.retention.sessionsDays);
        const commands = await services.commands.deleteFinishedBefore(config.retention.commandsDays);
        const operations = await services.operations.deleteFinishedBefore(config.retention.commandsDays);
        const events = await services.events.deleteExpired(config.eventRetentionDays);
        if (sessions || commands || operations || events) {
          logger.info(`retention: deleted ${sessions} ended session(s), ${commands} finished command(s), ${operations} bulk operation(s) and ${events} event(s)`);
        }
      },
    });
    queue.definePeriodic({
      name: 'audit.seal',
      everyMs: 1000,
      handler: async () => {
        await services.audit.seal();
      },
    });
    queue.definePeriodic({
      name: 'commands.orphans',
      everyMs: ORPHAN_SWEEP_MS,
      handler: async () => {
        // Jobs a dead controller held are released to run again; its commands are finished.
        await services.instances.releaseDeadWorkers(INSTANCE_DEAD_AFTER_MS);
        await services.commands.interruptOrphans(INSTANCE_DEAD_AFTER_MS);
        // Bulk operations whose job gave up: what they did not apply is the reconciler's.
        await services.operations.finishAbandoned(ABANDONED_OPERATION_MS);
        await services.instances.pruneSilent(INSTANCE_FORGET_MS);
      },
    });
    await queue.start();
    presence.setWorkerPool(queue.workerPoolId);
  } catch (err) {
    await queue.stop().catch(() => undefined);
    await presence.stop();
    throw err;
  }
  return {
    async stop() {
      await queue.stop();
      await presence.stop();
    },
  };
}
