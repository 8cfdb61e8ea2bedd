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

/** Where the failure happened, as the executor said: hop, host and port; nothing about why a socket failed. */
function whereOf(err: ExecutorError): Record<string, unknown> {
  const d = (err.details ?? {}) as Record<string, unknown>;
  const where: Record<string, unknown> = {};
  for (const key of ['hop', 'host', 'port']) if (d[key] !== undefined) where[key] = d[key];
  return where;
}

/**
 * What a person is told about an executor failure: what to check next. An unreachable router
 * gets one message whatever the socket said (refused, reset, timed out, no SSH), so the API
 * cannot be used to tell an open port from a closed one.
 */
export function publicMessageOf(err: ExecutorError): string {
  switch (err.code) {
    case 'ROUTER_UNREACHABLE': {
      const { hop, host, port } = whoseAddress(err);
      return `No SSH session could be opened with the ${hop} at ${host}:${port}. Check the address and port, that it is on, and that its SSH server accepts NetPilot.`;
    }
    case 'DESTINATION_NOT_ALLOWED':
      return "The router's address resolves to an address routers may not have (the executor's own host, link-local or cloud metadata); check its host name.";
    case 'HOST_KEY_MISMATCH':
      return (
        "The router's SSH host key is not the one pinned. If the router was reinstalled or its key changed on purpose, " +
        'check the new fingerprint on the router (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and accept it with PATCH /routers/:id {"hostKeySha256": "<new>"} (or null to pin the next one seen).'
      );
    default:
      return err.message;
  }
}

function whoseAddress(err: ExecutorError): { hop: string; host: string; port: string } {
  const d = (err.details ?? {}) as { hop?: unknown; host?: unknown; port?: unknown };
  return { hop: d.hop === 'jumpHost' ? 'jump host' : 'router', host: String(d.host ?? '?'), port: String(d.port ?? '?') };
}

/**
 * How a failed executor call is answered to the API's caller: the one mapping from executor
 * codes to the controller's. Availability is 503/504; what the router said is 502 with its
 * code; an address routers may not have is 403 ROUTER_HOST_NOT_ALLOWED. Anything else (the
 * executor refused our token or our request, an unknown action, an answer without an
 * envelope) means the controller and the executor disagree: never the caller's fault, so
 * never a 4xx, but 502 EXECUTOR_CONTRACT_MISMATCH.
 */
export function appErrorOf(err: ExecutorError): AppError {
  const message = publicMessageOf(err);
  if (err.code === 'TIMEOUT') return new AppError('TIMEOUT', 504, message, whereOf(err));
  if (err.code === 'ROUTER_UNREACHABLE') return new AppError(err.code, 503, message, whereOf(err));
  if (RETRY_LATER.has(err.code)) return new AppError(err.code, 503, message, err.details);
  if (err.code === 'MANAGEMENT_ADDRESS') return new AppError('BLOCK_WOULD_CUT_MANAGEMENT', 409, message, err.details);
  if (err.code === 'DESTINATION_NOT_ALLOWED') return new AppError('ROUTER_HOST_NOT_ALLOWED', 403, message, whereOf(err));
  if (ROUTER_SAID.has(err.code)) return new AppError(err.code, 502, message, err.details);
  return new AppError(
    'EXECUTOR_CONTRACT_MISMATCH',
    502,
    'The controller and the executor disagree about this request; check that both run the same version and share EXECUTOR_TOKEN',
    { executorCode: err.code },
  );
}

/**
 * Any failure of an executor call as an ExecutorError (a bug of ours becomes
 * EXECUTOR_BAD_RESPONSE), its message the one a person is shown (publicMessageOf): what is
 * stored with commands and blocks is what the API may show.
 */
export function executorErrorOf(err: unknown): ExecutorError {
  const e = err instanceof ExecutorError ? err : new ExecutorError('EXECUTOR_BAD_RESPONSE', 'executor call failed', null);
  return new ExecutorError(e.code, publicMessageOf(e), e.status, e.details, e.metadata);
}
