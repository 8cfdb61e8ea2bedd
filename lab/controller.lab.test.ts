import request from 'supertest';
import { bearer, buildSession } from '../test/support/builders';
import { startStack, type TestStack } from '../test/support/stack';
import { firewallState } from './firewall-state';
import { startLab, type Lab, type LabRouter } from './harness';

type Session = Awaited<ReturnType<typeof buildSession>>;

/**
 * The whole product on real routers: controller API → executor → OpenSSH in a network
 * namespace → nftables/iptables, judged by the LAN client's real traffic.
 */
describe('controller end to end on lab routers', () => {
  let lab: Lab;
  let stack: TestStack;
  let owner: Session;

  beforeAll(async () => {
    lab = await startLab();
    stack = await startStack();
    owner = await buildSession(stack);
  });
  afterAll(async () => {
    await stack?.close();
    await lab?.teardown();
  });

  async function addRouter(r: LabRouter, extra: Record<string, unknown> = {}) {
    const res = await request(stack.app)
      .post('/api/v1/routers')
      .set(bearer(owner.tokens.accessToken))
      .send({
        name: r.name,
        host: r.target.host,
        port: r.target.port,
        username: r.target.username,
        password: r.target.password,
        platform: r.platform,
        options: { leasesPath: r.leasesPath },
        ...extra,
      });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  describe.each(['r1', 'r2'] as const)('router %s', (name) => {
    let r: LabRouter;
    let id: string;
    beforeAll(async () => {
      r = lab[name];
      id = await addRouter(r);
    });

    test('when a scan runs, then the LAN client is stored with its MAC and leased hostname', async () => {
      const scan = await request(stack.app).post(`/api/v1/routers/${id}/scan`).set(bearer(owner.tokens.accessToken));
      expect(scan.status).toBe(200);
      const devices = await request(stack.app).get(`/api/v1/routers/${id}/devices`).set(bearer(owner.tokens.accessToken));
      expect(devices.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ mac: r.client.mac, ip: r.client.ip, hostname: r.client.hostname })]),
      );
    });

    test('when the client is blocked through the API, then its ping to the router fails, and works again after the unblock', async () => {
      expect(await lab.pingFromClient(r)).toBe(true);
      const block = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(bearer(owner.tokens.accessToken)).send({ ip: r.client.ip, reason: 'lab' });
      expect(block.status).toBe(201);
      expect(block.body.status).toBe('applied');
      expect(await lab.pingFromClient(r)).toBe(false);

      const un = await request(stack.app).delete(`/api/v1/routers/${id}/blocks/${block.body.id}`).set(bearer(owner.tokens.accessToken));
      expect(un.status).toBe(200);
      expect(await lab.pingFromClient(r)).toBe(true);
    });

    test('when the client is blocked by MAC, then its traffic stops; sync after a manual flush puts it back', async () => {
      const block = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(bearer(owner.tokens.accessToken)).send({ mac: r.client.mac });
      expect(block.status).toBe(201);
      expect(await lab.pingFromClient(r)).toBe(false);

      // Someone flushes our firewall state by hand on the router; desired state says it must be blocked.
      const flush = r.platform === 'linux-nft' ? 'nft flush set inet netpilot blockedmac' : 'iptables -F NETPILOT && ip6tables -F NETPILOT';
      expect((await lab.routerExec(r, flush)).code).toBe(0);
      expect(await lab.pingFromClient(r)).toBe(true);
      const sync = await request(stack.app).post(`/api/v1/routers/${id}/sync`).set(bearer(owner.tokens.accessToken));
      expect(sync.status).toBe(200);
      expect(sync.body.applied).toEqual([`mac:${r.client.mac}`]);
      expect(await lab.pingFromClient(r)).toBe(false);

      await request(stack.app).delete(`/api/v1/routers/${id}/blocks/${block.body.id}`).set(bearer(owner.tokens.accessToken)).expect(200);
      expect(await lab.pingFromClient(r)).toBe(true);
    });

    test('when info is asked for, then uptime, load and memory come from the real router', async () => {
      const info = await request(stack.app).get(`/api/v1/routers/${id}/info`).set(bearer(owner.tokens.accessToken));
      expect(info.status).toBe(200);
      expect(info.body.uptimeSeconds).toBeGreaterThan(0);
      expect(info.body.memory.totalBytes).toBeGreaterThan(0);
      expect(info.body.load).toHaveLength(3);
    });
  });

  test('when one address is blocked on both lab routers at once (bulk), then both firewalls hold it and the client loses its traffic; a bulk unblock lifts it everywhere', async () => {
    const auth = bearer(owner.tokens.accessToken);
    const ids = [await addRouter(lab.r1), await addRouter(lab.r2)];
    const ip = lab.r1.client.ip;
    expect(await lab.pingFromClient(lab.r1)).toBe(true);
    const started = await request(stack.app).post('/api/v1/bulk/blocks').set(auth).send({ routerIds: ids, ip, reason: 'lab bulk' });
    expect(started.status).toBe(202);
    // This stack runs no job workers: the operation's job handler is called as a worker would.
    await stack.services.operations.apply(started.body.id);
    const done = await request(stack.app).get(`/api/v1/operations/${started.body.id}`).set(auth);
    expect(done.body).toMatchObject({ status: 'done', total: 2, succeeded: 2, failed: 0, pending: 0 });
    for (const r of [lab.r1, lab.r2]) expect((await firewallState(lab, r)).ips).toContain(ip);
    expect(await lab.pingFromClient(lab.r1)).toBe(false);

    const lifted = await request(stack.app).post('/api/v1/bulk/unblocks').set(auth).send({ routerIds: ids, ip });
    expect(lifted.status).toBe(202);
    await stack.services.operations.apply(lifted.body.id);
    expect((await request(stack.app).get(`/api/v1/operations/${lifted.body.id}`).set(auth)).body).toMatchObject({ status: 'done', succeeded: 2 });
    for (const r of [lab.r1, lab.r2]) expect((await firewallState(lab, r)).ips).not.toContain(ip);
    expect(await lab.pingFromClient(lab.r1)).toBe(true);
  });

  test('when a router is only reachable through a jump host, then the controller reaches it via the bastion', async () => {
    const r = lab.r1;
    const res = await request(stack.app)
      .post('/api/v1/routers')
      .set(bearer(owner.tokens.accessToken))
      .send({
        name: 'behind-bastion',
        host: r.mgmtHost,
        port: 22,
        username: r.target.username,
        password: r.target.password,
        platform: r.platform,
        options: { leasesPath: r.leasesPath },
        jumpHost: { host: lab.bastion.host, port: lab.bastion.port, username: lab.bastion.username, password: lab.bastion.password, hostKeySha256: lab.bastion.hostKeySha256 },
      });
    expect(res.status).toBe(201);
    const info = await request(stack.app).get(`/api/v1/routers/${res.body.id}/info`).set(bearer(owner.tokens.accessToken));
    expect(info.status).toBe(200);
    const router = await request(stack.app).get(`/api/v1/routers/${res.body.id}`).set(bearer(owner.tokens.accessToken));
    expect(router.body.hostKeySha256).toBe(r.hostKeySha256);
    expect(JSON.stringify(router.body)).not.toContain(lab.bastion.password);
  });
});
