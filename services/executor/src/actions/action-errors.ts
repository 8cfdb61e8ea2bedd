import type Joi from 'joi';
import { validationDetails } from '@netpilot/service-kit';
import { AppError } from '../errors';
import { CommandFailedError } from '../platforms/types';
import {
  ActionTimeoutError,
  ChannelRefusedError,
  ConnectionLostError,
  OutputTooLargeError,
  trimStderr,
} from '../ssh/errors';

/** Builds the VALIDATION_FAILED error for a joi failure. */
export function validationFailed(error: Joi.ValidationError, prefix?: string): AppError {
  const details = validationDetails(error, prefix);
  return new AppError('VALIDATION_FAILED', details.map((d) => d.message).join('; '), details);
}

/** True for the driver layer's "unsupported platform" error, whatever its class. */
function isUnsupportedPlatform(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown } | null;
  return !!e && (e.code === 'UNSUPPORTED_PLATFORM' || e.name === 'UnsupportedPlatformError');
}

/**
 * Maps what can go wrong while an action runs to the contract's codes. Returns null for
 * errors we do not know (the caller logs those with their stack and answers INTERNAL_ERROR).
 */
export function actionErrorToAppError(err: unknown, ctx: { actionTimeoutMs: number }): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof CommandFailedError) {
    return new AppError('COMMAND_FAILED', 'The router command failed', {
      exitCode: err.exitCode,
      stderr: trimStderr(err.stderr),
    });
  }
  if (err instanceof ActionTimeoutError) {
    return new AppError('TIMEOUT', `The router did not finish the action within ${ctx.actionTimeoutMs} ms`, {
      timeoutMs: ctx.actionTimeoutMs,
    });
  }
  if (err instanceof ConnectionLostError) {
    return new AppError('ROUTER_UNREACHABLE', 'The SSH connection to the router was lost during the action', {
      reason: 'CONNECTION_LOST',
    });
  }
  if (err instanceof ChannelRefusedError) {
    return new AppError('ROUTER_UNREACHABLE', 'The router refused to open a command channel', {
      reason: 'CHANNEL_REFUSED',
    });
  }
  if (err instanceof OutputTooLargeError) {
    return new AppError('COMMAND_FAILED', 'The router command wrote too much output', { limitBytes: err.limitBytes });
  }
  if (isUnsupportedPlatform(err)) {
    return new AppError('UNSUPPORTED_PLATFORM', (err as Error).message);
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'UNSAFE_COMMAND_VALUE') {
    // Validation should have refused this already; the builders are the second line.
    return new AppError('VALIDATION_FAILED', 'A value is not allowed in a router command');
  }
  return null;
}
