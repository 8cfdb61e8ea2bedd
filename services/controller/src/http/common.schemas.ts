import Joi from 'joi';

/** Ids as the database makes them. */
export const uuid = Joi.string().guid({ version: ['uuidv4', 'uuidv5', 'uuidv7'] });
export const isoDate = Joi.string().isoDate();
export const nullableDate = isoDate.allow(null);

/** `?limit=&cursor=` of every keyset-paged listing. */
export const pageQuery = Joi.object({
  limit: Joi.number().integer().min(1).max(200).default(50),
  cursor: Joi.string().max(200),
});

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export const routerIdParams = Joi.object({ id: uuid.required() });
