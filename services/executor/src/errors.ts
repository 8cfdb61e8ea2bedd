import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  EXECUTOR_ERROR_STATUS,
  errorEnvelope,
  type EnvelopeMetadata,
  type ExecutorErrorCode,
} from '@netpilot/contracts';
import type { Logger } from './logger';

/** The one error type of the executor: a string code from the contract, a status derived from it. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ExecutorErrorCode,
    message: string,
    readonly details?: unknown,
    readonly metadata: Partial<EnvelopeMetadata> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = EXECUTOR_ERROR_STATUS[code];
  }
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', `No route ${req.method} ${req.path}`));
};

/** Every error leaves as the envelope; unknown errors are logged with their stack and answered generically. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let appError: AppError;
    if (err instanceof AppError) {
      appError = err;
    } else if (err?.type === 'entity.parse.failed') {
      appError = new AppError('VALIDATION_FAILED', 'Request body is not valid JSON');
    } else if (err?.type === 'entity.too.large') {
      appError = new AppError('VALIDATION_FAILED', 'Request body is too large');
    } else {
      logger.error('unhandled error', { err, method: req.method, path: req.path });
      appError = new AppError('INTERNAL_ERROR', 'Internal error');
    }
    if (res.headersSent) return;
    res.status(appError.status).json(
      errorEnvelope(
        { code: appError.code, message: appError.message, details: appError.details },
        appError.metadata,
      ),
    );
  };
}
