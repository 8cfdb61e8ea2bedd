import { AppError } from '../errors';

/** The session ended while an action waited or ran. */
export function sessionEndedError(sessionId: string): AppError {
  return new AppError('SESSION_NOT_FOUND', 'The session ended during the action', { sessionId });
}
