import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { freePort } from '../services/controller/src/db/embedded-postgres';
import { bearer, buildSession } from './support/builders';
import { startStack, type TestStack } from './support/stack';

type Session = Awaited<ReturnType<typeof buildSession>>;

/** Controller + real executor + SSH router simulator, end to end through the controller's API. */
describe('router actions end to end (simulator)', () => {
  let stack: TestStack;
  let sim: RouterSim;
  let alice: Session;

  beforeAll(async () => {
    stack = await startStack({ executorEnv: { ACTION_TIMEOUT_MS: '400' } });
    sim = await startRouterSim({
      platform: 'linux-nft',
      devices: [{ mac: 'aa:bb:cc:00:00:01', ip: '192.168.50.10', hostname: 'laptop' }, { mac: '3c:22:fb:00:00:02', ip: '192.168.50.11', hostname: null }],
    });
    alice = await buildSession(stack);
  });
  afterAll(async () => {
    await sim.close();
    await stack.close();
  });

  const as = (s: Session) => bearer(s.tokens.accessToken);
  const extraSims: RouterSim[] = [];
  afterAll(async () => {
    await Promise.all(extraSims.map((x) => x.close()));
  });
  /** Sync compares the whole router with the table, so sync tests get a router of their own. */
  async function ownSim(): Promise<RouterSim> {
    const s = await startRouterSim({ platform: 'linux-nft', password: sim.password });
    extraSims.push(s);
    return s;
  }

  async function addRouter(owner: Session, target: { host: string; port: number }, extra: Record<string, unknown> = {}) {
    const res = await request(stack.app)
      .post('/api/v1/routers')
      .set(as(owner))
      .send({ name: 'sim', host: target.host, port: target.port, username: sim.username, password: sim.password, platform: 'linux-nft', ...extra });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  test('when a device is blocked then unblocked, then the router enforces it and then does not, with history', async () => {
    const id = await addRouter(alice, sim);
    const block = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ ip: '192.168.50.10', reason: 'homework time' });
    expect(block.status).toBe(201);
    expect(block.body).toMatchObject({ ip: '192.168.50.10', status: 'applied', error: null, reason: 'homework time' });
    expect(sim.state.blocked.ipv4).toContain('192.168.50.10');

    // The first contact pinned the router's host key.
    const router = await request(stack.app).get(`/api/v1/routers/${id}`).set(as(alice));
    expect(router.body.hostKeySha256).toBe(sim.hostKeySha256);

    const again = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ ip: '192.168.50.10' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(block.body.id);

    const mac = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ mac: 'AA-BB-CC-00-00-01' });
    expect(mac.status).toBe(201);
    expect(mac.body.mac).toBe('aa:bb:cc:00:00:01');
    expect(sim.state.blocked.macs).toContain('aa:bb:cc:00:00:01');

    const list = await request(stack.app).get(`/api/v1/routers/${id}/blocks`).set(as(alice));
    expect(list.body.items.map((b: { status: string }) => b.status)).toEqual(['applied', 'applied']);

    const un = await request(stack.app).delete(`/api/v1/routers/${id}/blocks/${block.body.id}`).set(as(alice));
    expect(un.status).toBe(200);
    expect(sim.state.blocked.ipv4).not.toContain('192.168.50.10');
    const after = await request(stack.app).get(`/api/v1/routers/${id}/blocks`).set(as(alice));
    expect(after.body.items).toHaveLength(1);

    const history = await request(stack.app).get(`/api/v1/routers/${id}/commands`).set(as(alice));
    expect(history.status).toBe(200);
    expect(history.body.items.map((c: { action: string; status: string }) => `${c.action}:${c.status}`)).toEqual([
      'unblock:succeeded',
      'block:succeeded',
      'block:succeeded',
      'block:succeeded',
    ]);
    expect(history.body.items[0]).toMatchObject({ requestedBy: alice.user.id, sessionId: alice.sessionId, durationMs: expect.any(Number), errorCode: null });
  });

  test('when the same device is blocked by several requests at once, then all succeed on one block row', async () => {
    const id = await addRouter(alice, sim);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ ip: '192.168.50.60' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const list = await request(stack.app).get(`/api/v1/routers/${id}/blocks`).set(as(alice));
    expect(list.body.items).toEqual([expect.objectContaining({ ip: '192.168.50.60', status: 'applied' })]);
    await request(stack.app).delete(`/api/v1/routers/${id}/blocks/${answers[0].body.id}`).set(as(alice)).expect(200);
  });

  test('when a scan runs, then devices are stored by MAC with hostname and vendor, and info answers', async () => {
    const id = await addRouter(alice, sim);
    const scan = await request(stack.app).post(`/api/v1/routers/${id}/scan`).set(as(alice));
    expect(scan.status).toBe(200);
    expect(scan.body.devices).toEqual(
      expect.arrayContaining([expect.objectContaining({ mac: 'aa:bb:cc:00:00:01', ip: '192.168.50.10', hostname: 'laptop' })]),
    );
    const devices = await request(stack.app).get(`/api/v1/routers/${id}/devices`).set(as(alice));
    const laptop = devices.body.items.find((d: { mac: string }) => d.mac === 'aa:bb:cc:00:00:01');
    expect(laptop).toMatchObject({ ip: '192.168.50.10', hostname: 'laptop', firstSeenAt: expect.any(String) });
    const apple = devices.body.items.find((d: { mac: string }) => d.mac === '3c:22:fb:00:00:02');
    expect(apple.vendor).toEqual(expect.any(String));

    // A rescan keeps first-seen and moves last-seen.
    await request(stack.app).post(`/api/v1/routers/${id}/scan`).set(as(alice)).expect(200);
    const again = await request(stack.app).get(`/api/v1/routers/${id}/devices`).set(as(alice));
    const laptop2 = again.body.items.find((d: { mac: string }) => d.mac === 'aa:bb:cc:00:00:01');
    expect(laptop2.firstSeenAt).toBe(laptop.firstSeenAt);
    expect(Date.parse(laptop2.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(laptop.lastSeenAt));

    const info = await request(stack.app).get(`/api/v1/routers/${id}/info`).set(as(alice));
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ hostname: expect.any(String), uptimeSeconds: expect.any(Number), memory: { totalBytes: expect.any(Number) } });
    expect(info.body.load).toHaveLength(3);
  });

  test('when the router is unreachable, then the block is stored pending, and sync applies it once the router is fixed', async () => {
    const own = await ownSim();
    const closed = await freePort();
    const id = await addRouter(alice, { host: '127.0.0.1', port: closed });
    const block = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ ip: '192.168.50.77' });
    expect(block.status).toBe(202);
    expect(block.body).toMatchObject({ status: 'pending', error: { code: 'ROUTER_UNREACHABLE' } });
    expect(own.state.blocked.ipv4).not.toContain('192.168.50.77');

    // The client keeps working meanwhile.
    expect((await request(stack.app).get(`/api/v1/routers/${id}/blocks`).set(as(alice))).status).toBe(200);

    const fixed = await request(stack.app).patch(`/api/v1/routers/${id}`).set(as(alice)).send({ port: own.port });
    expect(fixed.status).toBe(200);
    const sync = await request(stack.app).post(`/api/v1/routers/${id}/sync`).set(as(alice));
    expect(sync.status).toBe(200);
    expect(sync.body.applied).toEqual(['ip:192.168.50.77']);
    expect(sync.body.blocks).toEqual([expect.objectContaining({ ip: '192.168.50.77', status: 'applied', error: null })]);
    expect(own.state.blocked.ipv4).toContain('192.168.50.77');

    const history = await request(stack.app).get(`/api/v1/routers/${id}/commands`).set(as(alice));
    const lines = history.body.items.map((c: { action: string; status: string; errorCode: string | null }) => `${c.action}:${c.status}:${c.errorCode ?? ''}`);
    expect(lines).toEqual(['block:succeeded:', 'list-blocked:succeeded:', 'block:failed:ROUTER_UNREACHABLE']);
  });

  test('when the router enforces blocks the table does not hold, then sync removes them', async () => {
    const own = await ownSim();
    const id = await addRouter(alice, own);
    await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ ip: '192.168.50.98' }).expect(201);
    // Someone blocked this on the router by hand; NetPilot's desired state does not want it.
    await stack.executor.block(alice.sessionId, { id, host: own.host, port: own.port, username: own.username, password: own.password, platform: 'linux-nft' }, { ip: '192.168.50.99' });
    expect(own.state.blocked.ipv4).toContain('192.168.50.99');
    const sync = await request(stack.app).post(`/api/v1/routers/${id}/sync`).set(as(alice));
    expect(sync.status).toBe(200);
    expect(sync.body).toMatchObject({ removed: ['ip:192.168.50.99'], unchanged: ['ip:192.168.50.98'], applied: [] });
    expect(own.state.blocked.ipv4).toEqual(['192.168.50.98']);
  });

  test('when a router is reached through a jump host, then both the router and the bastion keys are pinned on first contact', async () => {
    const bastion = await startRouterSim({ platform: 'linux-nft', allowTcpForwarding: true, password: 'bastion-pw-1' });
    extraSims.push(bastion);
    const id = await addRouter(alice, sim, { jumpHost: { host: bastion.host, port: bastion.port, username: bastion.username, password: 'bastion-pw-1' } });
    const info = await request(stack.app).get(`/api/v1/routers/${id}/info`).set(as(alice));
    expect(info.status).toBe(200);
    const router = await request(stack.app).get(`/api/v1/routers/${id}`).set(as(alice));
    expect(router.body.hostKeySha256).toBe(sim.hostKeySha256);
    expect(router.body.jumpHost).toEqual({ host: bastion.host, port: bastion.port, username: bastion.username, authMethod: 'password', hostKeySha256: bastion.hostKeySha256 });
    expect(JSON.stringify(router.body)).not.toContain('bastion-pw-1');
    const audit = await stack.dataSource.query(`SELECT details FROM audit_log WHERE target_id = $1 AND action = 'router.host_key_pinned'`, [id]);
    expect(audit).toEqual([{ details: { hostKeySha256: sim.hostKeySha256, jumpHostKeySha256: bastion.hostKeySha256 } }]);
  });

  test('when the pinned host key does not match, then 502 HOST_KEY_MISMATCH, audited, and nothing runs', async () => {
    const wrongKey = `SHA256:${'A'.repeat(43)}`;
    const id = await addRouter(alice, sim, { hostKeySha256: wrongKey });
    const before = sim.commands.length;
    const res = await request(stack.app).post(`/api/v1/routers/${id}/scan`).set(as(alice));
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('HOST_KEY_MISMATCH');
    // The message tells the user how to accept a new key once they have checked it.
    expect(res.body.error.message).toMatch(/hostKeySha256/);
    expect(sim.commands.length).toBe(before);
    const audit = await stack.dataSource.query(`SELECT action, outcome FROM audit_log WHERE target_id = $1 ORDER BY id`, [id]);
    expect(audit).toEqual(expect.arrayContaining([{ action: 'router.host_key_mismatch', outcome: 'failure' }]));
  });

  test('when a router command times out or fails, then the error maps to 504 / 502 with its code', async () => {
    const id = await addRouter(alice, sim);
    sim.failNext(/cat \/proc\/uptime|uptime/, { exitCode: 1, stderr: 'cat: /proc/uptime: I/O error' });
    const failed = await request(stack.app).get(`/api/v1/routers/${id}/info`).set(as(alice));
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe('COMMAND_FAILED');
    expect(JSON.stringify(failed.body.error.details)).toContain('I/O error');

    sim.failNext(/uptime/, { delayMs: 1500 });
    const slow = await request(stack.app).get(`/api/v1/routers/${id}/info`).set(as(alice));
    expect(slow.status).toBe(504);
    expect(slow.body.error.code).toBe('TIMEOUT');

    const history = await request(stack.app).get(`/api/v1/routers/${id}/commands`).set(as(alice));
    expect(history.body.items.slice(0, 2).map((c: { errorCode: string }) => c.errorCode)).toEqual(['TIMEOUT', 'COMMAND_FAILED']);
  });

  test('when the executor restarts between two actions, then the second still succeeds', async () => {
    const id = await addRouter(alice, sim);
    await request(stack.app).post(`/api/v1/routers/${id}/scan`).set(as(alice)).expect(200);
    await stack.restartExecutor();
    expect(stack.executorSessions?.size).toBe(0);
    const second = await request(stack.app).post(`/api/v1/routers/${id}/scan`).set(as(alice));
    expect(second.status).toBe(200);
    expect(stack.executorSessions?.get(alice.sessionId)).toBeTruthy();
  });
});

