import type { Logger } from '../../logger';
import type { RoutersService } from './routers.service';

/** Marks routers offline when their heartbeats stop; unref'd, stoppable, never overlapping. */
export function startRouterLivenessJob(routers: RoutersService, logger: Logger, intervalMs: number): { stop(): void; runOnce(): Promise<number> } {
  let running: Promise<number> | null = null;
  const runOnce = () => {
    running ??= routers
      .markSilentRoutersOffline()
      .then((n) => {
        if (n) logger.info(`marked ${n} silent router(s) offline`);
        return n;
      })
      .catch((err) => {
        logger.error('router liveness check failed', { err });
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), runOnce };
}
