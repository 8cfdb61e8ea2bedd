import { AppError } from '@netpilot/service-kit';

/** Every error the audit module answers with, declared once. */
export const AuditErrors = {
  sealBusy: () =>
    new AppError('AUDIT_SEAL_BUSY', 503, 'Another process has been sealing the audit log for a while; try verify again in a few seconds', undefined, {
      'Retry-After': '5',
    }),
};
