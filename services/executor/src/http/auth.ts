import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../errors';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Bearer service-token check. Both sides are hashed first so the comparison is
 * constant-time whatever the presented length.
 */
export function requireServiceToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]), expected)) {
      next(new AppError('UNAUTHORIZED', 'Missing or invalid service token'));
      return;
    }
    next();
  };
}
