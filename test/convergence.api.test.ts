import request from 'supertest';
import { generateEd25519 } from '@netpilot/router-sim';
import { bearer, buildSession } from './support/builders';
import { startStack, type TestStack } from './support/stack';
import { within } from './support/wait';
import { simulators } from './support/sims';

type Session = Awaited<ReturnType<typeof buildSession>>;

/**
 * Routers converge by themselves: the controller with its background work (job queue,
 * reconciles, drift check) against simulated routers whose firewall loses our blocks.
 */
describe('convergence (simulator, background work running)', () => {
  let stack: TestStack;
  let alice: Session;
  const fleet = simulators();
  const as = () => bearer(alice.tokens.accessToken);

  beforeAll(async () => {
    stack = await startStack({
      background: true,
      env: {
        RECONCILE_INTERVAL_SECONDS: '5',
        RECONCILE_RETRY_BASE_SECONDS: '0.5',
        RECONCILE_RETRY_MAX_SECONDS: '2',
        JOB_POLL_SECONDS: '0.5',
        ROUTER_LIVENESS_INTERVAL_SECONDS: '1',
      },
      executorEnv: { SSH_CONNECT_TIMEOUT_MS: '1000', ACTION_TIMEOUT_MS: '2000' },
    });
    alice = await buildSession(stack);
  });
  afterAll(async () => {
    await fleet.closeAll();
    await stack.close();
  });

  const sim = fleet.start;

  async function addRouter(s: { host: string; port: number; username: string; password?: string }): Promise<string> {
    const res = await request(stack.app)
      .post('/api/v1/routers')
      .set(as())
      .send({ name: 'converging', host: s.host, port: s.port, username: s.username, password: s.password ?? 'netpilot', platform: 'linux-nft' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function register(routerId: string): Promise<string> {
    const key = await request(stack.app).post(`/api/v1/routers/${routerId}/provision-key`).set(as());
    const reg = await request(stack.app).post('/api/v1/routers/register').send({ provisionKey: key.body.provisionKey });
    expect(reg.status).toBe(201);
    return reg.body.routerToken as string;
  }

  test('when a heartbeat reports a new boot id after the router lost its firewall, then the blocks are back without any API call', async () => {
    const s = await sim();
    const id = await addRouter(s);
    const token = await register(id);
    expect((await request(stack.app).post(`/api/v1/routers/${id}/heartbeat`).set(bearer(token)).send({ bootId: 'boot-aaaaaaaa', uptimeSeconds: 100 })).status).toBe(200);
    const block = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as()).send({ ip: '192.168.9.20' });
    expect(block.status).toBe(201);
    expect(s.state.blocked.ipv4).toContain('192.168.9.20');

    // The router reboots: its firewall comes back empty.
    s.reloadFirewall();
    s.dropAllConnections();
    expect(s.state.blocked.ipv4).not.toContain('192.168.9.20');
    const hb = await request(stack.app).post(`/api/v1/routers/${id}/heartbeat`).set(bearer(token)).send({ bootId: 'boot-bbbbbbbb', uptimeSeconds: 3 });
    expect(hb.body).toMatchObject({ status: 'online', rebooted: true });

    await within(10_000, () => s.state.blocked.ipv4.includes('192.168.9.20'));
    // The router answers before the controller records the command's outcome.
    await within(3_000, async () => {
      const history = await request(stack.app).get(`/api/v1/routers/${id}/commands`).set(as());
      return history.body.items.some((c: { action: string; actor: string; requestedBy: string | null; status: string }) => c.action === 'block' && c.actor === 'system' && c.requestedBy === null && c.status === 'succeeded');
    });
    const audit = await stack.dataSource.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['router.rebooted', 'router.drift_repaired']));
  });

  test('when uptime goes backwards, then that is a reboot too', async () => {
    const s = await sim();
    const id = await addRouter(s);
    const token = await register(id);
    await request(stack.app).post(`/api/v1/routers/${id}/heartbeat`).set(bearer(token)).send({ uptimeSeconds: 5000 });
    const hb = await request(stack.app).post(`/api/v1/routers/${id}/heartbeat`).set(bearer(token)).send({ uptimeSeconds: 12 });
    expect(hb.body.rebooted).toBe(true);
    const steady = await request(stack.app).post(`/api/v1/routers/${id}/heartbeat`).set(bearer(token)).send({ uptimeSeconds: 80 });
    expect(steady.body.rebooted).toBe(false);
  });

  test('when the firewall is flushed and no heartbeat comes, then the drift check repairs it within one interval, and the router shows in sync', async () => {
    const s = await sim();
    const id = await addRouter(s);
    expect((await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as()).send({ mac: 'aa:bb:cc:dd:ee:01' })).status).toBe(201);
    // The first contact's reconcile (the router came online) has run and found nothing to do.
    await within(5_000, async () => (await request(stack.app).get(`/api/v1/routers/${id}`).set(as())).body.convergence.state === 'in-sync');
    const commandsBefore = s.commands.length;
    s.reloadFirewall();
    expect(s.state.blocked.macs).toHaveLength(0);
    // RECONCILE_INTERVAL_SECONDS is 5: a check starts within 5 s of the last read (spread over it), plus the run.
    await within(12_000, () => s.state.blocked.macs.includes('aa:bb:cc:dd:ee:01'));
    // Repaired by a reconcile that read the router first (list-blocked), as the system.
    expect(s.commands.slice(commandsBefore).some((c) => /list table inet netpilot/.test(c))).toBe(true);
    await within(3_000, async () => (await request(stack.app).get(`/api/v1/routers/${id}/commands`).set(as())).body.items[0]?.status !== 'sent');
    const history = await request(stack.app).get(`/api/v1/routers/${id}/commands`).set(as());
    expect(history.body.items[0]).toMatchObject({ action: 'block', actor: 'system', status: 'succeeded' });
    await within(3_000, async () => (await request(stack.app).get(`/api/v1/routers/${id}`).set(as())).body.convergence.state === 'in-sync');
    const router = await request(stack.app).get(`/api/v1/routers/${id}`).set(as());
    expect(router.body.convergence).toMatchObject({ state: 'in-sync', lastError: null });
    expect(Date.parse(router.body.convergence.lastReconciledAt)).toBeGreaterThan(Date.now() - 15_000);
    const blocks = await request(stack.app).get(`/api/v1/routers/${id}/blocks`).set(as());
    expect(blocks.body.items[0]).toMatchObject({ mac: 'aa:bb:cc:dd:ee:01', status: 'applied' });
    expect(Date.parse(blocks.body.items[0].verifiedAt)).toBeGreaterThan(Date.now() - 15_000);
  });

  test('when a block is requested while the router is down, then it is pending, and applied by itself when the router is back', async () => {
    const hostKey = generateEd25519().privateKey;
    const first = await sim({ hostKey });
    const { port } = first;
    const id = await addRouter(first);
    // First contact pins the host key; then the router goes away.
    expect((await request(stack.app).get(`/api/v1/routers/${id}/info`).set(as())).status).toBe(200);
    await fleet.stop(first);

    const block = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as()).send({ ip: '10.9.8.7' });
    expect(block.status).toBe(202);
    expect(block.body).toMatchObject({ status: 'pending', error: { code: 'ROUTER_UNREACHABLE' } });
    const down = await request(stack.app).get(`/api/v1/routers/${id}`).set(as());
    expect(down.body.status).toBe('offline');
    expect(['pending', 'unreachable']).toContain(down.body.convergence.state);

    const back = await sim({ hostKey, port });
    // Retries back off up to RECONCILE_RETRY_MAX_SECONDS (2 s here).
    await within(8_000, () => back.state.blocked.ipv4.includes('10.9.8.7'));
    await within(3_000, async () => (await request(stack.app).get(`/api/v1/routers/${id}/blocks`).set(as())).body.items[0]?.status === 'applied');
    const router = await request(stack.app).get(`/api/v1/routers/${id}`).set(as());
    expect(router.body.status).toBe('online');
    expect(router.body.convergence.state).toBe('in-sync');
  });

  test('when an action reaches a router that is already online, then no router.online entry or event follows, however long ago it was last seen', async () => {
    const s = await sim();
    const id = await addRouter(s);
    expect((await request(stack.app).post(`/api/v1/routers/${id}/scan`).set(as())).status).toBe(200);
    const count = async (sql: string) => (await stack.dataSource.query(sql, [id]))[0].n as number;
    const onlineAudits = () => count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'router.online' AND target_id = $1`);
    const onlineEvents = () => count(`SELECT count(*)::int AS n FROM events WHERE type = 'router.online' AND router_id = $1`);
    // The first contact's entry and event are written after the answer.
    await within(10_000, async () => (await onlineAudits()) > 0 && (await onlineEvents()) > 0);
    // (Reconciles are not counted here: this suite's drift check reads routers every few seconds.)
    const before = { audits: await onlineAudits(), events: await onlineEvents() };
    expect(before.audits).toBe(1);
    // Last seen 20 s ago, still online: the next action moves its last contact, nothing else.
    await stack.dataSource.query(`UPDATE routers SET last_seen_at = now() - interval '20 seconds' WHERE id = $1`, [id]);
    expect((await request(stack.app).post(`/api/v1/routers/${id}/scan`).set(as())).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await onlineAudits()).toBe(before.audits);
    expect(await onlineEvents()).toBe(before.events);
    const seen = await request(stack.app).get(`/api/v1/routers/${id}`).set(as());
    expect(Date.parse(seen.body.lastSeenAt)).toBeGreaterThan(Date.now() - 5_000);
  });

  test('when an action reaches a router that sends no heartbeats, then it shows online; the liveness job leaves it alone', async () => {
    const s = await sim();
    const id = await addRouter(s);
    expect((await request(stack.app).get(`/api/v1/routers/${id}`).set(as())).body.status).toBe('unknown');
    expect((await request(stack.app).post(`/api/v1/routers/${id}/scan`).set(as())).status).toBe(200);
    const seen = await request(stack.app).get(`/api/v1/routers/${id}`).set(as());
    expect(seen.body.status).toBe('online');
    expect(seen.body.lastSeenAt).not.toBeNull();
    await stack.services.routerLiveness.runOnce();
    expect((await request(stack.app).get(`/api/v1/routers/${id}`).set(as())).body.status).toBe('online');
  });
});
