/**
 * The console's only way to the controller: same-origin fetch to /api/v1, typed by the
 * controller's own OpenAPI document (schema.d.ts, generated from it and checked by npm test).
 * The access token lives in this module's memory only; the refresh token is an HttpOnly
 * cookie the browser sends to /api/v1/auth/refresh and this code never sees.
 */
import type { paths } from './schema';

type Method = 'get' | 'post' | 'patch' | 'delete';
type Paths = keyof paths;
type Op<P extends Paths, M extends Method> = NonNullable<paths[P][M]>;
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : undefined;
type Responses<P extends Paths, M extends Method> = Op<P, M> extends { responses: infer R } ? R : never;
type Success<R> = (200 extends keyof R ? JsonOf<R[200]> : never) | (201 extends keyof R ? JsonOf<R[201]> : never) | (202 extends keyof R ? JsonOf<R[202]> : never) | (204 extends keyof R ? undefined : never);
/** What a successful call answers. */
export type Answer<P extends Paths, M extends Method> = Success<Responses<P, M>>;
/** The JSON body a call takes. */
export type BodyOf<P extends Paths, M extends Method> = Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
export type PathsWith<M extends Method> = { [P in Paths]: paths[P][M] extends undefined | never ? never : P }[Paths];

export interface CallOptions {
  path?: Record<string, string>;
  /** A list is sent as the parameter repeated (`level=warn&level=error`). */
  query?: Record<string, string | number | string[] | undefined | null>;
  body?: unknown;
  /** Leave out the Authorization header (sign-in, setup). */
  anonymous?: boolean;
}

/** An error answer of the API, in its documented shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** Field messages from a 400's details, by field path. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(this.details)) {
      for (const d of this.details as { path?: string; message?: string }[]) {
        if (d.path && d.message && !out[d.path]) out[d.path] = d.message.replace(/^"([^"]+)"/, (_m, f: string) => f);
      }
    }
    return out;
  }
}

/** Any failure as an ApiError (a thrown non-API error becomes code UNKNOWN). */
export function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError(0, 'UNKNOWN', err instanceof Error ? err.message : String(err));
}

export interface Session {
  accessToken: string;
  expiresIn: number;
  user: Answer<'/api/v1/auth/me', 'get'>['user'];
}

type Listener = (session: Session | null, reason?: string) => void;
let session: Session | null = null;
const listeners = new Set<Listener>();
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

export function currentSession(): Session | null {
  return session;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Replaces the in-memory session (null: signed out here) and tells the app. */
export function setSession(next: Session | null, reason?: string): void {
  session = next;
  clearTimeout(refreshTimer);
  // Refresh a minute before the access token expires, so requests and the stream never wait on it.
  if (next) refreshTimer = setTimeout(() => void refreshSession(), Math.max(10, next.expiresIn - 60) * 1000);
  for (const l of listeners) l(next, reason);
}

let refreshing: Promise<boolean> | null = null;

/**
 * A new access token from the refresh cookie. One at a time per tab, and one at a time
 * across tabs (Web Locks): the cookie's token is spent by each use, and two tabs presenting
 * the same one at once would look like theft and end the session.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const run = async () => {
      try {
        const res = await fetch('/api/v1/auth/refresh', { method: 'POST', headers: { 'X-NetPilot-Client': 'console' }, credentials: 'same-origin' });
        if (!res.ok) {
          if (session) setSession(null, 'Your session has ended. Sign in again.');
          return false;
        }
        const body = (await res.json()) as Session;
        setSession({ accessToken: body.accessToken, expiresIn: body.expiresIn, user: body.user });
        return true;
      } catch {
        return false;
      }
    };
    return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks.request('netpilot-refresh', run) : run();
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function urlOf(template: string, opts: CallOptions): string {
  const filled = template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const value = opts.path?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined && one !== null && one !== '') query.append(k, String(one));
  }
  const qs = query.toString();
  return qs ? `${filled}?${qs}` : filled;
}

async function toError(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; details?: unknown } } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    /* not JSON */
  }
  const retry = Number(res.headers.get('retry-after')) || undefined;
  return new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? `The server answered ${res.status}`, body.error?.details, retry);
}

