import { AppError } from '@netpilot/service-kit';

/** Every error the blocks module answers with, declared once. */
export const BlockErrors = {
  notFound: () => AppError.notFound('BLOCK_NOT_FOUND', 'Block not found'),
  untilInvalid: () => new AppError('BLOCK_UNTIL_INVALID', 400, 'until must be in the future and at most a year away; leave it out to block until you unblock'),
};
