import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { ReconcileService } from '../services/controller/src/modules/reconcile/reconcile.service';
import { bearer, buildSession } from './support/builders';
import { startStack, type TestStack } from './support/stack';

/** Two controller replicas on one database, each with its background work running. */
describe('two controller replicas sharing one database', () => {
  let a: TestStack;
  let b: TestStack;
  let sim: RouterSim;
  // Replicas share their secrets, as real ones do.
  const env = { JWT_SECRET: 'replica-shared-jwt-secret-0123456789abcdef', NETPILOT_SECRET_KEY: 'cd'.repeat(32), JOB_POLL_SECONDS: '0.5', ROUTER_LIVENESS_INTERVAL_SECONDS: '1', SESSION_SWEEP_INTERVAL_SECONDS: '1', RECONCILE_INTERVAL_SECONDS: '3600' };

  beforeAll(async () => {
    a = await startStack({ background: true, env });
    b = await startStack({ background: true, env: { ...env, DATABASE_URL: a.config.databaseUrl } });
    sim = await startRouterSim({ platform: 'linux-nft' });
  });
  afterAll(async () => {
    await sim.close();
    await b.close();
    await a.close();
  });

  test('when periodic jobs run for a while, then each runs once per interval across both replicas', async () => {
    const runs: { replica: string; at: number }[] = [];
    for (const [name, stack] of [['a', a], ['b', b]] as const) {
      const liveness = stack.services.routerLiveness;
      const original = liveness.runOnce.bind(liveness);
      liveness.runOnce = async () => {
        runs.push({ replica: name, at: Date.now() });
        return original();
      };
    }
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 6_500));
    const seconds = (Date.now() - started) / 1000;
    // One run per one-second slot: never two in a slot, and none missed but at the edges.
    const slots = runs.map((r) => Math.floor(r.at / 1000));
    expect(new Set(slots).size).toBe(slots.length);
    expect(runs.length).toBeGreaterThanOrEqual(Math.floor(seconds) - 1);
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  });

  test('when both replicas are asked to reconcile one router many times at once, then its reconciles never overlap', async () => {
    const alice = await buildSession(a);
    const created = await request(a.app)
      .post('/api/v1/routers')
      .set(bearer(alice.tokens.accessToken))
      .send({ name: 'shared', host: sim.host, port: sim.port, username: sim.username, password: sim.password, platform: 'linux-nft' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    for (const ip of ['10.1.0.1', '10.1.0.2', '10.1.0.3']) {
      expect((await request(a.app).post(`/api/v1/routers/${id}/blocks`).set(bearer(alice.tokens.accessToken)).send({ ip })).status).toBe(201);
    }

    let active = 0;
    let maxActive = 0;
    let reconciles = 0;
    // Watch every reconcile of this router on both replicas through the real code.
    const original = (ReconcileService.prototype as unknown as { run: (...args: unknown[]) => Promise<unknown> }).run;
    (ReconcileService.prototype as unknown as { run: (...args: unknown[]) => Promise<unknown> }).run = async function (this: unknown, ...args: unknown[]) {
      active++;
      reconciles++;
      maxActive = Math.max(maxActive, active);
      try {
        return await original.apply(this, args);
      } finally {
        active--;
      }
    };
    try {
      sim.setLatency(30);
      sim.reloadFirewall();
      const requests: Promise<unknown>[] = [];
      for (let i = 0; i < 10; i++) {
        requests.push(a.services.reconcileJobs.request(id, 'test'), b.services.reconcileJobs.request(id, 'test'));
        requests.push(request(i % 2 ? a.app : b.app).post(`/api/v1/routers/${id}/sync`).set(bearer(alice.tokens.accessToken)).then((r) => r));
      }
      const answers = (await Promise.all(requests)).filter((x): x is { status: number } => typeof x === 'object' && x !== null && 'status' in x);
      expect(answers.map((x) => x.status)).toEqual(Array(10).fill(200));
      await new Promise((r) => setTimeout(r, 3_000));
    } finally {
      (ReconcileService.prototype as unknown as { run: typeof original }).run = original;
      sim.setLatency(0);
    }
    expect(reconciles).toBeGreaterThanOrEqual(10);
    expect(maxActive).toBe(1);
    expect([...sim.state.blocked.ipv4].sort()).toEqual(['10.1.0.1', '10.1.0.2', '10.1.0.3']);
  });
});
