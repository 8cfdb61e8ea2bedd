import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { bearer } from './support/builders';
import { startCrashBed, type CrashBed } from './support/crash-bed';

const ROUTERS = 50;
const IP = '10.77.0.1';

/**
 * Issue 12, acceptance 2: a controller SIGKILLed while a bulk block over 50 routers is being
 * applied, then a new one started on the same database: every router ends up enforcing the
 * block, with no sync call, and the operation says so.
 */
describe('controller killed during a bulk operation', () => {
  let bed: CrashBed;
  const sims: RouterSim[] = [];

  beforeAll(async () => {
    // Few routers at a time, so that the operation is surely halfway when the controller dies.
    bed = await startCrashBed({ BULK_CONCURRENCY: '4' });
    for (let i = 0; i < ROUTERS; i++) sims.push(await startRouterSim({ platform: 'linux-nft' }));
  });
  afterAll(async () => {
    await bed.close();
    await Promise.all(sims.map((s) => s.close()));
  });

  test('then after a restart every router enforces the block, with no sync call, and the operation counts all of them', async () => {
    const { db } = bed;
    const first = await bed.startController();
    const { authorization, password } = await bed.signUp(first);
    const auth = { authorization };
    const ids: string[] = [];
    for (const [i, sim] of sims.entries()) {
      const res = await request(first.url)
        .post('/api/v1/routers')
        .set(auth)
        .send({ name: `office ${i}`, host: sim.host, port: sim.port, username: sim.username, password: sim.password, platform: 'linux-nft' });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }

    // Slow routers: the operation is in flight when the controller dies.
    for (const sim of sims) sim.setLatency(150);
    const started = await request(first.url).post('/api/v1/bulk/blocks').set(auth).send({ routerIds: ids, ip: IP });
    expect(started.status).toBe(202);
    const enforcing = () => sims.filter((s) => s.state.blocked.ipv4.includes(IP)).length;
    while (enforcing() < 3) await new Promise((r) => setTimeout(r, 10));
    await first.kill();
    const atKill = enforcing();
    expect(atKill).toBeLessThan(ROUTERS);
    for (const sim of sims) sim.setLatency(0);

    const second = await bed.startController();
    const again = await request(second.url).post('/api/v1/auth/login').send({ username: 'owner', password });
    const auth2 = bearer(again.body.accessToken);
    const restarted = Date.now();
    while (enforcing() < ROUTERS) {
      if (Date.now() - restarted > 90_000) throw new Error(`${enforcing()} of ${ROUTERS} routers blocked 90 s after the restart:\n${second.output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    // The operation, followed on the new controller, ends with every router applied.
    let op = (await request(second.url).get(`/api/v1/operations/${started.body.id}`).set(auth2)).body;
    while (op.succeeded < ROUTERS && Date.now() - restarted < 100_000) {
      await new Promise((r) => setTimeout(r, 250));
      op = (await request(second.url).get(`/api/v1/operations/${started.body.id}`).set(auth2)).body;
    }
    expect(op).toMatchObject({ total: ROUTERS, succeeded: ROUTERS, failed: 0, pending: 0 });
    // Nobody called sync; no command is left open.
    const [{ syncs }] = await db.query<{ syncs: number }>(`SELECT count(*)::int AS syncs FROM audit_log WHERE action = 'router.sync'`);
    expect(syncs).toBe(0);
    const [{ open }] = await db.query<{ open: number }>(`SELECT count(*)::int AS open FROM commands WHERE status IN ('pending', 'sent')`);
    expect(open).toBe(0);
    expect(second.child.exitCode).toBeNull();
  }, 180_000);
});
