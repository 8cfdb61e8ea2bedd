import { AppError } from '@netpilot/service-kit';

/** Every error the schedules module answers with, declared once. */
export const ScheduleErrors = {
  notFound: () => AppError.notFound('SCHEDULE_NOT_FOUND', 'Schedule not found'),
  tooMany: (max: number) => AppError.conflict('SCHEDULE_LIMIT', `A router may have at most ${max} schedules; delete one you no longer need`),
};
