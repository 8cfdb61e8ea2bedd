import type { EnvelopeMetadata, ExecutorErrorCode } from '@netpilot/contracts';

/** An executor failure, carrying the contract's string code (instanceof does not cross processes; codes do). */
export class ExecutorError extends Error {
  constructor(
    readonly code: ExecutorErrorCode | 'EXECUTOR_UNAVAILABLE' | 'EXECUTOR_BAD_RESPONSE',
    message: string,
    readonly status: number | null,
    readonly details?: unknown,
    readonly metadata?: EnvelopeMetadata,
  ) {
    super(message);
    this.name = 'ExecutorError';
  }
}
