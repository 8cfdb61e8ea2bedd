import request from 'supertest';
import { bearer, buildSession } from '../test/support/builders';
import { startStack, type TestStack } from '../test/support/stack';
import { startLab, type Lab, type LabRouter } from './harness';
import { within } from '../test/support/wait';

type Session = Awaited<ReturnType<typeof buildSession>>;

/** What a reboot or a firewall reload leaves: none of our table or chain, none of our blocks. */
function flushCommand(r: LabRouter): string {
  return r.platform === 'linux-nft'
    ? 'nft flush ruleset'
    : 'for t in iptables ip6tables; do $t -F && $t -X; done';
}

/** The router stops answering SSH (connections refused and reset) while its LAN keeps working. */
function sshDown(down: boolean): string {
  const rule = '-p tcp --dport 22 -j REJECT --reject-with tcp-reset';
  return down ? `iptables -I INPUT 1 ${rule}` : `iptables -D INPUT ${rule}`;
}

/**
 * The desired state holds by itself on real routers (SPEC section 7): after a reboot that
 * empties the firewall, after a manual flush with no heartbeat, and for a block made while the
 * router was down — judged by the LAN client's real traffic, with no sync call.
 */
describe('convergence on lab routers', () => {
  let lab: Lab;
  let stack: TestStack;
  let owner: Session;
  const as = () => bearer(owner.tokens.accessToken);

  beforeAll(async () => {
    lab = await startLab();
    stack = await startStack({
      background: true,
      env: { RECONCILE_INTERVAL_SECONDS: '5', RECONCILE_RETRY_BASE_SECONDS: '0.5', RECONCILE_RETRY_MAX_SECONDS: '3', JOB_POLL_SECONDS: '0.5' },
      executorEnv: { SSH_CONNECT_TIMEOUT_MS: '2000', ACTION_TIMEOUT_MS: '4000', CONNECTION_IDLE_MS: '60000' },
    });
    owner = await buildSession(stack);
  });
  afterAll(async () => {
    await stack?.close();
    await lab?.teardown();
  });

  describe.each(['r1', 'r2'] as const)('router %s', (name) => {
    let r: LabRouter;
    let id: string;
    let token: string;
    beforeAll(async () => {
      r = lab[name];
      const res = await request(stack.app)
        .post('/api/v1/routers')
        .set(as())
        .send({ name: r.name, host: r.target.host, port: r.target.port, username: r.target.username, password: r.target.password, platform: r.platform, options: { leasesPath: r.leasesPath } });
      expect(res.status).toBe(201);
      id = res.body.id;
      const key = await request(stack.app).post(`/api/v1/routers/${id}/provision-key`).set(as());
      token = (await request(stack.app).post('/api/v1/routers/register').send({ provisionKey: key.body.provisionKey })).body.routerToken;
      await request(stack.app).post(`/api/v1/routers/${id}/heartbeat`).set(bearer(token)).send({ bootId: `${name}-boot-1`, uptimeSeconds: 1000 }).expect(200);
    });

    test('when the router reboots with an empty firewall and a heartbeat brings a new boot id, then the client is cut off again within 10 s', async () => {
      const block = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as()).send({ ip: r.client.ip });
      expect(block.body.status).toBe('applied');
      expect(await lab.pingFromClient(r)).toBe(false);

      expect((await lab.routerExec(r, flushCommand(r))).code).toBe(0);
      expect(await lab.pingFromClient(r)).toBe(true);
      const hb = await request(stack.app).post(`/api/v1/routers/${id}/heartbeat`).set(bearer(token)).send({ bootId: `${name}-boot-2`, uptimeSeconds: 4 });
      expect(hb.body.rebooted).toBe(true);
      const took = await within(10_000, async () => !(await lab.pingFromClient(r)), 200);
      expect(took).toBeLessThan(10_000);
      await request(stack.app).delete(`/api/v1/routers/${id}/blocks/${block.body.id}`).set(as()).expect(200);
      expect(await lab.pingFromClient(r)).toBe(true);
    });

    test('when the firewall is flushed and no heartbeat comes, then the drift check cuts the client off again within one interval', async () => {
      const block = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as()).send({ mac: r.client.mac });
      expect(block.body.status).toBe('applied');
      expect((await lab.routerExec(r, flushCommand(r))).code).toBe(0);
      expect(await lab.pingFromClient(r)).toBe(true);
      // RECONCILE_INTERVAL_SECONDS=5: the next read comes within an interval, give or take the sweep's second.
      await within(8_000, async () => !(await lab.pingFromClient(r)), 200);
      await within(3_000, async () => (await request(stack.app).get(`/api/v1/routers/${id}`).set(as())).body.convergence.state === 'in-sync', 200);
      await request(stack.app).delete(`/api/v1/routers/${id}/blocks/${block.body.id}`).set(as()).expect(200);
      expect(await lab.pingFromClient(r)).toBe(true);
    });

    test('when a block is made while the router cannot be reached, then it is pending, and traffic stops by itself once the router is back', async () => {
      expect((await lab.routerExec(r, sshDown(true))).code).toBe(0);
      let block;
      try {
        block = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as()).send({ ip: r.client.ip });
        expect(block.status).toBe(202);
        expect(block.body).toMatchObject({ status: 'pending', error: { code: 'ROUTER_UNREACHABLE' } });
        expect(await lab.pingFromClient(r)).toBe(true);
      } finally {
        expect((await lab.routerExec(r, sshDown(false))).code).toBe(0);
      }
      // Retries back off up to RECONCILE_RETRY_MAX_SECONDS (3 s here).
      await within(3_000 + 8_000, async () => !(await lab.pingFromClient(r)), 200);
      const blocks = await request(stack.app).get(`/api/v1/routers/${id}/blocks`).set(as());
      expect(blocks.body.items).toEqual([expect.objectContaining({ ip: r.client.ip, status: 'applied' })]);
      await request(stack.app).delete(`/api/v1/routers/${id}/blocks/${block.body.id}`).set(as()).expect(200);
      expect(await lab.pingFromClient(r)).toBe(true);
    });
  });
});
