import type { RequestHandler } from 'express';
import type Joi from 'joi';
import { AppError } from '../errors';

export interface RequestSchemas {
  body?: Joi.Schema;
  params?: Joi.Schema;
  query?: Joi.Schema;
}

/**
 * Validates and normalises body, params and query at the edge. Unknown keys are refused;
 * the converted values replace the raw ones, so services only ever see parsed input.
 */
export function validate(schemas: RequestSchemas): RequestHandler {
  return (req, _res, next) => {
    const details: { in: string; path: string; message: string }[] = [];
    const check = (where: 'body' | 'params' | 'query', schema: Joi.Schema | undefined, input: unknown) => {
      if (!schema) return undefined;
      const { error, value } = schema.validate(input ?? {}, { abortEarly: false, convert: true, stripUnknown: false });
      if (error) {
        for (const d of error.details) details.push({ in: where, path: d.path.join('.'), message: d.message });
      }
      return value;
    };
    const body = check('body', schemas.body, req.body);
    const params = check('params', schemas.params, req.params);
    const query = check('query', schemas.query, req.query);
    if (details.length) {
      next(AppError.badRequest(details[0].message, details));
      return;
    }
    if (schemas.body) req.body = body;
    if (schemas.params) req.params = params;
    // Express 5 exposes req.query through a getter; shadow it with the parsed value.
    if (schemas.query) Object.defineProperty(req, 'query', { value: query, writable: true, configurable: true });
    next();
  };
}
