import type { ExecutorClient } from '@netpilot/executor-client';
import type { Logger } from '@netpilot/service-kit';
import { requestContext } from '@netpilot/service-kit';

/**
 * A bound on how long a login or logout waits for the executor. The calls are best effort:
 * a slow or absent executor must never make a user wait the client's full timeout.
 */
const EXECUTOR_CALL_BOUND_MS = 3000;

function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts and ends the executor session that shadows each login session (same id). Failures
 * are logged as warnings and never thrown: the executor starts a lost session again on the
 * first action (executor-client retries SESSION_NOT_FOUND), and ends idle ones by itself.
 */
export class ExecutorSessions {
  constructor(
    private readonly executor: Pick<ExecutorClient, 'startSession' | 'endSession'>,
    private readonly logger: Logger,
    private readonly boundMs = EXECUTOR_CALL_BOUND_MS,
  ) {}

  async start(sessionId: string): Promise<boolean> {
    try {
      await bounded(this.executor.startSession(sessionId, this.callOptions()), this.boundMs);
      return true;
    } catch (err) {
      this.logger.warn('could not start the executor session; it will be started on the first action', {
        sessionId,
        reason: (err as Error).message,
      });
      return false;
    }
  }

  async end(sessionIds: readonly string[]): Promise<void> {
    await Promise.all(
      sessionIds.map(async (sessionId) => {
        try {
          await bounded(this.executor.endSession(sessionId, this.callOptions()), this.boundMs);
        } catch (err) {
          this.logger.warn('could not end the executor session; the executor ends it when idle', {
            sessionId,
            reason: (err as Error).message,
          });
        }
      }),
    );
  }

  private callOptions() {
    const requestId = requestContext.getStore()?.requestId;
    return requestId ? { requestId } : {};
  }
}
