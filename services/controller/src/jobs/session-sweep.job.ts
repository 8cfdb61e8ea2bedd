import type { Logger } from '@netpilot/service-kit';

export interface SessionSweepDeps {
  sessions: { expireDue(): Promise<number> };
  limiter: { pruneExpired(): Promise<void> };
  logger: Logger;
  intervalMs: number;
}

export interface Job {
  /** One pass now (also what the timer runs); resolves when it is done. */
  runOnce(): Promise<void>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/**
 * Ends expired sessions on both sides (revoked here, ended in the executor) and drops
 * spent rate-limit counters. Runs on every replica; the claiming UPDATE makes that safe.
 * The timer is unref'd so that it never keeps a process alive.
 */
export function startSessionSweep(deps: SessionSweepDeps): Job {
  let running: Promise<void> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const pass = async () => {
    try {
      const ended = await deps.sessions.expireDue();
      if (ended) deps.logger.info(`ended ${ended} expired session(s)`);
      await deps.limiter.pruneExpired();
    } catch (err) {
      deps.logger.error('session sweep failed; will retry', { err });
    }
  };

  const runOnce = () => {
    // Never two passes at once in one process: a slow pass delays the next instead.
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce().then(schedule);
    }, deps.intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
