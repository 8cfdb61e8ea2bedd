import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { startCrashBed, type CrashBed } from './support/crash-bed';

/**
 * A controller SIGKILLed while router actions are in flight, then a new one started: no
 * command is left pending or sent without a live owner, and the router's real block set
 * equals the stored one, with no sync call.
 */
describe('controller killed during actions', () => {
  let bed: CrashBed;
  let sim: RouterSim;

  beforeAll(async () => {
    bed = await startCrashBed();
    sim = await startRouterSim({ platform: 'linux-nft' });
  });
  afterAll(async () => {
    await bed.close();
    await sim.close();
  });

  test('then within a minute the interrupted commands are failed INTERRUPTED and the router enforces exactly the stored blocks', async () => {
    const { db } = bed;
    const first = await bed.startController();
    const { authorization } = await bed.signUp(first);
    const auth = { authorization };
    const router = await request(first.url)
      .post('/api/v1/routers')
      .set(auth)
      .send({ name: 'r', host: sim.host, port: sim.port, username: sim.username, password: sim.password, platform: 'linux-nft' });
    expect(router.status).toBe(201);
    const id = router.body.id as string;
    expect((await request(first.url).get(`/api/v1/routers/${id}/info`).set(auth)).status).toBe(200);

    // Slow router: each command takes a while, so the blocks are in flight when the controller dies.
    sim.setLatency(400);
    const ips = ['10.7.0.1', '10.7.0.2', '10.7.0.3', '10.7.0.4', '10.7.0.5', '10.7.0.6'];
    const blocks = ips.map((ip) => request(first.url).post(`/api/v1/routers/${id}/blocks`).set(auth).send({ ip }).then(
      (r) => r.status,
      () => 'cut',
    ));
    const before = sim.commands.length;
    while (sim.commands.slice(before).filter((c) => /add element|create element/.test(c)).length < 2) await new Promise((r) => setTimeout(r, 10));
    await first.kill();
    await Promise.all(blocks);
    sim.setLatency(0);

    const [{ open }] = await db.query<{ open: number }>(`SELECT count(*)::int AS open FROM commands WHERE status IN ('pending', 'sent')`);
    expect(open).toBeGreaterThan(0);

    const second = await bed.startController();
    const restarted = Date.now();
    const settled = async () => {
      const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM commands WHERE status IN ('pending', 'sent')`);
      const stored = await db.query<{ value: string }>(`SELECT value FROM blocks WHERE router_id = $1 AND status <> 'removing' ORDER BY value`, [id]);
      return n === 0 && JSON.stringify(stored.map((b) => b.value)) === JSON.stringify([...sim.state.blocked.ipv4].sort());
    };
    while (!(await settled())) {
      if (Date.now() - restarted > 60_000) throw new Error(`not settled within a minute:\n${second.output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const interrupted = await db.query<{ error_code: string; action: string }>(`SELECT error_code, action FROM commands WHERE error_code = 'INTERRUPTED'`);
    expect(interrupted.length).toBe(open);
    // Every stored block is on the router, and the router holds no other.
    const stored = await db.query<{ value: string; status: string }>(`SELECT value, status FROM blocks WHERE router_id = $1`, [id]);
    expect(stored.map((b) => b.value).sort()).toEqual([...sim.state.blocked.ipv4].sort());
    expect(stored.length).toBeGreaterThan(0);
    expect(second.child.exitCode).toBeNull();
  }, 120_000);
});
