import { AppError } from '@netpilot/service-kit';

/** Every error the reconcile module answers with, declared once. */
export const ReconcileErrors = {
  busy: () =>
    new AppError('RECONCILE_BUSY', 409, 'Another reconcile of this router is still running; try again in a few seconds', undefined, {
      'Retry-After': '5',
    }),
};
