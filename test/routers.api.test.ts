import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { bearer, buildSession, buildUser } from './support/builders';
import { startStack, type TestStack } from './support/stack';

type Session = Awaited<ReturnType<typeof buildSession>>;

describe('routers: ownership, assignments, onboarding', () => {
  let stack: TestStack;
  let sim: RouterSim;
  let alice: Session;
  let bob: Session;
  let admin: Session;

  beforeAll(async () => {
    stack = await startStack({ env: { ROUTER_OFFLINE_AFTER: '60000' } });
    sim = await startRouterSim({ platform: 'linux-nft' });
    alice = await buildSession(stack);
    bob = await buildSession(stack);
    admin = await buildSession(stack, { role: 'admin' });
  });
  afterAll(async () => {
    await sim.close();
    await stack.close();
  });

  const routerBody = (overrides: Record<string, unknown> = {}) => ({
    name: 'home',
    host: sim.host,
    port: sim.port,
    username: sim.username,
    password: sim.password,
    platform: 'linux-nft',
    ...overrides,
  });

  async function createRouter(owner: Session, overrides: Record<string, unknown> = {}) {
    const res = await request(stack.app).post('/api/v1/routers').set(bearer(owner.tokens.accessToken)).send(routerBody(overrides));
    expect(res.status).toBe(201);
    return res.body as { id: string; [k: string]: unknown };
  }

  test('when a user adds a router, then they own it and its credentials never come back', async () => {
    const res = await request(stack.app).post('/api/v1/routers').set(bearer(alice.tokens.accessToken)).send(routerBody({ name: 'office' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'office', host: sim.host, port: sim.port, platform: 'linux-nft', authMethod: 'password', ownerId: alice.user.id, access: 'owner', status: 'unknown', hostKeySha256: null });
    const got = await request(stack.app).get(`/api/v1/routers/${res.body.id}`).set(bearer(alice.tokens.accessToken));
    for (const body of [res.body, got.body]) {
      expect(JSON.stringify(body)).not.toContain(sim.password!);
      expect(Object.keys(body)).not.toEqual(expect.arrayContaining(['password']));
    }
    const audit = await stack.dataSource.query(`SELECT details::text AS d FROM audit_log WHERE target_id = $1`, [res.body.id]);
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.map((r: { d: string }) => r.d).join()).not.toContain(sim.password!);
    const stored = await stack.dataSource.query('SELECT credentials_enc FROM routers WHERE id = $1', [res.body.id]);
    expect(stored[0].credentials_enc).not.toContain(sim.password!);
  });

  test('when input is bad, then 400 names the field and nothing is stored', async () => {
    for (const [patch, field] of [
      [{ host: 'bad host; reboot' }, 'host'],
      [{ port: 0 }, 'port'],
      [{ platform: 'cisco-ios' }, 'platform'],
      [{ username: 'root$(id)' }, 'username'],
      [{ options: { leasesPath: '/tmp/$(reboot)' } }, 'leasesPath'],
      [{ password: undefined }, 'password'],
    ] as const) {
      const res = await request(stack.app).post('/api/v1/routers').set(bearer(alice.tokens.accessToken)).send(routerBody(patch));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.error)).toContain(field);
    }
  });

  test("when another user touches a router they neither own nor are assigned, then every route answers 404", async () => {
    const r = await createRouter(alice);
    const blockRes = await request(stack.app).post(`/api/v1/routers/${r.id}/blocks`).set(bearer(alice.tokens.accessToken)).send({ ip: '10.9.9.9' });
    expect([201, 202]).toContain(blockRes.status);
    const blockId = blockRes.body.id as string;
    const routes: [string, string, object?][] = [
      ['get', `/api/v1/routers/${r.id}`],
      ['patch', `/api/v1/routers/${r.id}`, { name: 'mine now' }],
      ['delete', `/api/v1/routers/${r.id}`],
      ['get', `/api/v1/routers/${r.id}/assignments`],
      ['post', `/api/v1/routers/${r.id}/assignments`, { userId: bob.user.id }],
      ['delete', `/api/v1/routers/${r.id}/assignments/${bob.user.id}`],
      ['post', `/api/v1/routers/${r.id}/provision-key`],
      ['get', `/api/v1/routers/${r.id}/status`],
      ['post', `/api/v1/routers/${r.id}/blocks`, { ip: '10.9.9.10' }],
      ['get', `/api/v1/routers/${r.id}/blocks`],
      ['delete', `/api/v1/routers/${r.id}/blocks/${blockId}`],
      ['post', `/api/v1/routers/${r.id}/scan`],
      ['get', `/api/v1/routers/${r.id}/devices`],
      ['get', `/api/v1/routers/${r.id}/info`],
      ['post', `/api/v1/routers/${r.id}/sync`],
      ['get', `/api/v1/routers/${r.id}/commands`],
    ];
    const commandsBefore = sim.commands.length;
    for (const [method, path, body] of routes) {
      const req = (request(stack.app) as unknown as Record<string, (p: string) => request.Test>)[method](path).set(bearer(bob.tokens.accessToken));
      const res = body ? await req.send(body) : await req;
      expect({ method, path, status: res.status, code: res.body.error?.code }).toEqual({ method, path, status: 404, code: 'ROUTER_NOT_FOUND' });
    }
    expect(sim.commands.length).toBe(commandsBefore);
    const list = await request(stack.app).get('/api/v1/routers').set(bearer(bob.tokens.accessToken));
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(r.id);
    // And the router is still there for its owner.
    expect((await request(stack.app).get(`/api/v1/routers/${r.id}`).set(bearer(alice.tokens.accessToken))).status).toBe(200);
  });

  test('when the owner assigns a user, then that user sees and operates it but cannot change or remove it', async () => {
    const r = await createRouter(alice);
    const carol = await buildSession(stack);
    const assign = await request(stack.app).post(`/api/v1/routers/${r.id}/assignments`).set(bearer(alice.tokens.accessToken)).send({ userId: carol.user.id });
    expect(assign.status).toBe(201);
    const list = await request(stack.app).get('/api/v1/routers').set(bearer(carol.tokens.accessToken));
    expect(list.body.items).toEqual([expect.objectContaining({ id: r.id, access: 'assigned' })]);
    const status = await request(stack.app).get(`/api/v1/routers/${r.id}/status`).set(bearer(carol.tokens.accessToken));
    expect(status.status).toBe(200);
    const patch = await request(stack.app).patch(`/api/v1/routers/${r.id}`).set(bearer(carol.tokens.accessToken)).send({ name: 'x' });
    expect(patch.status).toBe(403);
    const del = await request(stack.app).delete(`/api/v1/routers/${r.id}`).set(bearer(carol.tokens.accessToken));
    expect(del.status).toBe(403);
    const unassign = await request(stack.app).delete(`/api/v1/routers/${r.id}/assignments/${carol.user.id}`).set(bearer(alice.tokens.accessToken));
    expect(unassign.status).toBe(204);
    expect((await request(stack.app).get(`/api/v1/routers/${r.id}`).set(bearer(carol.tokens.accessToken))).status).toBe(404);
  });

  test('when a router has many assignments, then they come a page at a time, each once, oldest first', async () => {
    const r = await createRouter(alice);
    const users = [];
    for (let i = 0; i < 5; i++) {
      const u = await buildSession(stack);
      expect((await request(stack.app).post(`/api/v1/routers/${r.id}/assignments`).set(bearer(alice.tokens.accessToken)).send({ userId: u.user.id })).status).toBe(201);
      users.push(u.user.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(stack.app)
        .get(`/api/v1/routers/${r.id}/assignments?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(bearer(alice.tokens.accessToken));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((a: { userId: string }) => a.userId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(users);
  });

  test('when an admin lists routers, then they see everyone\'s, paginated with a cursor', async () => {
    const mine = [await createRouter(bob, { name: 'b1' }), await createRouter(bob, { name: 'b2' }), await createRouter(bob, { name: 'b3' })];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(stack.app)
        .get('/api/v1/routers')
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .set(bearer(admin.tokens.accessToken));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((x: { id: string }) => x.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining(mine.map((m) => m.id)));
    expect(new Set(seen).size).toBe(seen.length);
    const bobs = await request(stack.app).get('/api/v1/routers').set(bearer(bob.tokens.accessToken));
    expect(bobs.body.items.every((x: { ownerId: string }) => x.ownerId === bob.user.id)).toBe(true);
  });

  test('when a provision key is spent, then it works once, and heartbeats need that router token', async () => {
    const r = await createRouter(alice);
    const key = await request(stack.app).post(`/api/v1/routers/${r.id}/provision-key`).set(bearer(alice.tokens.accessToken));
    expect(key.status).toBe(201);
    const reg = await request(stack.app).post('/api/v1/routers/register').send({ provisionKey: key.body.provisionKey, hostname: 'gw', os: 'OpenWrt 23.05' });
    expect(reg.status).toBe(201);
    expect(reg.body.routerId).toBe(r.id);
    const again = await request(stack.app).post('/api/v1/routers/register').send({ provisionKey: key.body.provisionKey });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('PROVISION_KEY_INVALID');
    const hashes = await stack.dataSource.query('SELECT provision_key_hash, router_token_hash FROM routers WHERE id = $1', [r.id]);
    expect(hashes[0].provision_key_hash).toBeNull();
    expect(hashes[0].router_token_hash).not.toContain(reg.body.routerToken);

    const hb = await request(stack.app).post(`/api/v1/routers/${r.id}/heartbeat`).set(bearer(reg.body.routerToken));
    expect(hb.status).toBe(200);
    const withUserToken = await request(stack.app).post(`/api/v1/routers/${r.id}/heartbeat`).set(bearer(alice.tokens.accessToken));
    expect(withUserToken.status).toBe(401);
    const noToken = await request(stack.app).post(`/api/v1/routers/${r.id}/heartbeat`);
    expect(noToken.status).toBe(401);
    const other = await createRouter(alice);
    const wrongRouter = await request(stack.app).post(`/api/v1/routers/${other.id}/heartbeat`).set(bearer(reg.body.routerToken));
    expect(wrongRouter.status).toBe(404);

    const status = await request(stack.app).get(`/api/v1/routers/${r.id}/status`).set(bearer(alice.tokens.accessToken));
    expect(status.body).toMatchObject({ status: 'online', lastSeenAt: expect.any(String) });
  });

  test('when a router goes silent past ROUTER_OFFLINE_AFTER, then the background job marks it offline', async () => {
    const r = await createRouter(alice);
    const key = await request(stack.app).post(`/api/v1/routers/${r.id}/provision-key`).set(bearer(alice.tokens.accessToken));
    const reg = await request(stack.app).post('/api/v1/routers/register').send({ provisionKey: key.body.provisionKey });
    await request(stack.app).post(`/api/v1/routers/${r.id}/heartbeat`).set(bearer(reg.body.routerToken)).expect(200);
    // Its last heartbeat was two minutes ago: longer than ROUTER_OFFLINE_AFTER (60 s here).
    await stack.dataSource.query(`UPDATE routers SET last_seen_at = now() - interval '2 minutes' WHERE id = $1`, [r.id]);
    await stack.services.routerLiveness.runOnce();
    const status = await request(stack.app).get(`/api/v1/routers/${r.id}/status`).set(bearer(alice.tokens.accessToken));
    expect(status.body.status).toBe('offline');
    await request(stack.app).post(`/api/v1/routers/${r.id}/heartbeat`).set(bearer(reg.body.routerToken)).expect(200);
    const back = await request(stack.app).get(`/api/v1/routers/${r.id}/status`).set(bearer(alice.tokens.accessToken));
    expect(back.body.status).toBe('online');
  });

  test('when a user is not assigned and asks to assign someone, or assigns a missing user, then it is refused', async () => {
    const r = await createRouter(alice);
    const ghost = '00000000-0000-4000-8000-000000000000';
    const res = await request(stack.app).post(`/api/v1/routers/${r.id}/assignments`).set(bearer(alice.tokens.accessToken)).send({ userId: ghost });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('USER_NOT_FOUND');
    const u = await buildUser(stack);
    const ok = await request(stack.app).post(`/api/v1/routers/${r.id}/assignments`).set(bearer(alice.tokens.accessToken)).send({ userId: u.user.id });
    expect(ok.status).toBe(201);
    const again = await request(stack.app).post(`/api/v1/routers/${r.id}/assignments`).set(bearer(alice.tokens.accessToken)).send({ userId: u.user.id });
    expect(again.status).toBe(200);
  });
});

describe('routers: allowed networks', () => {
  let stack: TestStack;
  let alice: Session;
  beforeAll(async () => {
    stack = await startStack({ env: { ROUTER_ALLOWED_CIDRS: '192.168.0.0/16,fd00::/8', ROUTER_TUNNEL_PORTS: '20000-20999' } });
    alice = await buildSession(stack);
  });
  afterAll(async () => {
    await stack.close();
  });

  const base = { name: 'r', port: 22, username: 'netpilot', password: 'secret-pw', platform: 'openwrt' };

  test('when ROUTER_ALLOWED_CIDRS is set, then routers and jump hosts outside it are refused', async () => {
    const inside = await request(stack.app).post('/api/v1/routers').set(bearer(alice.tokens.accessToken)).send({ ...base, host: '192.168.1.1' });
    expect(inside.status).toBe(201);
    for (const body of [
      { ...base, host: '127.0.0.1' },
      { ...base, host: '10.0.0.1' },
      { ...base, host: 'localhost' },
      { ...base, host: '192.168.1.1', jumpHost: { host: '8.8.8.8', username: 'jump', password: 'pw' } },
    ]) {
      const res = await request(stack.app).post('/api/v1/routers').set(bearer(alice.tokens.accessToken)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('ROUTER_HOST_NOT_ALLOWED');
    }
  });

  test('when a reverse-tunnel port is outside ROUTER_TUNNEL_PORTS, then it is refused', async () => {
    const ok = await request(stack.app).post('/api/v1/routers').set(bearer(alice.tokens.accessToken)).send({ ...base, host: 'tunnel', tunnelPort: 20022 });
    expect(ok.status).toBe(201);
    const bad = await request(stack.app).post('/api/v1/routers').set(bearer(alice.tokens.accessToken)).send({ ...base, host: 'tunnel', tunnelPort: 5432 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/tunnelPort/);
  });
});
