import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import type { RouterTarget } from '@netpilot/contracts';
import { generateEd25519, startRouterSim, type RouterSim, type RouterSimOptions } from '@netpilot/router-sim';
import type { ExecutorConfig } from '../../src/config';
import { buildExecutor, type Executor } from '../../src/executor';
import { createLogger } from '@netpilot/service-kit';

export const TEST_TOKEN = 'test-service-token-0123456789abcdef0123456789';

/** Executor settings for tests: the real defaults with short timeouts, overridable per test. */
export function buildConfig(overrides: Partial<ExecutorConfig> = {}): ExecutorConfig {
  return {
    nodeEnv: 'test',
    port: 0,
    host: '127.0.0.1',
    token: TEST_TOKEN,
    connectionIdleMs: 60_000,
    sessionIdleMs: 30 * 60_000,
    connectTimeoutMs: 3000,
    actionTimeoutMs: 3000,
    maxChannelsPerConnection: 8,
    maxHandshakesPerHost: 4,
    logLevel: 'silent',
    logFormat: 'json',
    // The simulators listen on loopback, which routers may otherwise not use.
    destinations: { specialAddresses: ['127.0.0.1'], endpoints: [], tunnelPorts: { min: 20000, max: 29999 } },
    ...overrides,
  };
}

/** A fresh executor (its own registry, pools and metrics) with the real drivers. */
export function buildTestExecutor(overrides: Partial<ExecutorConfig> = {}): Executor & { config: ExecutorConfig } {
  const config = buildConfig(overrides);
  const logger = createLogger({ level: 'silent', format: 'json', service: 'executor-test' });
  return { ...buildExecutor({ config, logger }), config };
}

/** The executor app listening on an ephemeral loopback port. */
export async function listen(executor: Executor, port = 0): Promise<{ server: Server; baseUrl: string; port: number }> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = executor.app.listen(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const p = (server.address() as AddressInfo).port;
  return { server, baseUrl: `http://127.0.0.1:${p}`, port: p };
}

/** Stops a listening app and drops its keep-alive sockets. */
export function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A router target pointing at a simulator; every field overridable (new credentials, pins, ...). */
export function routerFor(sim: RouterSim, overrides: Partial<RouterTarget> = {}): RouterTarget {
  return {
    id: `router-${sim.port}`,
    host: sim.host,
    port: sim.port,
    username: sim.username,
    password: sim.password,
    platform: sim.state.platform,
    ...overrides,
  };
}

/** A session id no other test uses. */
export function newSessionId(): string {
  return `s-${randomUUID()}`;
}

/** A loopback port with nothing listening on it: bound, noted, closed. */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Polls until `check` is true (bounded), for effects of timers; never asserts on time itself. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, limitMs = 5000): Promise<void> {
  const until = Date.now() + limitMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`gave up waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reads one sample of a metric from the executor's Prometheus text. */
export async function metricValue(executor: Executor, name: string, labels: Record<string, string> = {}): Promise<number> {
  const { body } = await executor.metrics.render();
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  for (const line of body.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ? m[2].split(',') : []).sort();
    if (want.every((w) => have.includes(w)) && have.length === want.length) return Number(m[3]);
  }
  return 0;
}

/** An ed25519 key pair that ssh2 can read back (the simulator's generator retries ssh2's rare bad keys). */
export const ed25519Pair = (comment = 'netpilot-test') => generateEd25519(comment);

/** A router simulator for these tests (linux-nft unless told otherwise). */
export function startSim(opts: RouterSimOptions = {}): Promise<RouterSim> {
  return startRouterSim({ platform: 'linux-nft', ...opts });
}

/** Starts a new executor session through the API (with the service token); returns its id. */
export async function startSession(executor: Executor): Promise<string> {
  const sessionId = newSessionId();
  await request(executor.app).post('/api/session/start').set({ authorization: `Bearer ${TEST_TOKEN}` }).send({ sessionId }).expect(200);
  return sessionId;
}

/** `POST /api/actions/:action` through the API, with the service token. */
export function act(executor: Executor, action: string, sessionId: string, router: RouterTarget, params: Record<string, unknown> = {}) {
  return request(executor.app).post(`/api/actions/${action}`).set({ authorization: `Bearer ${TEST_TOKEN}` }).send({ sessionId, router, params });
}
