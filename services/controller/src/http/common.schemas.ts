import Joi from 'joi';

/** Ids as the database makes them, in one spelling (lower case, no braces, as PostgreSQL prints them), so that ids compare equal in code too. */
export const uuid = Joi.string().guid({ version: ['uuidv4', 'uuidv5', 'uuidv7'], wrapper: false }).lowercase();
export const isoDate = Joi.string().isoDate();
export const nullableDate = isoDate.allow(null);

/** A point in time a query may filter by: ISO 8601, between 1970 and 9999 (what PostgreSQL and a JS Date both hold). */
export const queryDate = Joi.date()
  .iso()
  .min('1970-01-01T00:00:00Z')
  .max('9999-12-31T23:59:59Z')
  .messages({ 'date.min': '{{#label}} must be in 1970 or later', 'date.max': '{{#label}} must be before the year 10000' });

/** `?limit=&cursor=` of every keyset-paged listing. */
export const pageQuery = Joi.object({
  limit: Joi.number().integer().min(1).max(200).default(50),
  cursor: Joi.string().max(200),
});

/** The answer of a keyset-paged listing: `items`, and `nextCursor` (null on the last page). */
export function pageResponse(item: Joi.Schema): Joi.ObjectSchema {
  return Joi.object({ items: Joi.array().items(item).required(), nextCursor: Joi.string().allow(null).required() });
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export const routerIdParams = Joi.object({ id: uuid.required() });