/** 401 codes that a fresh access token cures. */
const STALE_TOKEN = new Set(['TOKEN_EXPIRED', 'INVALID_TOKEN', 'UNAUTHORIZED']);

async function call(method: Method, template: string, opts: CallOptions = {}, retried = false): Promise<unknown> {
  const headers: Record<string, string> = { Accept: 'application/json', 'X-NetPilot-Client': 'console' };
  if (!opts.anonymous && session) headers.Authorization = `Bearer ${session.accessToken}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(urlOf(template, opts), { method: method.toUpperCase(), headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The controller cannot be reached. Check that NetPilot is running, then try again.');
  }
  if (res.status === 401 && !opts.anonymous && !retried) {
    const err = await toError(res);
    if (STALE_TOKEN.has(err.code) && (await refreshSession())) return call(method, template, opts, true);
    if (err.code === 'SESSION_ENDED' || err.code === 'ACCOUNT_DISABLED') setSession(null, err.message);
    throw err;
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined;
  return res.json();
}

/** Typed calls: the path is a key of the OpenAPI document, the answer its success schema. */
export const api = {
  get: <P extends PathsWith<'get'>>(path: P, opts?: CallOptions) => call('get', path, opts) as Promise<Answer<P, 'get'>>,
  post: <P extends PathsWith<'post'>>(path: P, opts?: CallOptions & { body?: BodyOf<P, 'post'> }) => call('post', path, opts) as Promise<Answer<P, 'post'>>,
  patch: <P extends PathsWith<'patch'>>(path: P, opts?: CallOptions & { body?: BodyOf<P, 'patch'> }) => call('patch', path, opts) as Promise<Answer<P, 'patch'>>,
  delete: <P extends PathsWith<'delete'>>(path: P, opts?: CallOptions) => call('delete', path, opts) as Promise<Answer<P, 'delete'>>,
  /**
   * Every item of a paged listing: pages of 200 fetched one after another, following
   * `nextCursor`, up to `MAX_PAGES` (the answer's `nextCursor` says whether more were left).
   */
  all: async <P extends PagedPaths>(path: P, opts: CallOptions = {}): Promise<Answer<P, 'get'>> => {
    let page = (await call('get', path, { ...opts, query: { ...opts.query, limit: 200 } })) as Paged;
    const items = [...page.items];
    for (let n = 1; page.nextCursor && n < MAX_PAGES; n++) {
      page = (await call('get', path, { ...opts, query: { ...opts.query, limit: 200, cursor: page.nextCursor } })) as Paged;
      items.push(...page.items);
    }
    return { ...page, items } as Answer<P, 'get'>;
  },
};

/** At most this many pages (of 200) for one `api.all`. */
const MAX_PAGES = 50;
interface Paged {
  items: unknown[];
  nextCursor: string | null;
}
/** The listings paged with `limit` and `cursor`. */
type PagedPaths = { [P in PathsWith<'get'>]: Answer<P, 'get'> extends { items: unknown[]; nextCursor: string | null } ? P : never }[PathsWith<'get'>];

/** Signs in for the console: the refresh token comes back as a cookie, the rest here. */
export async function signIn(input: { username: string; password: string; totp?: string }): Promise<Session> {
  const body = (await call('post', '/api/v1/auth/login', { body: input, anonymous: true })) as Session;
  const next = { accessToken: body.accessToken, expiresIn: body.expiresIn, user: body.user };
  setSession(next);
  return next;
}

export async function signOut(): Promise<void> {
  try {
    if (session) await call('post', '/api/v1/auth/logout', {}, true);
  } catch {
    /* signed out here either way */
  }
  setSession(null, 'You have signed out.');
}
