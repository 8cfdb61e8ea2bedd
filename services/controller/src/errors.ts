import type { ErrorRequestHandler, RequestHandler } from 'express';
import { requestContext, type Logger } from './logger';

/** The one error type of the controller: a string code that survives process boundaries, and a status. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After on 429. */
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

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string | null };
}

/** The JSON error shape of SPEC section 3. */
export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  const body: ErrorBody = { error: { code, message, requestId: requestContext.getStore()?.requestId ?? null } };
  if (details !== undefined) body.error.details = details;
  return body;
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(AppError.notFound('NOT_FOUND', `No route ${req.method} ${req.path}`));
};

/** The one error middleware: known errors in the SPEC shape, unknown ones logged with stack and answered 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let e: AppError;
    if (err instanceof AppError) {
      e = err;
    } else if (err?.type === 'entity.parse.failed') {
      e = AppError.badRequest('Request body is not valid JSON');
    } else if (err?.type === 'entity.too.large') {
      e = new AppError('PAYLOAD_TOO_LARGE', 413, 'Request body is too large');
    } else if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') {
      e = new AppError('UNSUPPORTED_MEDIA_TYPE', 415, 'Unsupported body encoding');
    } else {
      logger.error('unhandled error', { err, method: req.method, path: req.path });
      e = new AppError('INTERNAL_ERROR', 500, 'Internal error');
    }
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    res.status(e.status).json(errorBody(e.code, e.message, e.details));
  };
}
