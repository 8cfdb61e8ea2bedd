import { EXECUTOR_ERROR_STATUS, errorEnvelope, type EnvelopeMetadata, type ExecutorErrorCode } from '@netpilot/contracts';
import { AppError as KitAppError } from '@netpilot/service-kit';

/**
 * The executor's AppError: a code from the contract (its status follows from it), and the
 * envelope metadata known when it failed.
 */
export class AppError extends KitAppError {
  declare readonly code: ExecutorErrorCode;
  constructor(
    code: ExecutorErrorCode,
    message: string,
    details?: unknown,
    readonly metadata: Partial<EnvelopeMetadata> = {},
  ) {
    super(code, EXECUTOR_ERROR_STATUS[code], message, details);
  }
}

/** Every executor error leaves as the contract's envelope. */
export function renderEnvelope(err: KitAppError): unknown {
  const metadata = err instanceof AppError ? err.metadata : {};
  return errorEnvelope({ code: err.code as ExecutorErrorCode, message: err.message, details: err.details }, metadata);
}
