import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { loadConfig as loadExecutorConfig } from '../services/executor/src/config';
import { buildExecutor, type Executor } from '../services/executor/src/executor';
import { bearer, strongPassword } from './support/builders';
import { startControllerProcess, type ControllerProcess } from './support/controller-process';
import { createFreshDatabase, type FreshDatabase } from './support/fresh-database';
import { TEST_DESTINATIONS, TEST_EXECUTOR_TOKEN, testLogger } from './support/stack';

/**
 * A controller SIGKILLed while router actions are in flight, then a new one started: no
 * command is left pending or sent without a live owner, and the router's real block set
 * equals the stored one, with no sync call.
 */
describe('controller killed during actions', () => {
  let db: FreshDatabase;
  let executor: Executor;
  let executorServer: Server;
  let sim: RouterSim;
  const controllers: ControllerProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createFreshDatabase();
    executor = buildExecutor({ config: loadExecutorConfig({ NODE_ENV: 'test', EXECUTOR_TOKEN: TEST_EXECUTOR_TOKEN, ...TEST_DESTINATIONS }), logger: testLogger() });
    executorServer = await new Promise((resolve) => {
      const s = executor.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    sim = await startRouterSim({ platform: 'linux-nft' });
    env = {
      DATABASE_URL: db.url,
      ...TEST_DESTINATIONS,
      EXECUTOR_URL: `http://127.0.0.1:${(executorServer.address() as AddressInfo).port}`,
      EXECUTOR_TOKEN: TEST_EXECUTOR_TOKEN,
      JWT_SECRET: randomBytes(32).toString('hex'),
      NETPILOT_SECRET_KEY: randomBytes(32).toString('hex'),
      JOB_POLL_SECONDS: '0.5',
      // No drift check during the test: only the crash handling may repair the router.
      RECONCILE_INTERVAL_SECONDS: '3600',
    };
  });
  afterAll(async () => {
    for (const c of controllers) await c.kill();
    await sim.close();
    executor.close();
    await new Promise((r) => executorServer.close(r));
    await db.drop();
  });

  test('then within a minute the interrupted commands are failed INTERRUPTED and the router enforces exactly the stored blocks', async () => {
    const first = await startControllerProcess(env);
    controllers.push(first);
    const password = strongPassword();
    expect((await request(first.url).post('/api/v1/auth/register').send({ username: 'owner', password })).status).toBe(201);
    const login = await request(first.url).post('/api/v1/auth/login').send({ username: 'owner', password });
    const auth = bearer(login.body.accessToken);
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

    const second = await startControllerProcess(env);
    controllers.push(second);
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
