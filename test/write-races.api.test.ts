import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { bearer, buildSession } from './support/builders';
import { startStack, type TestStack } from './support/stack';

type Session = Awaited<ReturnType<typeof buildSession>>;

/** Waits until the simulator has received a command matching `pattern` (the action is then in flight). */
async function commandArrived(sim: RouterSim, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!sim.commands.some((c) => pattern.test(c))) {
    if (Date.now() > deadline) throw new Error(`no command matching ${pattern} reached the simulator`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Writes that race with a router action in flight: each write changes only the columns it
 * owns, so nothing loaded before the SSH call is written back over a newer value.
 */
describe('writes racing with router actions', () => {
  let stack: TestStack;
  let sim: RouterSim;
  let alice: Session;
  const as = (s: Session) => bearer(s.tokens.accessToken);

  beforeAll(async () => {
    stack = await startStack();
    sim = await startRouterSim({ platform: 'linux-nft', devices: [{ mac: 'aa:bb:cc:00:00:07', ip: '192.168.70.7', hostname: 'tablet' }] });
    alice = await buildSession(stack);
  });
  afterAll(async () => {
    await sim.close();
    await stack.close();
  });

  async function addRouter(): Promise<string> {
    const res = await request(stack.app)
      .post('/api/v1/routers')
      .set(as(alice))
      .send({ name: 'race', host: sim.host, port: sim.port, username: sim.username, password: sim.password, platform: 'linux-nft' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  test('when the router registers during its first scan, then the key stays spent and the new router token stays valid', async () => {
    const id = await addRouter();
    const key = await request(stack.app).post(`/api/v1/routers/${id}/provision-key`).set(as(alice));
    expect(key.status).toBe(201);

    // The first scan pins the host key when it ends; hold it on the router meanwhile.
    sim.failNext(/proc\/net\/arp/, { delayMs: 600 });
    const scan = request(stack.app).post(`/api/v1/routers/${id}/scan`).set(as(alice)).then((r) => r);
    await commandArrived(sim, /proc\/net\/arp/);
    const registered = await request(stack.app).post('/api/v1/routers/register').send({ provisionKey: key.body.provisionKey, hostname: 'race-router' });
    expect(registered.status).toBe(201);
    expect((await scan).status).toBe(200);

    const router = await request(stack.app).get(`/api/v1/routers/${id}`).set(as(alice));
    expect(router.body.hostKeySha256).toBe(sim.hostKeySha256);
    const heartbeat = await request(stack.app).post(`/api/v1/routers/${id}/heartbeat`).set(bearer(registered.body.routerToken));
    expect(heartbeat.status).toBe(200);
    const again = await request(stack.app).post('/api/v1/routers/register').send({ provisionKey: key.body.provisionKey });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('PROVISION_KEY_INVALID');
  });

  test('when a device is blocked again while its unblock is in flight, then the block ends stored and enforced on the router', async () => {
    const id = await addRouter();
    const ip = '192.168.70.7';
    const first = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ ip });
    expect(first.status).toBe(201);
    expect(sim.state.blocked.ipv4).toContain(ip);

    // The unblock reaches the router but takes a while there; the re-block arrives meanwhile.
    sim.failNext(/delete element/, { delayMs: 500 });
    const unblock = request(stack.app).delete(`/api/v1/routers/${id}/blocks/${first.body.id}`).set(as(alice)).then((r) => r);
    await commandArrived(sim, /delete element/);
    const reblock = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ ip });
    expect([200, 201]).toContain(reblock.status);
    expect((await unblock).status).toBeLessThan(300);

    const blocks = await request(stack.app).get(`/api/v1/routers/${id}/blocks`).set(as(alice));
    expect(blocks.body.items).toEqual([expect.objectContaining({ ip, status: 'applied' })]);
    expect(sim.state.blocked.ipv4).toContain(ip);
  });
});
