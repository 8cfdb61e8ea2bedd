import request from 'supertest';
import type { RouterSim } from '@netpilot/router-sim';
import type { Executor } from '../src/executor';
import { buildTestExecutor, newSessionId, routerFor, startSim, TEST_TOKEN } from './support/executor-harness';

let sim: RouterSim;
let executor: Executor;
const auth = { authorization: `Bearer ${TEST_TOKEN}` };

beforeAll(async () => {
  sim = await startSim();
  executor = buildTestExecutor();
});

afterAll(async () => {
  executor.close();
  await sim.close();
});

/** Nothing reached the router: no TCP connection, no command. */
function expectRouterUntouched(): void {
  expect(sim.stats.connections).toBe(0);
  expect(sim.commands).toEqual([]);
}

describe('service token', () => {
  it('when a call has no token, then it answers 401 UNAUTHORIZED in the envelope and nothing reaches the router', async () => {
    const res = await request(executor.app)
      .post('/api/actions/block')
      .send({ sessionId: 's1', router: routerFor(sim), params: { ip: '192.168.1.50' } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, data: null, error: { code: 'UNAUTHORIZED' } });
    expectRouterUntouched();
  });

  it('when a call has a wrong token, then it answers 401 and no session is started', async () => {
    const sessionId = newSessionId();
    const res = await request(executor.app)
      .post('/api/session/start')
      .set({ authorization: `Bearer ${TEST_TOKEN}x` })
      .send({ sessionId });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(executor.sessions.get(sessionId)).toBeUndefined();
  });

  it('when the catalog is asked without a token, then it is refused too', async () => {
    const res = await request(executor.app).get('/api/actions');
    expect(res.status).toBe(401);
  });
});

