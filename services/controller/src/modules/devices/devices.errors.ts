import { AppError } from '@netpilot/service-kit';

/** Every error the devices module answers with, declared once. */
export const DeviceErrors = {
  notFound: () => AppError.notFound('DEVICE_NOT_FOUND', 'No such device on this router; scan the router to see its devices'),
};
