import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { freePort } from '../services/controller/src/db/embedded-postgres';
import { bearer, buildSession } from './support/builders';
import { startStack, TEST_EXECUTOR_TOKEN, type TestStack } from './support/stack';

type Session = Awaited<ReturnType<typeof buildSession>>;

/**
 * Server-side request forgery, with the default settings (no address allowed by name): the
 * executor is not a way into its own host, its link-local network or the cloud's metadata.
 */
describe('router destinations with the default settings', () => {
  let stack: TestStack;
  let alice: Session;
  let sim: RouterSim;
  const as = () => bearer(alice.tokens.accessToken);
  const none = { ROUTER_ALLOWED_SPECIAL_ADDRESSES: '' };

  beforeAll(async () => {
    stack = await startStack({ env: none, executorEnv: none });
    alice = await buildSession(stack);
    sim = await startRouterSim({ platform: 'linux-nft' });
  });
  afterAll(async () => {
    await sim.close();
    await stack.close();
  });

  const body = (host: string, extra: Record<string, unknown> = {}) => ({ name: 'r', host, port: 22, username: 'root', password: 'pw', platform: 'linux-nft', ...extra });

  const restricted = [
    '127.0.0.1', '127.1.2.3', 'localhost', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '0.0.0.0', '::',
    '169.254.169.254', '169.254.1.1', 'fe80::1', '100.100.100.200', 'fd00:ec2::254', '224.0.0.1',
  ];

  test.each(restricted)('when a router is added at %s, then 400 ROUTER_HOST_NOT_ALLOWED', async (host) => {
    const res = await request(stack.app).post('/api/v1/routers').set(as()).send(body(host));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('ROUTER_HOST_NOT_ALLOWED');
    expect(res.body.error.message).toMatch(/ROUTER_ALLOWED_SPECIAL_ADDRESSES/);
  });

  // The resolver would read these as 127.0.0.1; they are not host names, and are refused as such.
  test.each(['2130706433', '0x7f000001', '0177.0.0.1', '0x7f.1'])('when a router is added at the number %s, then 400 before any lookup', async (host) => {
    const res = await request(stack.app).post('/api/v1/routers').set(as()).send(body(host));
    expect(res.status).toBe(400);
    expect(['VALIDATION_FAILED', 'ROUTER_HOST_NOT_ALLOWED']).toContain(res.body.error.code);
  });

  test('when a jump host is at a restricted address, or a router is moved to one, then 400 as well', async () => {
    const jump = await request(stack.app)
      .post('/api/v1/routers')
      .set(as())
      .send(body('192.168.1.1', { jumpHost: { host: '169.254.169.254', port: 22, username: 'u', password: 'p' } }));
    expect(jump.status).toBe(400);
    expect(jump.body.error.code).toBe('ROUTER_HOST_NOT_ALLOWED');
    const created = await request(stack.app).post('/api/v1/routers').set(as()).send(body('192.168.1.1'));
    expect(created.status).toBe(201);
    const moved = await request(stack.app).patch(`/api/v1/routers/${created.body.id}`).set(as()).send({ host: 'localhost' });
    expect(moved.status).toBe(400);
    expect(moved.body.error.code).toBe('ROUTER_HOST_NOT_ALLOWED');
  });

  test('when a router is reached through a reverse tunnel, then its loopback port in ROUTER_TUNNEL_PORTS is allowed, another is not', async () => {
    expect((await request(stack.app).post('/api/v1/routers').set(as()).send(body('router.example', { tunnelPort: 22_222 }))).status).toBe(201);
    const outside = await request(stack.app).post('/api/v1/routers').set(as()).send(body('router.example', { tunnelPort: 2222 }));
    expect(outside.status).toBe(400);
  });

  test('when a stored router name resolves to loopback at connect time, then the executor refuses it and nothing is dialled', async () => {
    // Saved while it resolved elsewhere; now it resolves to the simulator's loopback address.
    const created = await request(stack.app).post('/api/v1/routers').set(as()).send(body('192.168.1.2', { port: sim.port, password: sim.password }));
    expect(created.status).toBe(201);
    await stack.dataSource.query('UPDATE routers SET host = $2 WHERE id = $1', [created.body.id, 'localhost']);
    const connectionsBefore = sim.stats.connections;
    const info = await request(stack.app).get(`/api/v1/routers/${created.body.id}/info`).set(as());
    expect(info.status).toBe(403);
    expect(info.body.error.code).toBe('ROUTER_HOST_NOT_ALLOWED');
    expect(sim.stats.connections).toBe(connectionsBefore);
  });

  test('when the executor is asked directly for a restricted address, then DESTINATION_NOT_ALLOWED before any connection', async () => {
    const connectionsBefore = sim.stats.connections;
    for (const host of ['127.0.0.1', 'localhost', '::ffff:127.0.0.1']) {
      const res = await request(stack.executorUrl)
        .post('/api/actions/ping')
        .set('authorization', `Bearer ${TEST_EXECUTOR_TOKEN}`)
        .send({ sessionId: alice.sessionId, router: { id: 'r1', host, port: sim.port, username: sim.username, password: sim.password, platform: 'linux-nft' }, params: {} });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('DESTINATION_NOT_ALLOWED');
    }
    expect(sim.stats.connections).toBe(connectionsBefore);
  });
});

describe('unreachable routers', () => {
  let stack: TestStack;
  let alice: Session;
  let http: Server;

  beforeAll(async () => {
    stack = await startStack();
    alice = await buildSession(stack);
    http = createServer((_req, res) => res.end('not ssh'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    await new Promise((r) => http.close(r));
    await stack.close();
  });

  test('when one port is closed and another answers but not with SSH, then both answer the same, telling what to check', async () => {
    const answers = [];
    for (const port of [await freePort(), (http.address() as AddressInfo).port]) {
      const created = await request(stack.app)
        .post('/api/v1/routers')
        .set(bearer(alice.tokens.accessToken))
        .send({ name: 'r', host: '127.0.0.1', port, username: 'root', password: 'pw', platform: 'linux-nft' });
      const info = await request(stack.app).get(`/api/v1/routers/${created.body.id}/info`).set(bearer(alice.tokens.accessToken));
      answers.push({ status: info.status, code: info.body.error.code, message: info.body.error.message.replace(`:${port}`, ':PORT'), details: Object.keys(info.body.error.details ?? {}).sort() });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toMatchObject({ status: 503, code: 'ROUTER_UNREACHABLE', details: ['hop', 'host', 'port'] });
    expect(answers[0].message).toMatch(/Check the address and port/);
    expect(answers[0].message).not.toMatch(/ECONNREFUSED|handshake/i);
  });
});
