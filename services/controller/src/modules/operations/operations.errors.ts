import { AppError } from '@netpilot/service-kit';

/** Every error the operations module answers with, declared once. */
export const OperationErrors = {
  /** Also the answer for another user's operation. */
  notFound: () => AppError.notFound('OPERATION_NOT_FOUND', 'Operation not found'),
  noRouters: () => new AppError('NO_ROUTERS', 400, 'You have no router to operate'),
  tooManyRouters: (max: number) => new AppError('TOO_MANY_ROUTERS', 400, `all: true names more than ${max} routers; give routerIds in parts`),
};
