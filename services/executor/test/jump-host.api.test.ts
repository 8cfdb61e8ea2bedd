import request from 'supertest';
import type { RouterSim } from '@netpilot/router-sim';
import type { JumpHost } from '@netpilot/contracts';
import type { Executor } from '../src/executor';
import { act, buildTestExecutor, closedPort, metricValue, routerFor, startSession, startSim, TEST_TOKEN } from './support/executor-harness';

const auth = { authorization: `Bearer ${TEST_TOKEN}` };
let executor: Executor;
let bastion: RouterSim;
let routerA: RouterSim;
let routerB: RouterSim;

beforeAll(async () => {
  executor = buildTestExecutor();
  bastion = await startSim({ allowTcpForwarding: true, username: 'jump', password: 'jump-secret' });
  routerA = await startSim();
  routerB = await startSim({ platform: 'linux-iptables' });
});

afterAll(async () => {
  executor.close();
  await Promise.all([bastion.close(), routerA.close(), routerB.close()]);
});

function jumpHost(overrides: Partial<JumpHost> = {}): JumpHost {
  return { host: bastion.host, port: bastion.port, username: 'jump', password: 'jump-secret', ...overrides };
}



describe('routers behind a jump host', () => {
  it('when a router is reached through a bastion, then the action runs there and both keys are reported', async () => {
    const sessionId = await startSession(executor);
    const router = routerFor(routerA, { jumpHost: jumpHost() });
    const res = await act(executor, 'block', sessionId, router, { ip: '10.0.0.7' }).expect(200);
    expect(res.body.data).toEqual({ target: { ip: '10.0.0.7' }, changed: true });
    expect(routerA.state.blocked.ipv4).toEqual(['10.0.0.7']);
    expect(res.body.metadata).toMatchObject({
      hostKeySha256: routerA.hostKeySha256,
      jumpHostKeySha256: bastion.hostKeySha256,
      connectionReused: false,
    });
    // The bastion only forwarded; it ran nothing.
    expect(bastion.commands).toEqual([]);

    const again = await act(executor, 'list-blocked', sessionId, router).expect(200);
    expect(again.body.metadata.connectionReused).toBe(true);
  });

  it('when two routers sit behind the same bastion in one session, then one bastion connection carries both', async () => {
    const sessionId = await startSession(executor);
    const before = bastion.stats.handshakes;
    await Promise.all([
      act(executor, 'ping', sessionId, routerFor(routerA, { jumpHost: jumpHost() })).expect(200),
      act(executor, 'ping', sessionId, routerFor(routerB, { jumpHost: jumpHost() })).expect(200),
    ]);
    expect(bastion.stats.handshakes - before).toBe(1);
    expect(await metricValue(executor, 'executor_ssh_connections_pooled', { hop: 'jumpHost' })).toBeGreaterThanOrEqual(1);
  });

  it('when both keys are pinned correctly, then the route works', async () => {
    const sessionId = await startSession(executor);
    const router = routerFor(routerA, {
      hostKeySha256: routerA.hostKeySha256,
      jumpHost: jumpHost({ hostKeySha256: bastion.hostKeySha256 }),
    });
    await act(executor, 'ping', sessionId, router).expect(200);
  });

  it('when the bastion pin is wrong, then it answers HOST_KEY_MISMATCH for the jump host and the router is never reached', async () => {
    const sessionId = await startSession(executor);
    const routerConnections = routerA.stats.connections;
    const res = await act(executor, 'ping', sessionId, routerFor(routerA, { jumpHost: jumpHost({ hostKeySha256: routerA.hostKeySha256 }) }));
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('HOST_KEY_MISMATCH');
    expect(res.body.error.details).toMatchObject({ hop: 'jumpHost', expected: routerA.hostKeySha256, seen: bastion.hostKeySha256 });
    expect(routerA.stats.connections).toBe(routerConnections);
  });

  it('when the router pin is wrong behind a good bastion, then it answers HOST_KEY_MISMATCH for the router', async () => {
    const sessionId = await startSession(executor);
    const res = await act(executor, 'ping', sessionId, routerFor(routerA, { hostKeySha256: bastion.hostKeySha256, jumpHost: jumpHost() }));
    expect(res.body.error.code).toBe('HOST_KEY_MISMATCH');
    expect(res.body.error.details).toMatchObject({ hop: 'router', seen: routerA.hostKeySha256 });
  });

  it('when the bastion refuses the credentials, then it answers ROUTER_AUTH_FAILED naming the jump host', async () => {
    const sessionId = await startSession(executor);
    const res = await act(executor, 'ping', sessionId, routerFor(routerA, { jumpHost: jumpHost({ password: 'wrong' }) }));
    expect(res.body.error.code).toBe('ROUTER_AUTH_FAILED');
    expect(res.body.error.details).toMatchObject({ hop: 'jumpHost' });
  });

  it('when the bastion cannot reach the router, then it answers ROUTER_UNREACHABLE', async () => {
    const sessionId = await startSession(executor);
    const port = await closedPort();
    const res = await act(executor, 'ping', sessionId, routerFor(routerA, { port, jumpHost: jumpHost() }));
    expect(res.body.error.code).toBe('ROUTER_UNREACHABLE');
    expect(res.body.error.details).toMatchObject({ hop: 'router', reason: 'FORWARD_FAILED' });
  });

  it('when the session ends, then its bastion connection closes too', async () => {
    const sessionId = await startSession(executor);
    await act(executor, 'ping', sessionId, routerFor(routerA, { jumpHost: jumpHost() })).expect(200);
    const before = await metricValue(executor, 'executor_ssh_connections_pooled', { hop: 'jumpHost' });
    await request(executor.app).post('/api/session/end').set(auth).send({ sessionId }).expect(200);
    expect(await metricValue(executor, 'executor_ssh_connections_pooled', { hop: 'jumpHost' })).toBe(before - 1);
  });

  it('when the bastion drops every connection, then the next action reconnects through it', async () => {
    const sessionId = await startSession(executor);
    const router = routerFor(routerA, { jumpHost: jumpHost() });
    await act(executor, 'ping', sessionId, router).expect(200);
    bastion.dropAllConnections();
    const res = await act(executor, 'ping', sessionId, router).expect(200);
    expect(res.body.metadata.connectionReused).toBe(false);
  });
});
