import type { Logger } from '@netpilot/service-kit';
import type { OnboardingService } from './onboarding.service';

/** Marks routers offline when their heartbeats stop; unref'd, stoppable, never overlapping. */
export function startRouterLivenessJob(onboarding: Pick<OnboardingService, 'markSilentRoutersOffline'>, logger: Logger, intervalMs: number): { stop(): void; runOnce(): Promise<number> } {
  let running: Promise<number> | null = null;
  const runOnce = () => {
    running ??= onboarding
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
