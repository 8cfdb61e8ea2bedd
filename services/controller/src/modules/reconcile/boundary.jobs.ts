import type { Logger } from '@netpilot/service-kit';
import type { BlockEntity } from '../blocks/block.entity';
import type { BlocksRepository } from '../blocks/blocks.repository';
import type { ScheduleEntity } from '../schedules/schedule.entity';
import { windowStateAt } from '../schedules/schedule-windows';
import type { SchedulesRepository } from '../schedules/schedules.repository';
import type { ReconcileJobs } from './reconcile.jobs';

/** The queue's name for a moment the desired state of a router changes by itself. */
export const BOUNDARY_JOB = 'router.boundary';

/** A schedule's window opens or closes, or a temporary block ends. */
export interface BoundaryJobData {
  routerId: string;
  scheduleId?: string;
  blockId?: string;
}

/** What the boundary jobs need of the queue. */
export interface BoundaryQueue {
  send(name: string, data: BoundaryJobData, opts: { key: string; delayMs?: number; mode?: 'replace' | 'unlessDue' }): Promise<void>;
  cancel(key: string): Promise<void>;
}

const scheduleKey = (id: string) => `boundary:schedule:${id}`;
const blockKey = (id: string) => `boundary:block:${id}`;

/**
 * When a router's desired state changes with time: each enabled schedule has one job waiting
 * at its next boundary (the open window's end, or the next window's start), each temporary
 * block one at its end, keyed by the schedule or block so that re-planning replaces it. A
 * boundary only asks the reconciler for the router (which reads the time itself and makes the
 * router enforce exactly what is wanted then), then plans the schedule's next one. The jobs
 * live in the shared queue: they fire once across replicas and outlive a controller restart
 * (an overdue job runs when a controller is back); the periodic plan puts back any job lost
 * to a race or to a changed clock.
 */
export class BoundaryJobs {
  constructor(
    private readonly deps: {
      queue: BoundaryQueue;
      reconcileJobs: Pick<ReconcileJobs, 'request'>;
      schedules: Pick<SchedulesRepository, 'findForPlanning' | 'listEnabledForPlanning'>;
      blocks: Pick<BlocksRepository, 'findById' | 'listTemporary'>;
      clock: () => Date;
      logger: Logger;
    },
  ) {}

  /**
   * Plans the schedule's next boundary in its router's time zone (none when paused, or when it
   * never changes). `again`: the periodic plan, which leaves a boundary job that is already due
   * to run (planning "the next boundary" just after a boundary would otherwise push that
   * boundary's job a week away, and the router would never hear of it).
   */
  async planSchedule(schedule: Pick<ScheduleEntity, 'id' | 'routerId' | 'windows' | 'enabled'>, timeZone: string, again = false): Promise<Date | null> {
    const next = schedule.enabled ? windowStateAt(schedule.windows, timeZone, this.deps.clock()).changesAt : null;
    if (!next) {
      await this.deps.queue.cancel(scheduleKey(schedule.id));
      return null;
    }
    await this.deps.queue.send(
      BOUNDARY_JOB,
      { routerId: schedule.routerId, scheduleId: schedule.id },
      { key: scheduleKey(schedule.id), delayMs: this.untilMs(next), mode: again ? 'unlessDue' : 'replace' },
    );
    return next;
  }

  /** Plans a temporary block's end. */
  async planExpiry(block: Pick<BlockEntity, 'id' | 'routerId' | 'expiresAt'>): Promise<void> {
    if (!block.expiresAt) return;
    await this.deps.queue.send(BOUNDARY_JOB, { routerId: block.routerId, blockId: block.id }, { key: blockKey(block.id), delayMs: this.untilMs(block.expiresAt) });
  }

  /** A schedule is gone: its waiting boundary goes too, and its router is reconciled (it may have been blocking). */
  async forgetSchedule(schedule: Pick<ScheduleEntity, 'id' | 'routerId'>): Promise<void> {
    await this.deps.queue.cancel(scheduleKey(schedule.id));
    await this.deps.reconcileJobs.request(schedule.routerId, 'schedule deleted');
  }

  /** A schedule was created or changed: plan its next boundary and reconcile its router now. */
  async scheduleChanged(schedule: ScheduleEntity, timeZone: string): Promise<void> {
    await this.planSchedule(schedule, timeZone);
    await this.deps.reconcileJobs.request(schedule.routerId, 'schedule changed');
  }

  /** The job: the router's desired state changed (or is about to), so it is reconciled; a schedule's next boundary is planned. */
  async handle(job: BoundaryJobData): Promise<void> {
    if (job.scheduleId) {
      const schedule = await this.deps.schedules.findForPlanning(job.scheduleId);
      if (!schedule) return;
      await this.deps.reconcileJobs.request(job.routerId, `schedule ${schedule.label ?? schedule.id}: window boundary`);
      // A job that fired a moment early (clocks of replicas and database differ) plans the same boundary again.
      await this.planSchedule(schedule, schedule.timeZone);
      return;
    }
    if (job.blockId) {
      const block = await this.deps.blocks.findById(job.blockId);
      if (!block || block.status === 'removing') return;
      if (block.expiresAt && block.expiresAt > this.deps.clock()) await this.planExpiry(block);
      else await this.deps.reconcileJobs.request(job.routerId, 'temporary block ended');
    }
  }

  /**
   * The periodic plan: every enabled schedule's next boundary and every temporary block's end
   * again (optionally of one router), and a reconcile for routers with a block already past
   * its end. Returns how many boundaries are planned.
   */
  async planAll(routerId: string | null = null): Promise<number> {
    let planned = 0;
    for (const s of await this.deps.schedules.listEnabledForPlanning(routerId)) {
      if (await this.planSchedule(s, s.timeZone, true)) planned++;
    }
    const overdue = new Set<string>();
    for (const b of await this.deps.blocks.listTemporary()) {
      if (routerId && b.routerId !== routerId) continue;
      if (b.expiresAt && b.expiresAt <= this.deps.clock()) overdue.add(b.routerId);
      else {
        await this.planExpiry(b);
        planned++;
      }
    }
    for (const id of overdue) await this.deps.reconcileJobs.request(id, 'temporary block ended');
    return planned;
  }

  /** A router's time zone changed: its schedules' boundaries move, and a window may be open now. */
  async timeZoneChanged(routerId: string): Promise<void> {
    await this.planAll(routerId);
    await this.deps.reconcileJobs.request(routerId, 'time zone changed');
  }

  private untilMs(at: Date): number {
    return Math.max(0, at.getTime() - this.deps.clock().getTime());
  }
}
