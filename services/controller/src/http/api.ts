import { Router, type RequestHandler } from 'express';
import type Joi from 'joi';
import j2s from 'joi-to-swagger';
import { validate } from './validate';

/** Who may call a route: anyone, a signed-in user, an admin, or a router with its router token. */
export type AuthMode = 'public' | 'user' | 'admin' | 'router';

export interface ResponseSpec {
  description: string;
  schema?: Joi.Schema;
  headers?: Record<string, string>;
}

/** One route, declared once: the same joi schemas validate requests and describe the API. */
export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path relative to the registry's mount point, e.g. `/routers/:id`. */
  path: string;
  summary: string;
  tags: string[];
  auth: AuthMode;
  body?: Joi.Schema;
  /** The body may be left out (documented as not required). */
  bodyOptional?: boolean;
  /** Request headers the route reads, for the document only (not validated). */
  headers?: { name: string; description: string; enum?: string[] }[];
  params?: Joi.ObjectSchema;
  query?: Joi.ObjectSchema;
  responses: Record<number, ResponseSpec>;
}

/** The handlers that run before validation, per auth mode: fixed, or made for each route. */
export type Guards = Record<AuthMode, RequestHandler[] | ((spec: RouteSpec) => RequestHandler[])>;

/**
 * An express Router that records every route it mounts. Route files stay thin: declare the
 * spec, pass a handler; validation and auth come from the spec.
 *
 * Routes are kept in one sub-router per literal first path segment (`/routers`, `/auth`, ...),
 * mounted in the order the segments first appear, so that a request is matched against a
 * handful of prefixes and then its own group's routes, not against every route before it.
 * The order of routes within a group is the registration order; routes in different groups
 * cannot match the same path. A route whose first segment is a parameter or pattern goes on
 * the main router at its place in the registration order.
 */
export class ApiRegistry {
  readonly router = Router();
  readonly specs: RouteSpec[] = [];
  private readonly groups = new Map<string, Router>();

  constructor(private readonly guards: Guards) {}

  route(spec: RouteSpec, handler: RequestHandler): this {
    this.specs.push(spec);
    const guard = this.guards[spec.auth];
    const handlers = [...(typeof guard === 'function' ? guard(spec) : guard)];
    if (spec.body || spec.params || spec.query) handlers.push(validate({ body: spec.body, params: spec.params, query: spec.query }));
    const split = /^(\/[A-Za-z0-9_.~-]+)(\/.*)?$/.exec(spec.path);
    if (!split) {
      this.router[spec.method](spec.path, ...handlers, handler);
      return this;
    }
    const [, prefix, rest = '/'] = split;
    let group = this.groups.get(prefix);
    if (!group) {
      group = Router();
      this.groups.set(prefix, group);
      this.router.use(prefix, group);
    }
    group[spec.method](rest, ...handlers, handler);
    return this;
  }
}

/** The route pattern a request matched, e.g. `/api/v1/routers/:id` (a group's own `/` is its prefix). */
export function routePattern(baseUrl: string, routePath: string): string {
  return routePath === '/' && baseUrl ? baseUrl : `${baseUrl}${routePath}`;
}

const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

type Schema = Record<string, unknown>;

/**
 * OpenAPI 3.0.3 says an enum of a nullable schema must list null itself; joi-to-swagger
 * drops it from `.valid(..., null)`, so it goes back in here.
 */
function nullableEnums(schema: unknown): void {
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Schema;
  if (s.nullable === true && Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
  for (const value of Object.values(s)) {
    if (Array.isArray(value)) value.forEach(nullableEnums);
    else nullableEnums(value);
  }
}

function schemaOf(joi: Joi.Schema): Schema {
  const schema = j2s(joi).swagger as Schema;
  nullableEnums(schema);
  return schema;
}

function parameters(where: 'path' | 'query', joi: Joi.ObjectSchema | undefined): Schema[] {
  if (!joi) return [];
  const s = schemaOf(joi) as { properties?: Record<string, Schema>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    schema,
  }));
}

export const errorResponseSchema: Schema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {},
        requestId: { type: 'string', nullable: true },
      },
    },
  },
};

/** The OpenAPI 3.0 document of every registered route. */
export function buildOpenApi(opts: { title: string; version: string; basePath: string; specs: RouteSpec[] }): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const spec of opts.specs) {
    const p = `${opts.basePath}${openApiPath(spec.path)}`;
    const responses: Record<string, Schema> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      const response: Schema = { description: r.description };
      if (r.schema) response.content = { 'application/json': { schema: schemaOf(r.schema) } };
      if (r.headers) {
        response.headers = Object.fromEntries(
          Object.entries(r.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }]),
        );
      }
      responses[status] = response;
    }
    const defaults: Record<number, string> = { 400: 'Invalid input', 500: 'Internal error' };
    if (spec.body) defaults[413] = 'Request body too large';
    if (spec.auth !== 'public') defaults[401] = 'Not authenticated';
    if (spec.auth === 'admin') defaults[403] = 'Not an admin';
    // Routes without a user are guarded by per-address and in-flight limits (http/anonymous-limits.ts).
    if (spec.auth === 'public' || spec.auth === 'router') defaults[429] = 'Too many requests from this address, or too many at once; see Retry-After';
    for (const [status, description] of Object.entries(defaults)) {
      responses[status] ??= { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    for (const [status, r] of Object.entries(responses)) {
      if (Number(status) >= 400 && !r.content) r.content = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
    }
    const op: Schema = {
      summary: spec.summary,
      tags: spec.tags,
      operationId: `${spec.method}${p.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters: [
        ...parameters('path', spec.params),
        ...parameters('query', spec.query),
        ...(spec.headers ?? []).map((h) => ({
          name: h.name,
          in: 'header',
          required: false,
          description: h.description,
          schema: h.enum ? { type: 'string', enum: h.enum } : { type: 'string' },
        })),
      ],
      responses,
    };
    if (spec.body) op.requestBody = { required: !spec.bodyOptional, content: { 'application/json': { schema: schemaOf(spec.body) } } };
    if (spec.auth === 'public') op.security = [];
    else if (spec.auth === 'router') op.security = [{ routerToken: [] }];
    (paths[p] ??= {})[spec.method] = op;
  }
  return {
    openapi: '3.0.3',
    info: { title: opts.title, version: opts.version },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        routerToken: { type: 'http', scheme: 'bearer', description: 'The router token from POST /routers/register' },
      },
      schemas: { Error: errorResponseSchema },
    },
    paths,
  };
}
