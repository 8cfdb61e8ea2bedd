import type { RequestHandler } from 'express';
import { AppError } from './errors';

/** A NUL, or a UTF-16 surrogate without its partner: text no database column can hold and no person meant. */
const MALFORMED = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path (like `body.name` or `query.actor`) of the first malformed string in `value`, keys included; null if none. */
export function findMalformedText(value: unknown, at: string, depth = 0): string | null {
  if (typeof value === 'string') return MALFORMED.test(value) ? at : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    const here = Array.isArray(value) ? `${at}[${key}]` : `${at}.${key}`;
    if (MALFORMED.test(key)) return here;
    const found = findMalformedText(inner, here, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Refuses, before any route sees them, request bodies and queries that carry NUL characters
 * or lone surrogates (400 INVALID_TEXT): they would otherwise reach PostgreSQL, which
 * refuses them with an error the caller did not cause.
 */
export const rejectMalformedText: RequestHandler = (req, _res, next) => {
  const where = findMalformedText(req.body, 'body') ?? findMalformedText(req.query, 'query');
  if (where) {
    next(new AppError('INVALID_TEXT', 400, `Text must be valid Unicode without NUL characters (${where})`, [{ in: where.split('.')[0], path: where, message: 'malformed text' }]));
    return;
  }
  next();
};

/** `value` with every NUL and lone surrogate in its strings (and keys) replaced by U+FFFD. */
export function sanitizeText<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return value.replace(new RegExp(MALFORMED.source, 'g'), '\uFFFD') as T;
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => sanitizeText(v, depth + 1)) as T;
  // Dates and other objects keep their own serialisation.
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [sanitizeText(k), sanitizeText(v, depth + 1)])) as T;
}
