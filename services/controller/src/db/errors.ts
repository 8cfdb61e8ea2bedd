import { AppError } from '@netpilot/service-kit';

/** Seconds a client should wait before trying again while the database is away. */
const RETRY_AFTER_SECONDS = 5;

/** Node socket errors and pg's own texts for a connection that is gone or never came. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const CONNECTION_TEXT = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command/i;

/**
 * True for an error that says the database cannot be reached right now (not that a query was
 * wrong): SQLSTATE class 08 (connection exception), 57P01-57P03 (admin shutdown, crash,
 * cannot connect now), 53300 (too many connections), or a socket that failed.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return true;
  if (SOCKET_CODES.has(code)) return true;
  if (typeof e.message === 'string' && CONNECTION_TEXT.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err && isDatabaseUnavailable(e.cause);
}

/** 503 DATABASE_UNAVAILABLE with Retry-After for a request that met a database outage; null for any other error. */
export function databaseUnavailableError(err: unknown): AppError | null {
  if (!isDatabaseUnavailable(err)) return null;
  return new AppError('DATABASE_UNAVAILABLE', 503, 'The database is unavailable right now; try again in a few seconds', undefined, {
    'Retry-After': String(RETRY_AFTER_SECONDS),
  });
}

/**
 * 404 `<THING>_NOT_FOUND` for a write that referred to a row deleted meanwhile (SQLSTATE 23503
 * on a `<table>_<thing>_id_fkey` constraint): a router deleted while one of its actions ran
 * is gone for that action too. Null for any other error.
 */
export function referenceGoneError(err: unknown): AppError | null {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  if (e?.code !== '23503' || typeof e.constraint !== 'string') return null;
  const thing = /_([a-z]+)_id_fkey$/.exec(e.constraint)?.[1];
  if (!thing) return new AppError('REFERENCE_GONE', 409, 'Something this request refers to was removed meanwhile; reload and try again');
  return AppError.notFound(`${thing.toUpperCase()}_NOT_FOUND`, `The ${thing} was removed meanwhile`);
}

/** The database's errors that are not bugs, as the answers they deserve; null for the rest. */
export function translateDatabaseError(err: unknown): AppError | null {
  return databaseUnavailableError(err) ?? referenceGoneError(err);
}
