import request from 'supertest';
import type { RouterSim, RouterSimOptions } from '@netpilot/router-sim';
import type { Executor } from '../src/executor';
import { nftablesFirewall } from '../src/platforms/nftables';
import { act, buildTestExecutor, ed25519Pair, metricValue, newSessionId, routerFor, startSession, startSim, TEST_TOKEN } from './support/executor-harness';

const auth = { authorization: `Bearer ${TEST_TOKEN}` };
let executor: Executor;
const sims: RouterSim[] = [];

async function newSim(opts: RouterSimOptions = {}): Promise<RouterSim> {
  const sim = await startSim(opts);
  sims.push(sim);
  return sim;
}



beforeAll(() => {
  executor = buildTestExecutor({ maxChannelsPerConnection: 8 });
});

afterAll(async () => {
  executor.close();
  await Promise.all(sims.map((s) => s.close()));
});

describe('sessions', () => {
  it('when a session is started twice, then both answers say started and it is one session', async () => {
    const sessionId = newSessionId();
    for (let i = 0; i < 2; i++) {
      const res = await request(executor.app).post('/api/session/start').set(auth).send({ sessionId }).expect(200);
      expect(res.body).toMatchObject({ success: true, data: { sessionId, started: true }, error: null });
      expect(res.body.metadata.sessionId).toBe(sessionId);
    }
    expect(await metricValue(executor, 'executor_sessions_active')).toBeGreaterThanOrEqual(1);
    await request(executor.app).post('/api/session/end').set(auth).send({ sessionId }).expect(200);
  });

  it('when a session is ended twice (or was never started), then both answers say ended', async () => {
    const sessionId = newSessionId();
    for (let i = 0; i < 2; i++) {
      const res = await request(executor.app).post('/api/session/end').set(auth).send({ sessionId }).expect(200);
      expect(res.body).toMatchObject({ success: true, data: { sessionId, ended: true } });
    }
  });

  it('when an action names a session that was never started, then it answers SESSION_NOT_FOUND and the router sees nothing', async () => {
    const sim = await newSim();
    const res = await act(executor, 'ping', newSessionId(), routerFor(sim));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('SESSION_NOT_FOUND');
    expect(sim.stats.connections).toBe(0);
  });

  it('when the session has ended, then the next action answers SESSION_NOT_FOUND and its connection is closed', async () => {
    const sim = await newSim();
    const sessionId = await startSession(executor);
    await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    expect(await metricValue(executor, 'executor_ssh_connections_pooled', { hop: 'router' })).toBeGreaterThanOrEqual(1);
    const pooledBefore = await metricValue(executor, 'executor_ssh_connections_pooled', { hop: 'router' });

    await request(executor.app).post('/api/session/end').set(auth).send({ sessionId }).expect(200);
    expect(await metricValue(executor, 'executor_ssh_connections_pooled', { hop: 'router' })).toBe(pooledBefore - 1);

    const res = await act(executor, 'ping', sessionId, routerFor(sim));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('SESSION_NOT_FOUND');
    expect(sim.stats.connections).toBe(1);
  });
});

