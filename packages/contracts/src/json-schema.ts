import type Joi from 'joi';
import j2s from 'joi-to-swagger';
import { ACTION_CATALOG, ACTION_NAMES, type CatalogEntry } from './actions';

/** JSON schema (OpenAPI 3 dialect) of a joi schema: one source for validation and documentation. */
export function toJsonSchema(schema: Joi.Schema): Record<string, unknown> {
  return j2s(schema).swagger as Record<string, unknown>;
}

/** The catalog as `GET /api/actions` serves it. */
export function describeCatalog(): CatalogEntry[] {
  return ACTION_NAMES.map((name) => {
    const spec = ACTION_CATALOG[name];
    return {
      name,
      changesRouter: spec.changesRouter,
      description: spec.description,
      paramsSchema: toJsonSchema(spec.params),
    };
  });
}
