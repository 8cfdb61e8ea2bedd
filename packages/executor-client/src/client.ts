import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import type {
  ActionName,
  ActionParams,
  ActionResult,
  BlockedSet,
  BlockResult,
  CatalogEntry,
  DeviceTarget,
  Envelope,
  EnvelopeMetadata,
  InfoResult,
  PingResult,
  RouterTarget,
  ScanResult,
} from '@netpilot/contracts';
import { ExecutorError } from './errors';

export interface ExecutorClientOptions {
  baseUrl: string;
  token: string;
  /** Per-request timeout; router actions are bounded by the executor's own timeouts below this. */
  timeoutMs?: number;
}

export interface CallOptions {
  /** Forwarded as x-request-id so one id follows an action across both services. */
  requestId?: string;
}

export interface Unpacked<T> {
  data: T;
  metadata: EnvelopeMetadata;
}

function isStaleSocketError(err: unknown): boolean {
  return isAxiosError(err) && !err.response && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
}

function isEnvelope(body: unknown): body is Envelope {
  return typeof body === 'object' && body !== null && 'success' in body && 'metadata' in body;
}

/** Typed client for the executor's HTTP API: the only way the controller reaches it. */
export class ExecutorClient {
  protected readonly http: AxiosInstance;

  constructor(readonly options: ExecutorClientOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/$/, ''),
      timeout: options.timeoutMs ?? 30_000,
      headers: { authorization: `Bearer ${options.token}` },
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
      // Every answer is an envelope; we read the status ourselves.
      validateStatus: () => true,
      maxRedirects: 0,
    });
  }

  /** Resolves when the executor process answers its health check. */
  async health(opts: CallOptions = {}): Promise<void> {
    try {
      const res = await this.http.get('/healthz', { headers: this.headers(opts), timeout: 2000 });
      if (res.status !== 200) throw new ExecutorError('EXECUTOR_UNAVAILABLE', `executor health answered ${res.status}`, res.status);
    } catch (err) {
      throw this.toError(err);
    }
  }

  /** Starts (idempotently) an executor session. */
  async startSession(sessionId: string, opts: CallOptions = {}): Promise<void> {
    await this.call('post', '/api/session/start', { sessionId }, opts);
  }

  /** Ends an executor session and closes its SSH connections. Idempotent. */
  async endSession(sessionId: string, opts: CallOptions = {}): Promise<void> {
    await this.call('post', '/api/session/end', { sessionId }, opts);
  }

  /** The action catalog: names, whether each changes the router, and JSON schemas of their params. */
  async catalog(opts: CallOptions = {}): Promise<CatalogEntry[]> {
    return (await this.call<CatalogEntry[]>('get', '/api/actions', undefined, opts)).data;
  }

  /** Blocks a device by `{ip}` or `{mac}` on the router; idempotent. */
  block(sessionId: string, router: RouterTarget, target: DeviceTarget, opts: CallOptions = {}): Promise<Unpacked<BlockResult>> {
    return this.action('block', sessionId, router, target, opts);
  }

  /** Undoes `block`; idempotent. */
  unblock(sessionId: string, router: RouterTarget, target: DeviceTarget, opts: CallOptions = {}): Promise<Unpacked<BlockResult>> {
    return this.action('unblock', sessionId, router, target, opts);
  }

  /** What the router enforces now. */
  listBlocked(sessionId: string, router: RouterTarget, opts: CallOptions = {}): Promise<Unpacked<BlockedSet>> {
    return this.action('list-blocked', sessionId, router, {}, opts);
  }

  /** Devices seen now: neighbour table and DHCP leases merged by MAC, with vendors. */
  scan(sessionId: string, router: RouterTarget, opts: CallOptions = {}): Promise<Unpacked<ScanResult>> {
    return this.action('scan', sessionId, router, {}, opts);
  }

  /** Uptime, load, memory, OS/firmware and hostname of the router. */
  info(sessionId: string, router: RouterTarget, opts: CallOptions = {}): Promise<Unpacked<InfoResult>> {
    return this.action('info', sessionId, router, {}, opts);
  }

  /** Resolves when the router is reachable over SSH and accepts the credentials. */
  ping(sessionId: string, router: RouterTarget, opts: CallOptions = {}): Promise<Unpacked<PingResult>> {
    return this.action('ping', sessionId, router, {}, opts);
  }

  /**
   * Runs any allowlisted action. A session the executor no longer knows (e.g. after it
   * restarted) is started again and the call retried once, transparently.
   */
  async action<A extends ActionName>(
    name: A,
    sessionId: string,
    router: RouterTarget,
    params: ActionParams<A>,
    opts: CallOptions = {},
  ): Promise<Unpacked<ActionResult<A>>> {
    const url = `/api/actions/${encodeURIComponent(name)}`;
    const body = { sessionId, router, params };
    try {
      return await this.call<ActionResult<A>>('post', url, body, opts);
    } catch (err) {
      if (!(err instanceof ExecutorError) || err.code !== 'SESSION_NOT_FOUND') throw err;
      await this.startSession(sessionId, opts);
      return this.call<ActionResult<A>>('post', url, body, opts);
    }
  }

  protected headers(opts: CallOptions): Record<string, string> {
    return opts.requestId ? { 'x-request-id': opts.requestId } : {};
  }

  /** One HTTP call, its envelope unpacked into data or an ExecutorError. */
  protected async call<T>(
    method: 'get' | 'post',
    url: string,
    body: unknown,
    opts: CallOptions,
  ): Promise<Unpacked<T>> {
    let res;
    const send = () => this.http.request({ method, url, data: body, headers: this.headers(opts) });
    try {
      res = await send();
    } catch (err) {
      // A kept-alive socket the executor closed (restart, idle timeout) resets the next
      // request before any answer. Every executor call is idempotent, so one resend on a
      // fresh socket is safe.
      if (!isStaleSocketError(err)) throw this.toError(err);
      try {
        res = await send();
      } catch (again) {
        throw this.toError(again);
      }
    }
    const envelope: unknown = res.data;
    if (!isEnvelope(envelope)) {
      throw new ExecutorError('EXECUTOR_BAD_RESPONSE', `executor answered ${res.status} without an envelope`, res.status);
    }
    if (!envelope.success || envelope.error) {
      const e = envelope.error ?? { code: 'INTERNAL_ERROR' as const, message: 'executor reported failure' };
      throw new ExecutorError(e.code, e.message, res.status, e.details, envelope.metadata);
    }
    return { data: envelope.data as T, metadata: envelope.metadata };
  }

  protected toError(err: unknown): ExecutorError {
    if (err instanceof ExecutorError) return err;
    if (isAxiosError(err)) {
      const what = err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' ? 'timed out' : `unreachable (${err.code ?? err.message})`;
      return new ExecutorError('EXECUTOR_UNAVAILABLE', `executor ${what}`, null);
    }
    return new ExecutorError('EXECUTOR_UNAVAILABLE', 'executor call failed', null);
  }
}
