import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import type { Envelope, EnvelopeMetadata } from '@netpilot/contracts';
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
    try {
      res = await this.http.request({ method, url, data: body, headers: this.headers(opts) });
    } catch (err) {
      throw this.toError(err);
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
