import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from './logger';
import { currentRequestId } from './request-context';

/**
 * The one error type of both services: a string `code` that survives process boundaries
 * (instanceof does not), an HTTP status, and a message telling a person what to do next.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After on 429 and 503. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  static badRequest(message: string, details?: unknown) {
    return new AppError('VALIDATION_FAILED', 400, message, details);
  }
  static unauthorized(message = 'Authentication required', code = 'UNAUTHORIZED') {
    return new AppError(code, 401, message);
  }
  static forbidden(message = 'Not allowed', code = 'FORBIDDEN') {
    return new AppError(code, 403, message);
  }
  static notFound(code: string, message: string) {
    return new AppError(code, 404, message);
  }
  static conflict(code: string, message: string, details?: unknown) {
    return new AppError(code, 409, message, details);
  }
}

/** The error body of the controller's API (SPEC section 3). */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string | null };
}

/** `{error: {code, message, details?, requestId}}` for the request being served. */
export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  const body: ErrorBody = { error: { code, message, requestId: currentRequestId() ?? null } };
  if (details !== undefined) body.error.details = details;
  return body;
}

/** Codes for the 4xx statuses express and its body parsers raise on a client's mistake. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The AppError for an error express, its router or its body parsers raised because of the
 * request (bad JSON, a body too large or not matching its Content-Encoding, a path that is
 * not valid percent-encoding); null for anything else.
 */
export function clientErrorOf(err: unknown): AppError | null {
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown } | null;
  const status = Number(e?.status ?? e?.statusCode);
  if (!(status >= 400 && status < 500)) return null;
  switch (e?.type) {
    case 'entity.parse.failed':
      return AppError.badRequest('Request body is not valid JSON');
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 413, 'Request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 415, 'Unsupported body encoding');
    case 'request.size.invalid':
    case 'request.aborted':
      return new AppError('VALIDATION_FAILED', 400, 'The request body was incomplete');
  }
  if (err instanceof URIError) return new AppError('INVALID_PATH', 400, 'The URL path is not valid percent-encoding');
  // zlib's codes: a body that says it is gzip, deflate or br but is not.
  if (typeof (e as { code?: unknown }).code === 'string' && /^(Z_|ERR_BROTLI|ERR__)/.test((e as { code: string }).code)) {
    return new AppError('VALIDATION_FAILED', 400, 'The request body does not match its Content-Encoding');
  }
  const code = CODE_BY_STATUS[status] ?? 'BAD_REQUEST';
  // Body parsers' own messages are fixed texts (they never echo the body); anything else stays generic.
  const message = e?.expose === true && err instanceof Error ? err.message : 'The request could not be read';
  return new AppError(code, status, message);
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(AppError.notFound('NOT_FOUND', `No route ${req.method} ${req.path}`));
};

export interface ErrorMiddlewareOptions {
  logger: Logger;
  /** Turns an error into another AppError first (e.g. a lost database into 503); null leaves it. */
  translate?: (err: unknown) => AppError | null;
  /** The response body for an error; the controller's `{error:{...}}` shape by default. */
  render?: (err: AppError, req: Request) => unknown;
}

/**
 * The one error middleware: known errors answer with their code and status; unknown ones are
 * logged with their stack and answer a generic 500. Error answers are never cached.
 */
export function errorMiddleware(opts: ErrorMiddlewareOptions): ErrorRequestHandler {
  const render = opts.render ?? ((e: AppError) => errorBody(e.code, e.message, e.details));
  return (err, req, res, _next) => {
    let e = err instanceof AppError ? err : (opts.translate?.(err) ?? clientErrorOf(err));
    if (!e) {
      opts.logger.error('unhandled error', { err, method: req.method, path: req.path });
      e = new AppError('INTERNAL_ERROR', 500, 'Internal error');
    }
    if (res.headersSent) return;
    res.setHeader('Cache-Control', 'no-store');
    for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    res.status(e.status).json(render(e, req));
  };
}
