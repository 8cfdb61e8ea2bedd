import { AppError } from '@netpilot/service-kit';

/** Where a keyset page starts: after (or before) the row with this time and id. */
export interface PageCursor {
  at: Date;
  id: string;
}

/** Opaque cursors: base64url of `<iso time>|<id>`. */
export function encodeCursor(c: PageCursor): string {
  return Buffer.from(`${c.at.toISOString()}|${c.id}`).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Cursor times PostgreSQL can hold and we could have written (years 1970 to 9999). */
const CURSOR_TIME_RANGE = [Date.UTC(1970, 0, 1), Date.UTC(10000, 0, 1)] as const;

/**
 * The cursor, or null if it is not one this API wrote. Strict, because a page query may be
 * read together with other callers' (the router listing): a value PostgreSQL refused would fail them too.
 */
export function decodeCursor(text: string): PageCursor | null {
  const [at, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  const time = date.getTime();
  if (rest.length || !id || !UUID.test(id) || !(time >= CURSOR_TIME_RANGE[0] && time < CURSOR_TIME_RANGE[1])) return null;
  return { at: date, id };
}

/** 400 for a cursor this API did not write. */
export function invalidCursor(): AppError {
  return new AppError('INVALID_CURSOR', 400, 'The cursor is not one this API returned');
}

/** The cursor of a page request (null for the first page), or 400 INVALID_CURSOR. */
export function cursorOf(text: string | undefined): PageCursor | null {
  if (!text) return null;
  const cursor = decodeCursor(text);
  if (!cursor) throw invalidCursor();
  return cursor;
}

/**
 * A page from rows read with `limit + 1`: the first `limit`, and the cursor of the last of
 * them when there was one more (null at the end).
 */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => PageCursor): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
