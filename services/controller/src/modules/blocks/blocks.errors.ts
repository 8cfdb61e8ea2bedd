import { AppError } from '@netpilot/service-kit';

/** Every error the blocks module answers with, declared once. */
export const BlockErrors = {
  notFound: () => AppError.notFound('BLOCK_NOT_FOUND', 'Block not found'),
};
