import type { RouterTarget } from '@netpilot/contracts';
import type { CommandRunner, PlatformDriver } from '../platforms/types';
import { ActionRunner, type ActionRunnerOptions, type RunInfo } from './action-runner';
import { BastionPool } from './bastion-pool';
import type { HopPoolOptions } from './hop-pool';
import { RouterPool } from './router-pool';

export type PoolOptions = HopPoolOptions & ActionRunnerOptions;

/**
 * One session's SSH connections (routers and their bastions) and the runner of its
 * actions on them: what a session holds, so that ending it closes everything at once.
 */
export class ConnectionPool {
  private readonly bastions: BastionPool;
  private readonly routers: RouterPool;
  private readonly runner: ActionRunner;

  constructor(
    readonly sessionId: string,
    opts: PoolOptions,
  ) {
    this.bastions = new BastionPool(sessionId, opts);
    this.routers = new RouterPool(sessionId, opts, this.bastions);
    this.runner = new ActionRunner(this.routers, opts);
  }

  /** Router connections ready or being opened. */
  get size(): number {
    return this.routers.size;
  }

  get closed(): boolean {
    return this.routers.closed;
  }

  /** Runs one action on the router's pooled connection (see ActionRunner.run). */
  run<T>(
    router: RouterTarget,
    driver: PlatformDriver,
    fn: (runner: CommandRunner) => Promise<T>,
    info: RunInfo,
    opts?: { reprepareOnFailure?: boolean },
  ): Promise<T> {
    return this.runner.run(router, driver, fn, info, opts);
  }

  /** Closes every connection of this session now; later calls fail with SESSION_NOT_FOUND. */
  close(): void {
    // A router connection tunnels through its bastion, so it goes first.
    this.routers.close();
    this.bastions.close();
  }
}