describe('actions on a pooled connection', () => {
  it('when two actions run in a session, then the first opens a connection and the second reuses it, with full metadata', async () => {
    const sim = await newSim();
    const sessionId = await startSession(executor);
    const router = routerFor(sim);

    const first = await act(executor, 'list-blocked', sessionId, router).expect(200);
    expect(first.body).toMatchObject({ success: true, error: null, data: { ips: [], macs: [] } });
    expect(first.body.metadata).toEqual({
      sessionId,
      routerId: router.id,
      action: 'list-blocked',
      durationMs: expect.any(Number),
      connectionReused: false,
      hostKeySha256: sim.hostKeySha256,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const second = await act(executor, 'ping', sessionId, router).expect(200);
    expect(second.body.data).toEqual({ ok: true });
    expect(second.body.metadata).toMatchObject({ connectionReused: true, action: 'ping', hostKeySha256: sim.hostKeySha256 });
    expect(sim.stats.connections).toBe(1);
  });

  it('when several actions run on one connection, then our table is prepared once, not per action', async () => {
    const sim = await newSim();
    const sessionId = await startSession(executor);
    for (let i = 0; i < 3; i++) await act(executor, 'list-blocked', sessionId, routerFor(sim)).expect(200);
    expect(sim.commands.filter((c) => c === nftablesFirewall.prepareCommand)).toHaveLength(1);
    expect(sim.state.firewallReady).toBe(true);
  });

  it('when a device is blocked by ip, then the router enforces it, a repeat is a no-op success, and unblock removes it', async () => {
    const sim = await newSim();
    const sessionId = await startSession(executor);
    const router = routerFor(sim);

    const block = await act(executor, 'block', sessionId, router, { ip: '192.168.1.50' }).expect(200);
    expect(block.body.data).toEqual({ target: { ip: '192.168.1.50' }, changed: true });
    expect(sim.state.blocked.ipv4).toEqual(['192.168.1.50']);

    const again = await act(executor, 'block', sessionId, router, { ip: '192.168.1.50' }).expect(200);
    expect(again.body.data).toEqual({ target: { ip: '192.168.1.50' }, changed: false });

    const listed = await act(executor, 'list-blocked', sessionId, router).expect(200);
    expect(listed.body.data).toEqual({ ips: ['192.168.1.50'], macs: [] });

    const unblock = await act(executor, 'unblock', sessionId, router, { ip: '192.168.1.50' }).expect(200);
    expect(unblock.body.data.changed).toBe(true);
    expect(sim.state.blocked.ipv4).toEqual([]);
  });

  it('when a device is blocked by MAC in mixed case with dashes, then the router holds the canonical MAC', async () => {
    const sim = await newSim();
    const sessionId = await startSession(executor);
    const res = await act(executor, 'block', sessionId, routerFor(sim), { mac: 'AA-BB-CC-DD-EE-01' }).expect(200);
    expect(res.body.data.target).toEqual({ mac: 'aa:bb:cc:dd:ee:01' });
    expect(sim.state.blocked.macs).toEqual(['aa:bb:cc:dd:ee:01']);
  });

  it('when the router is scanned, then its leased devices come back with MAC, IP and hostname', async () => {
    const sim = await newSim({
      devices: [{ mac: 'b8:27:eb:12:34:56', ip: '192.168.1.23', hostname: 'pi' }],
    });
    const sessionId = await startSession(executor);
    const res = await act(executor, 'scan', sessionId, routerFor(sim)).expect(200);
    expect(res.body.data.devices).toEqual(
      expect.arrayContaining([expect.objectContaining({ mac: 'b8:27:eb:12:34:56', ip: '192.168.1.23', hostname: 'pi' })]),
    );
  });

  it('when info is asked, then uptime, load and memory come back', async () => {
    const sim = await newSim();
    const sessionId = await startSession(executor);
    const res = await act(executor, 'info', sessionId, routerFor(sim)).expect(200);
    expect(res.body.data).toMatchObject({
      hostname: sim.state.hostname,
      uptimeSeconds: expect.any(Number),
      load: [expect.any(Number), expect.any(Number), expect.any(Number)],
      memory: { totalBytes: expect.any(Number), freeBytes: expect.any(Number), availableBytes: expect.any(Number) },
    });
    expect(res.body.data.uptimeSeconds).toBeGreaterThan(0);
  });

  it('when 20 actions hit one router at once, then all succeed over one connection within the channel bound', async () => {
    const sim = await newSim();
    // Latency keeps the commands overlapping, so the bound is actually exercised.
    sim.setLatency(15);
    const sessionId = await startSession(executor);
    const router = routerFor(sim);
    const answers = await Promise.all(Array.from({ length: 20 }, () => act(executor, 'list-blocked', sessionId, router)));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body.data).toEqual({ ips: [], macs: [] });
    }
    expect(sim.stats.connections).toBe(1);
    expect(sim.stats.handshakes).toBe(1);
    expect(sim.stats.maxConcurrentChannels).toBeGreaterThan(1);
    expect(sim.stats.maxConcurrentChannels).toBeLessThanOrEqual(8);
    expect(await metricValue(executor, 'executor_ssh_channels_in_flight')).toBe(0);
  });

  it('when a router is reached with a key, then it works like a password', async () => {
    const pair = ed25519Pair('test');
    const sim = await newSim({ authorizedKeys: [pair.publicKey] });
    const sessionId = await startSession(executor);
    const router = routerFor(sim, { password: undefined, privateKey: pair.privateKey });
    const res = await act(executor, 'ping', sessionId, router).expect(200);
    expect(res.body.data).toEqual({ ok: true });
  });

  it('when two sessions use the same router, then each has its own connection', async () => {
    const sim = await newSim();
    const a = await startSession(executor);
    const b = await startSession(executor);
    await act(executor, 'ping', a, routerFor(sim)).expect(200);
    const res = await act(executor, 'ping', b, routerFor(sim)).expect(200);
    expect(res.body.metadata.connectionReused).toBe(false);
    expect(sim.stats.connections).toBe(2);
  });
});

describe('metrics', () => {
  it('when actions have run, then /metrics shows sessions, pooled connections, handshakes and latency by action and outcome, without secrets', async () => {
    const sim = await newSim({ password: 'hunter2-metrics-secret' });
    const sessionId = await startSession(executor);
    await act(executor, 'ping', sessionId, routerFor(sim)).expect(200);
    await act(executor, 'ping', sessionId, routerFor(sim, { password: 'wrong-password' })).expect(502);
    const stranger = await request(executor.app).get('/metrics');
    expect(stranger.status).toBe(401);
    expect(stranger.text).not.toContain('executor_');
    const res = await request(executor.app).get('/metrics').set('authorization', `Bearer ${TEST_TOKEN}`).expect(200);
    expect(res.text).toContain('executor_sessions_active');
    expect(res.text).toMatch(/executor_ssh_connections_pooled\{hop="router"\} [1-9]/);
    expect(res.text).toMatch(/executor_ssh_handshakes_total\{hop="router",outcome="ok"\} [1-9]/);
    expect(res.text).toMatch(/executor_ssh_handshakes_total\{hop="router",outcome="ROUTER_AUTH_FAILED"\} [1-9]/);
    expect(res.text).toMatch(/executor_action_duration_seconds_count\{action="ping",outcome="ok"\} [1-9]/);
    expect(res.text).toContain('executor_ssh_channels_in_flight');
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toContain('wrong-password');
  });
});
