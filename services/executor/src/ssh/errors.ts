import { AppError } from '../errors';

/** Which SSH hop failed: the router itself or the bastion in front of it. */
export type Hop = 'router' | 'jumpHost';

/**
 * The connection died before a command could start (channel open refused because the
 * socket is gone). Safe to retry on a fresh connection: nothing ran on the router.
 */
export class ConnectionLostError extends Error {
  constructor(
    message: string,
    /** True when no command started on this connection for the failed call. */
    readonly beforeCommand: boolean,
  ) {
    super(message);
    this.name = 'ConnectionLostError';
  }
}

/** The action's deadline passed; the executor answers TIMEOUT. */
export class ActionTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`router action did not finish within ${timeoutMs} ms`);
    this.name = 'ActionTimeoutError';
  }
}

/** A command wrote more than we are willing to buffer. */
export class OutputTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`router command wrote more than ${limitBytes} bytes`);
    this.name = 'OutputTooLargeError';
  }
}

/** What we know about a failed connection attempt, for error mapping. */
export interface ConnectFailure {
  hop: Hop;
  host: string;
  port: number;
  /** Fingerprint the server presented, if the handshake got that far. */
  seenHostKey: string | null;
  expectedHostKey: string | null;
  hostKeyMismatch: boolean;
  timedOut: boolean;
  timeoutMs: number;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EADDRNOTAVAIL',
]);

function hopLabel(hop: Hop): string {
  return hop === 'router' ? 'router' : 'jump host';
}

/** HOST_KEY_MISMATCH: the hop showed a host key other than the pinned one. */
export function hostKeyMismatchError(
  hop: Hop,
  where: { host: string; port: number },
  expected: string | null,
  seen: string | null,
): AppError {
  return new AppError('HOST_KEY_MISMATCH', `The ${hopLabel(hop)}'s host key does not match the pinned fingerprint`, {
    hop,
    host: where.host,
    port: where.port,
    expected,
    seen,
  });
}

/**
 * Maps an ssh2/socket failure during connect, handshake or authentication to the
 * contract's error codes. Messages are ours (never ssh2's raw text with key material)
 * and carry no credentials.
 */
export function connectErrorToAppError(err: unknown, f: ConnectFailure): AppError {
  const where = { hop: f.hop, host: f.host, port: f.port };
  const e = (err ?? {}) as { code?: unknown; level?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const level = typeof e.level === 'string' ? e.level : undefined;
  const label = hopLabel(f.hop);

  if (f.hostKeyMismatch) return hostKeyMismatchError(f.hop, f, f.expectedHostKey, f.seenHostKey);
  if (f.timedOut) {
    return new AppError('ROUTER_UNREACHABLE', `No SSH session with the ${label} within ${f.timeoutMs} ms`, {
      ...where,
      reason: 'CONNECT_TIMEOUT',
    });
  }
  if (level === 'client-authentication' || err instanceof PrivateKeyError) {
    return new AppError(
      'ROUTER_AUTH_FAILED',
      err instanceof PrivateKeyError
        ? `The ${label}'s private key could not be used: ${err.message}`
        : `The ${label} refused the credentials`,
      where,
    );
  }
  if (code && UNREACHABLE_CODES.has(code)) {
    return new AppError('ROUTER_UNREACHABLE', `The ${label} cannot be reached (${code})`, { ...where, reason: code });
  }
  if (level === 'client-timeout') {
    return new AppError('ROUTER_UNREACHABLE', `The ${label} stopped answering during the SSH handshake`, {
      ...where,
      reason: 'HANDSHAKE_TIMEOUT',
    });
  }
  if (level === 'client-dns') {
    return new AppError('ROUTER_UNREACHABLE', `The ${label}'s host name does not resolve`, { ...where, reason: 'DNS' });
  }
  if (err instanceof ConnectionClosedDuringConnect) {
    return new AppError('ROUTER_UNREACHABLE', `The ${label} closed the connection during the SSH handshake`, {
      ...where,
      reason: 'CONNECTION_CLOSED',
    });
  }
  if (err instanceof ForwardFailedError) {
    return new AppError('ROUTER_UNREACHABLE', `The jump host could not reach the router: ${err.message}`, {
      ...where,
      reason: 'FORWARD_FAILED',
    });
  }
  // Protocol-level failures (no common algorithms, bad banner): the far end is not a
  // usable SSH server for us. ssh2's own text names algorithms only, never secrets.
  const message = typeof e.message === 'string' ? e.message.slice(0, 200) : 'unknown error';
  return new AppError('ROUTER_UNREACHABLE', `SSH handshake with the ${label} failed`, {
    ...where,
    reason: 'HANDSHAKE_FAILED',
    cause: message,
  });
}

/** The server hung up before the session was ready (e.g. sshd's MaxStartups dropped us). */
export class ConnectionClosedDuringConnect extends Error {
  constructor() {
    super('connection closed before the SSH session was ready');
    this.name = 'ConnectionClosedDuringConnect';
  }
}

/** The private key (or its passphrase) could not be parsed; our wording, never the key. */
export class PrivateKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrivateKeyError';
  }
}

/** The bastion refused to open a forwarded channel to the router. */
export class ForwardFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForwardFailedError';
  }
}

const MAX_STDERR = 2048;

/** The router's stderr as we show it: trimmed, at most 2 KB (keeping the end, where the reason usually is). */
export function trimStderr(stderr: string): string {
  const t = stderr.trim();
  if (Buffer.byteLength(t) <= MAX_STDERR) return t;
  let tail = t.slice(-MAX_STDERR);
  while (Buffer.byteLength(tail) > MAX_STDERR - 3) tail = tail.slice(1);
  return '…' + tail;
}

/** The server refused an exec channel on a live connection (e.g. its MaxSessions is lower than ours). */
export class ChannelRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelRefusedError';
  }
}
