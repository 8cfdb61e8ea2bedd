import { createHash } from 'node:crypto';
import type { Logger } from '@netpilot/service-kit';
import { JOB_PRIORITY } from '../../jobs/job-queue';
import type { SystemActor } from '../commands/commands.service';
import type { ReconcileRepository } from './reconcile.repository';
import type { ReconcileService } from './reconcile.service';

/** The queue's name for one router's reconcile. */
export const RECONCILE_JOB = 'router.reconcile';

export interface ReconcileJobData {
  routerId: string;
  reason: string;
}

/** What the reconcile jobs need of the queue. */
export interface ReconcileQueue {
  send(name: string, data: ReconcileJobData, opts: { key: string; delayMs?: number; mode?: 'replace' | 'keep'; priority?: number }): Promise<void>;
}

/** Triggers due within this are "soon" (a reboot, a return, a retry after a busy lease); later ones wait apart. */
const SOON_MS = 5_000;

/**
 * When routers get reconciled: on request (a reboot, a return, an interrupted command), after
 * a failure (with backoff), and as a drift check of every router once per interval, spread
 * over the sweep period by a hash of the router id. A request for soon and one for later do
 * not absorb each other: a delayed drift check never holds back a reboot's repair.
 */
export class ReconcileJobs {
  constructor(
    private readonly deps: {
      queue: ReconcileQueue;
      reconcile: ReconcileService;
      repo: ReconcileRepository;
      system: SystemActor;
      logger: Logger;
      /** RECONCILE_INTERVAL_SECONDS: every router is read at least this often. */
      intervalMs: number;
      /** How often the drift sweep looks for due routers (their checks are spread over it). */
      sweepEveryMs: number;
    },
  ) {}

  /** Asks for a reconcile of the router, now or after `delayMs`; requests coalesce per router. */
  async request(routerId: string, reason: string, delayMs = 0, priority: number = JOB_PRIORITY.normal): Promise<void> {
    // The newest "soon" wins (all are soon); a waiting "later" keeps its time, so repeated
    // requests (a router still unreachable at each drift sweep) do not keep postponing it.
    const soon = delayMs <= SOON_MS;
    await this.deps.queue.send(RECONCILE_JOB, { routerId, reason }, { key: `reconcile:${routerId}:${soon ? 'soon' : 'later'}`, delayMs, mode: soon ? 'replace' : 'keep', priority });
  }

  /** A change could not reach the router (it stays pending): the reconciler takes over, with backoff. */
  async afterFailedChange(routerId: string, error: { code: string; message: string }): Promise<void> {
    const failures = await this.deps.repo.markPending(routerId, error.message);
    await this.request(routerId, `retry after ${error.code}`, this.deps.reconcile.retryDelayMs(failures));
  }

  /** The job: one reconcile as the system; a failure asks again after the backoff. */
  async handle(job: ReconcileJobData): Promise<void> {
    this.deps.logger.debug('reconcile', { routerId: job.routerId, reason: job.reason });
    const result = await this.deps.reconcile.reconcile(job.routerId, this.deps.system);
    if (result === null) {
      // Another reconcile holds the router (or the router is gone): ask once more shortly, so this trigger is not lost.
      if (await this.deps.repo.exists(job.routerId)) await this.request(job.routerId, `${job.reason} (after a busy lease)`, 2_000);
      return;
    }
    if (result.error) this.deps.logger.info('reconcile did not reach sync', { routerId: job.routerId, reason: job.reason, errorCode: result.error.code });
    if (result.retryInMs !== null) await this.request(job.routerId, 'retry', result.retryInMs);
  }

  /**
   * The periodic drift check: routers that will not have been read for an interval by the
   * next sweep get a reconcile, at a fixed offset of their own within the sweep period, so
   * each router is read about once per interval and a fleet's reads are spread out.
   */
  async sweep(): Promise<number> {
    const due = await this.deps.repo.due(Math.max(0, this.deps.intervalMs - this.deps.sweepEveryMs), 10_000);
    for (const id of due) await this.request(id, 'drift check', spreadMs(id, this.deps.sweepEveryMs), JOB_PRIORITY.driftCheck);
    return due.length;
  }
}

/** How often the drift sweep runs: a fifth of the interval, at most a minute. */
export function driftSweepEveryMs(intervalMs: number): number {
  return Math.max(1000, Math.min(60_000, Math.round(intervalMs / 5)));
}

/** A stable offset in [0, periodMs) for a router, so that a fleet's checks do not fire in the same second. */
export function spreadMs(routerId: string, periodMs: number): number {
  return createHash('sha256').update(routerId).digest().readUInt32BE(0) % Math.max(1, periodMs);
}
