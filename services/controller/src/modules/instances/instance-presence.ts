import os from 'node:os';
import type { Logger } from '@netpilot/service-kit';
import type { InstancesRepository } from './instances.repository';

/** How often an instance says it is alive, and after how long without it another may take it for dead. */
export const INSTANCE_BEAT_MS = 5_000;
export const INSTANCE_DEAD_AFTER_MS = 20_000;

/**
 * This controller process in controller_instances: a heartbeat row, so that the commands it
 * runs have a live owner, and another replica can finish them as INTERRUPTED when it dies.
 * Part of the process's lifecycle (like its HTTP server), not a queued job.
 */
export class InstancePresence {
  private timer?: NodeJS.Timeout;
  private workerPoolId: string | null = null;

  constructor(
    readonly id: string,
    private readonly repo: InstancesRepository,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      this.beat().catch((err: unknown) => {
        this.logger.warn('could not record this instance as alive', { reason: (err as Error).message });
      });
    }, INSTANCE_BEAT_MS);
    this.timer.unref();
  }

  /** The job queue's worker pool of this process, recorded with the next heartbeat. */
  setWorkerPool(id: string | null): void {
    this.workerPoolId = id;
    void this.beat().catch(() => undefined);
  }

  private beat(): Promise<void> {
    return this.repo.beat(this.id, os.hostname(), process.pid, this.workerPoolId);
  }

  /** Leaves the table: this instance's commands are all finished by then. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.repo.remove(this.id).catch(() => undefined);
  }
}
