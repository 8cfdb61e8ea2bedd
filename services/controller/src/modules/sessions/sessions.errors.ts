import { AppError } from '@netpilot/service-kit';

/** Every error the sessions module answers with, declared once. */
export const SessionErrors = {
  notFound: () => AppError.notFound('SESSION_NOT_FOUND', 'No such active session'),
};
