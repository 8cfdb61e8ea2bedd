import type { RequestHandler } from 'express';
import type Joi from 'joi';
import { AppError, validationDetails } from '@netpilot/service-kit';

export interface RequestSchemas {
  body?: Joi.Schema;
  params?: Joi.Schema;
  query?: Joi.Schema;
}

type Where = 'body' | 'params' | 'query';

/**
 * Validates and normalises body, params and query at the edge. Unknown keys are refused;
 * the converted values replace the raw ones, so services only ever see parsed input.
 */
export function validate(schemas: RequestSchemas): RequestHandler {
  // Preferences baked into the schemas once: joi then reuses its merged settings, where a
  // per-call options object is cloned and merged on every request.
  const checks = (['body', 'params', 'query'] as const)
    .filter((where) => schemas[where])
    .map((where) => ({ where, schema: schemas[where]!.prefs({ abortEarly: false, convert: true, stripUnknown: false }) }));
  if (!checks.length) return (_req, _res, next) => next();
  return (req, _res, next) => {
    const details: { in: string; path: string; message: string }[] = [];
    const values: Partial<Record<Where, unknown>> = {};
    for (const { where, schema } of checks) {
      // Read only what has a schema: in Express 5 `req.query` parses the URL on every access.
      const { error, value } = schema.validate(req[where] ?? {});
      if (error) {
        // A secret field's value is never quoted back (joi quotes it in pattern failures).
        for (const d of validationDetails(error)) details.push({ in: where, path: d.path, message: d.message });
      }
      values[where] = value;
    }
    if (details.length) {
      next(AppError.badRequest(details[0].message, details));
      return;
    }
    if ('body' in values) req.body = values.body;
    if ('params' in values) req.params = values.params as typeof req.params;
    // Express 5 exposes req.query through a getter; shadow it with the parsed value.
    if ('query' in values) Object.defineProperty(req, 'query', { value: values.query, writable: true, configurable: true });
    next();
  };
}
