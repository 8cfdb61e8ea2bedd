import { createServer, type Server, type Socket } from 'node:net';
import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { bearer, buildSession, buildSimRouter } from './support/builders';
import { startStack, type TestStack } from './support/stack';
import { within } from './support/wait';

const RECONCILES = 30;
const CONNECT_TIMEOUT_MS = 2000;

/**
 * The job queue is shared by reconciles, housekeeping and users' bulk operations. A backlog
 * of reconciles that each wait out a timeout (routers that accept TCP and never answer) must
 * not hold back audit sealing or a bulk operation: at three workers, the backlog alone keeps
 * every worker busy for RECONCILES / 3 × 2 s = 20 s.
 */
describe('job priorities (background work running, a queue full of slow reconciles)', () => {
  let stack: TestStack;
  let blackHole: Server;
  const sockets = new Set<Socket>();
  let sim: RouterSim;

  beforeAll(async () => {
    stack = await startStack({
      background: true,
      // Three workers: one reconcile at a time plus two.
      env: { RECONCILE_CONCURRENCY: '1', JOB_POLL_SECONDS: '0.5', RECONCILE_INTERVAL_SECONDS: '3600' },
      executorEnv: { SSH_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS), SSH_MAX_HANDSHAKES_PER_HOST: '64' },
    });
    blackHole = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
    sim = await startRouterSim({ platform: 'linux-nft' });
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => blackHole.close(r));
    await sim.close();
    await stack.close();
  });

  test('when reconciles of silent routers fill every worker, then audit entries are still sealed and a bulk block still runs within seconds', async () => {
    const alice = await buildSession(stack);
    const port = (blackHole.address() as { port: number }).port;
    const silent: string[] = [];
    for (let i = 0; i < RECONCILES; i++) silent.push(await buildSimRouter(stack, alice, { host: '127.0.0.1', port, username: 'root' }));
    const live = await buildSimRouter(stack, alice, sim);
    for (const id of silent) await stack.services.reconcileJobs.request(id, 'test backlog');
    // Every worker is waiting on a silent router now.
    await within(5_000, () => sockets.size >= 1);

    await stack.services.audit.record({ action: 'test.priority', details: { marker: 'behind the backlog' } });
    const sealed = async () => {
      const rows = await stack.db.sql.query<{ hash: string | null }>(`SELECT hash FROM audit_log WHERE action = 'test.priority'`);
      return rows[0]?.hash != null;
    };
    await within(8_000, sealed);

    const started = await request(stack.app).post('/api/v1/bulk/blocks').set(bearer(alice.tokens.accessToken)).send({ routerIds: [live], ip: '10.55.0.1' });
    expect(started.status).toBe(202);
    await within(8_000, () => sim.state.blocked.ipv4.includes('10.55.0.1'));
    // The backlog is still there: what ran first did so by priority, not because the queue was empty.
    const [{ waiting }] = await stack.db.sql.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM graphile_worker.jobs WHERE task_identifier = 'router.reconcile'`,
    );
    expect(waiting).toBeGreaterThan(0);
  }, 60_000);
});
