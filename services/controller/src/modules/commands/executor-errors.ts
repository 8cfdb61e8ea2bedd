import { ExecutorError } from '@netpilot/executor-client';
import { AppError } from '@netpilot/service-kit';

/** Router or executor trouble after which a change waits (stays pending) instead of failing the request. */
const RETRY_LATER: ReadonlySet<string> = new Set(['ROUTER_UNREACHABLE', 'TIMEOUT', 'EXECUTOR_UNAVAILABLE', 'SESSION_NOT_FOUND']);

/** True when the failure is the router's or the executor's availability, so the change can wait and converge later. */
export function isRetryLater(err: ExecutorError): boolean {
  return RETRY_LATER.has(err.code);
}

/** The router's own answer: the caller should know it, with its code, as a gateway error. */
const ROUTER_SAID: ReadonlySet<string> = new Set(['ROUTER_AUTH_FAILED', 'HOST_KEY_MISMATCH', 'COMMAND_FAILED']);

/**
 * How a failed executor call is answered to the API's caller: the one mapping from executor
 * codes to the controller's. Availability is 503/504; what the router said is 502 with its
 * code. Anything else (the executor refused our token or our request, an unknown action, an
 * answer without an envelope) means the controller and the executor disagree: never the
 * caller's fault, so never a 4xx, but 502 EXECUTOR_CONTRACT_MISMATCH.
 */
export function appErrorOf(err: ExecutorError): AppError {
  if (err.code === 'TIMEOUT') return new AppError('TIMEOUT', 504, err.message, err.details);
  if (RETRY_LATER.has(err.code)) return new AppError(err.code, 503, err.message, err.details);
  if (ROUTER_SAID.has(err.code)) return new AppError(err.code, 502, err.message, err.details);
  return new AppError(
    'EXECUTOR_CONTRACT_MISMATCH',
    502,
    'The controller and the executor disagree about this request; check that both run the same version and share EXECUTOR_TOKEN',
    { executorCode: err.code },
  );
}

/** Any failure of an executor call as an ExecutorError (a bug of ours becomes EXECUTOR_BAD_RESPONSE). */
export function executorErrorOf(err: unknown): ExecutorError {
  return err instanceof ExecutorError ? err : new ExecutorError('EXECUTOR_BAD_RESPONSE', 'executor call failed', null);
}