describe('router actions when the executor is down', () => {
  let stack: TestStack;
  let alice: Session;
  beforeAll(async () => {
    stack = await startStack({ executorUrl: `http://127.0.0.1:${await freePort()}` });
    alice = await buildSession(stack);
  });
  afterAll(async () => {
    await stack.close();
  });

  test('when the executor cannot be reached, then a block is stored pending and the API answers', async () => {
    const res = await request(stack.app)
      .post('/api/v1/routers')
      .set(bearer(alice.tokens.accessToken))
      .send({ name: 'r', host: '127.0.0.1', port: 2222, username: 'root', password: 'pw', platform: 'openwrt' });
    const block = await request(stack.app).post(`/api/v1/routers/${res.body.id}/blocks`).set(bearer(alice.tokens.accessToken)).send({ mac: '02:00:00:00:00:01' });
    expect(block.status).toBe(202);
    expect(block.body).toMatchObject({ status: 'pending', error: { code: 'EXECUTOR_UNAVAILABLE' } });
    const scan = await request(stack.app).post(`/api/v1/routers/${res.body.id}/scan`).set(bearer(alice.tokens.accessToken));
    expect(scan.status).toBe(503);
    expect(scan.body.error.code).toBe('EXECUTOR_UNAVAILABLE');
  });
});
