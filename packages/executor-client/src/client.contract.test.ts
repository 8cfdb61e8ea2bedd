import express from 'express';
import type { Server } from 'node:http';
import type { RouterSim } from '@netpilot/router-sim';
import type { Executor } from '../../../services/executor/src/executor';
import {
  buildTestExecutor,
  closedPort,
  listen,
  newSessionId,
  routerFor,
  startSim,
  stopServer,
  TEST_TOKEN,
} from '../../../services/executor/test/support/executor-harness';
import { ExecutorClient, ExecutorError } from './index';

// Contract tests: the client against the real executor app on an ephemeral port and
// the router simulator — the same wire format the controller will see.

let sim: RouterSim;
let executor: Executor;
let server: Server;
let port: number;
let client: ExecutorClient;
const seenRequestIds: Array<string | undefined> = [];

async function startExecutor(onPort = 0): Promise<void> {
  executor = buildTestExecutor();
  // A thin wrapper that records the x-request-id each call arrives with.
  const outer = express();
  outer.use((req, _res, next) => {
    seenRequestIds.push(req.get('x-request-id'));
    next();
  });
  outer.use(executor.app);
  server = await new Promise<Server>((resolve, reject) => {
    const s = outer.listen(onPort, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  port = (server.address() as { port: number }).port;
}

async function stopExecutor(): Promise<void> {
  executor.close();
  await stopServer(server);
}

beforeAll(async () => {
  sim = await startSim({ devices: [{ mac: 'b8:27:eb:00:00:01', ip: '192.168.1.40', hostname: 'kitchen-pi' }] });
  await startExecutor();
  client = new ExecutorClient({ baseUrl: `http://127.0.0.1:${port}`, token: TEST_TOKEN });
});

afterAll(async () => {
  await stopExecutor();
  await sim.close();
});

describe('ExecutorClient against the executor', () => {
  it('when the executor is up, then health resolves', async () => {
    await expect(client.health()).resolves.toBeUndefined();
  });

  it('when the catalog is asked, then it lists the six actions', async () => {
    const catalog = await client.catalog();
    expect(catalog.map((a) => a.name).sort()).toEqual(['block', 'info', 'list-blocked', 'ping', 'scan', 'unblock']);
  });

  it('when a device is blocked, listed and unblocked through typed methods, then data and metadata come back typed', async () => {
    const sessionId = newSessionId();
    await client.startSession(sessionId);
    const router = routerFor(sim);

    const blocked = await client.block(sessionId, router, { ip: '192.168.1.40' });
    expect(blocked.data).toEqual({ target: { ip: '192.168.1.40' }, changed: true });
    expect(blocked.metadata).toMatchObject({ sessionId, routerId: router.id, action: 'block', connectionReused: false });
    expect(blocked.metadata.hostKeySha256).toBe(sim.hostKeySha256);

    const byMac = await client.block(sessionId, router, { mac: 'B8:27:EB:00:00:01' });
    expect(byMac.data.target).toEqual({ mac: 'b8:27:eb:00:00:01' });

    const listed = await client.listBlocked(sessionId, router);
    expect(listed.data).toEqual({ ips: ['192.168.1.40'], macs: ['b8:27:eb:00:00:01'] });
    expect(listed.metadata.connectionReused).toBe(true);

    const unblocked = await client.unblock(sessionId, router, { ip: '192.168.1.40' });
    expect(unblocked.data.changed).toBe(true);
    await client.unblock(sessionId, router, { mac: 'b8:27:eb:00:00:01' });
    expect((await client.listBlocked(sessionId, router)).data).toEqual({ ips: [], macs: [] });
    await client.endSession(sessionId);
  });

  it('when scan, info and ping are called, then their results have the contract shapes', async () => {
    const sessionId = newSessionId();
    await client.startSession(sessionId);
    const router = routerFor(sim);
    const scan = await client.scan(sessionId, router);
    expect(scan.data.devices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ mac: 'b8:27:eb:00:00:01', ip: '192.168.1.40', hostname: 'kitchen-pi' }),
      ]),
    );
    const info = await client.info(sessionId, router);
    expect(info.data.uptimeSeconds).toBeGreaterThan(0);
    expect(info.data.load).toHaveLength(3);
    expect((await client.ping(sessionId, router)).data).toEqual({ ok: true });
    await client.endSession(sessionId);
  });

  it('when the executor refuses a call, then an ExecutorError carries the contract code, status and details', async () => {
    const sessionId = newSessionId();
    await client.startSession(sessionId);
    const err = await client.block(sessionId, routerFor(sim), { ip: '1.2.3.4; reboot' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutorError);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect((err as ExecutorError).details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'params.ip' })]));

    const auth = await client.ping(sessionId, routerFor(sim, { password: 'wrong' })).catch((e: unknown) => e);
    expect(auth).toMatchObject({ code: 'ROUTER_AUTH_FAILED', status: 502 });
    expect((auth as ExecutorError).metadata).toMatchObject({ sessionId, action: 'ping' });
  });

  it('when the token is wrong, then calls fail with UNAUTHORIZED', async () => {
    const stranger = new ExecutorClient({ baseUrl: `http://127.0.0.1:${port}`, token: 'not-the-token-not-the-token-xx' });
    await expect(stranger.startSession(newSessionId())).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
  });

  it('when a request id is given, then the executor receives it as x-request-id', async () => {
    const sessionId = newSessionId();
    await client.startSession(sessionId, { requestId: 'req-contract-1' });
    await client.ping(sessionId, routerFor(sim), { requestId: 'req-contract-2' });
    expect(seenRequestIds).toEqual(expect.arrayContaining(['req-contract-1', 'req-contract-2']));
  });

  it('when the executor lost the session, then the call starts it again and succeeds transparently', async () => {
    const sessionId = newSessionId();
    await client.startSession(sessionId);
    await client.ping(sessionId, routerFor(sim));
    executor.sessions.end(sessionId);

    const res = await client.listBlocked(sessionId, routerFor(sim));
    expect(res.data).toEqual({ ips: [], macs: [] });
    expect(res.metadata.connectionReused).toBe(false);
    expect(executor.sessions.get(sessionId)).toBeDefined();
  });

  it('when the executor restarted (all sessions gone), then the next call restarts the session and succeeds', async () => {
    const sessionId = newSessionId();
    await client.startSession(sessionId);
    await client.ping(sessionId, routerFor(sim));

    const samePort = port;
    await stopExecutor();
    await startExecutor(samePort);

    const res = await client.ping(sessionId, routerFor(sim));
    expect(res.data).toEqual({ ok: true });
    expect(res.metadata.connectionReused).toBe(false);
  });

  it('when the session cannot be found even after a restart of it, then the retry happens only once', async () => {
    const sessionId = newSessionId();
    let starts = 0;
    // A stand-in executor that always forgets sessions: the client must not loop.
    const forgetful = express();
    forgetful.use(express.json());
    forgetful.post('/api/session/start', (_req, res) => {
      starts++;
      res.json({ success: true, data: { sessionId, started: true }, error: null, metadata: {} });
    });
    forgetful.post('/api/actions/:name', (_req, res) => {
      res.status(404).json({ success: false, data: null, error: { code: 'SESSION_NOT_FOUND', message: 'gone' }, metadata: {} });
    });
    const { server: s, baseUrl } = await listen({ app: forgetful } as unknown as Executor);
    try {
      const c = new ExecutorClient({ baseUrl, token: TEST_TOKEN });
      await expect(c.ping(sessionId, routerFor(sim))).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
      expect(starts).toBe(1);
    } finally {
      await stopServer(s);
    }
  });
});

describe('ExecutorClient when the executor is down', () => {
  it('when nothing listens, then calls fail with EXECUTOR_UNAVAILABLE', async () => {
    const down = new ExecutorClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, token: TEST_TOKEN });
    await expect(down.health()).rejects.toMatchObject({ code: 'EXECUTOR_UNAVAILABLE', status: null });
    await expect(down.ping(newSessionId(), routerFor(sim))).rejects.toMatchObject({ code: 'EXECUTOR_UNAVAILABLE' });
  });
});