describe('validation before any SSH traffic', () => {
  let sessionId: string;
  beforeAll(async () => {
    sessionId = newSessionId();
    await request(executor.app).post('/api/session/start').set(auth).send({ sessionId }).expect(200);
  });

  const injections = [
    '1.2.3.4; touch /tmp/np-marker',
    '1.2.3.4 && reboot',
    '$(touch /tmp/np-marker)',
    '`touch /tmp/np-marker`',
    '1.2.3.4\ntouch /tmp/np-marker',
    '1.2.3.4\rreboot',
    '1.2.3.4 | sh',
    "1.2.3.4' ; reboot; '",
    '1.2.3.256',
    '01.2.3.4',
    '127.0.0.1',
    '',
    ' ',
    '1.2.3.4/24',
    'fe80::1%eth0',
  ];

  it.each(injections)('when block gets ip %j, then it answers VALIDATION_FAILED and the router sees nothing', async (ip) => {
    const res = await request(executor.app)
      .post('/api/actions/block')
      .set(auth)
      .send({ sessionId, router: routerFor(sim), params: { ip } });
    expect(res.status).toBe(400);
    expect(res.body.success).toBe(false);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'params.ip' })]));
    expectRouterUntouched();
  });

  it.each(['aa:bb:cc:dd:ee:ff; reboot', '$(id)', 'ff:ff:ff:ff:ff:ff', 'aa:bb:cc:dd:ee', ''])(
    'when block gets mac %j, then it answers VALIDATION_FAILED and the router sees nothing',
    async (mac) => {
      const res = await request(executor.app)
        .post('/api/actions/block')
        .set(auth)
        .send({ sessionId, router: routerFor(sim), params: { mac } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expectRouterUntouched();
    },
  );

  const badBodies: Array<[string, string, (r: ReturnType<typeof routerFor>) => Record<string, unknown>]> = [
    ['an unknown param', 'block', (router) => ({ router, params: { ip: '192.168.1.5', chain: 'INPUT' } })],
    ['both ip and mac', 'block', (router) => ({ router, params: { ip: '192.168.1.5', mac: 'aa:bb:cc:dd:ee:01' } })],
    ['neither ip nor mac', 'block', (router) => ({ router, params: {} })],
    ['params on a no-param action', 'list-blocked', (router) => ({ router, params: { all: true } })],
    ['an unknown platform', 'ping', (router) => ({ router: { ...router, platform: 'dd-wrt' }, params: {} })],
    ['a leasesPath with a command', 'scan', (router) => ({ router: { ...router, options: { leasesPath: '/tmp/x; touch /tmp/np-marker' } } })],
    ['a leasesPath with ..', 'scan', (router) => ({ router: { ...router, options: { leasesPath: '/tmp/../etc/shadow' } } })],
    ['a relative leasesPath', 'scan', (router) => ({ router: { ...router, options: { leasesPath: 'leases' } } })],
    ['an unknown router option', 'scan', (router) => ({ router: { ...router, options: { shell: '/bin/bash' } } })],
    ['a username with a command', 'ping', (router) => ({ router: { ...router, username: 'root;reboot' } })],
    ['a host with a command', 'ping', (router) => ({ router: { ...router, host: '127.0.0.1; reboot' } })],
    ['a malformed host key pin', 'ping', (router) => ({ router: { ...router, hostKeySha256: 'md5:00:11' } })],
    ['both password and key', 'ping', (router) => ({ router: { ...router, privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nx' } })],
    ['no credentials', 'ping', (router) => ({ router: { ...router, password: undefined } })],
    ['a port out of range', 'ping', (router) => ({ router: { ...router, port: 70000 } })],
    ['no router', 'ping', () => ({ params: {} })],
  ];

  it.each(badBodies)('when the body has %s, then it answers VALIDATION_FAILED and the router sees nothing', async (_what, action, build) => {
    const res = await request(executor.app)
      .post(`/api/actions/${action}`)
      .set(auth)
      .send({ sessionId, ...build(routerFor(sim)) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(Array.isArray(res.body.error.details)).toBe(true);
    expectRouterUntouched();
  });

  it('when a credential is malformed, then the answer never echoes it', async () => {
    const secret = 'my-very-secret-password-that-is-not-a-key';
    const res = await request(executor.app)
      .post('/api/actions/ping')
      .set(auth)
      .send({ sessionId, router: { ...routerFor(sim), password: undefined, privateKey: secret } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain(secret);
    expectRouterUntouched();
  });

  it('when the action is not in the allowlist, then it answers 404 UNKNOWN_ACTION and the router sees nothing', async () => {
    const res = await request(executor.app)
      .post('/api/actions/exec')
      .set(auth)
      .send({ sessionId, router: routerFor(sim), params: { command: 'reboot' } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('UNKNOWN_ACTION');
    expect(res.body.metadata.action).toBeNull();
    expectRouterUntouched();
  });

  it('when the body is not JSON, then it answers VALIDATION_FAILED', async () => {
    const res = await request(executor.app)
      .post('/api/actions/ping')
      .set(auth)
      .set('content-type', 'application/json')
      .send('{"sessionId": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expectRouterUntouched();
  });

  it('when the session id is malformed, then it answers VALIDATION_FAILED', async () => {
    const res = await request(executor.app).post('/api/session/start').set(auth).send({ sessionId: '../etc' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('catalog', () => {
  it('when the catalog is asked, then it lists the six actions with JSON schemas and whether they change the router', async () => {
    const res = await request(executor.app).get('/api/actions').set(auth).expect(200);
    expect(res.body.success).toBe(true);
    const byName = Object.fromEntries(res.body.data.map((a: { name: string }) => [a.name, a]));
    expect(Object.keys(byName).sort()).toEqual(['block', 'info', 'list-blocked', 'ping', 'scan', 'unblock']);
    expect(byName.block).toMatchObject({ changesRouter: true, paramsSchema: { type: 'object' } });
    expect(Object.keys(byName.block.paramsSchema.properties).sort()).toEqual(['ip', 'mac']);
    expect(byName['list-blocked'].changesRouter).toBe(false);
  });
});

describe('control', () => {
  // Proves the "router sees nothing" checks above can fail: the same router, a valid call.
  it('when a valid action follows, then the router does see a connection and commands', async () => {
    const sessionId = newSessionId();
    await request(executor.app).post('/api/session/start').set(auth).send({ sessionId }).expect(200);
    const res = await request(executor.app)
      .post('/api/actions/block')
      .set(auth)
      .send({ sessionId, router: routerFor(sim), params: { ip: '192.168.1.50' } });
    expect(res.status).toBe(200);
    expect(sim.stats.connections).toBe(1);
    expect(sim.commands.length).toBeGreaterThan(0);
  });
});
