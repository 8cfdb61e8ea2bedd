import request from 'supertest';
import { bearer, buildSession } from './support/builders';
import { startStack, type TestStack } from './support/stack';

type Session = Awaited<ReturnType<typeof buildSession>>;
type EventView = { id: string; routerId: string; routerName: string; source: string; level: string; type: string; message: string; data: unknown; createdAt: string };

/** Router events: posted by routers with their token, observed by the controller, read by the people who may see the router. */
describe('router events', () => {
  let stack: TestStack;
  let alice: Session;
  let bob: Session;
  const api = () => request(stack.app);
  const as = (s: Session) => bearer(s.tokens.accessToken);

  beforeAll(async () => {
    stack = await startStack({ env: { ROUTER_EVENTS_PER_MINUTE: '5', ROUTER_OFFLINE_AFTER: '1000' } });
    alice = await buildSession(stack);
    bob = await buildSession(stack);
  });
  afterAll(async () => {
    await stack.close();
  });

  /** A router of `owner` that registered: its id and router token. */
  async function registeredRouter(owner: Session, name = 'home'): Promise<{ id: string; token: string }> {
    const created = await api()
      .post('/api/v1/routers')
      .set(as(owner))
      .send({ name, host: '127.0.0.1', port: 22, username: 'root', password: 'x', platform: 'openwrt' });
    const key = await api().post(`/api/v1/routers/${created.body.id}/provision-key`).set(as(owner));
    const reg = await api().post('/api/v1/routers/register').send({ provisionKey: key.body.provisionKey });
    return { id: created.body.id, token: reg.body.routerToken };
  }

  const post = (r: { id: string; token: string }, body: object, to = r.id) => api().post(`/api/v1/routers/${to}/events`).set(bearer(r.token)).send(body);
  const list = async (who: Session, path: string, query: Record<string, unknown> = {}) => {
    const res = await api().get(path).query(query).set(as(who));
    expect(res.status).toBe(200);
    return res.body as { items: EventView[]; nextCursor: string | null };
  };

  test('when a router posts an event with its token, then its owner reads it; another router’s token gets 404; a user token or none gets 401', async () => {
    const home = await registeredRouter(alice);
    const other = await registeredRouter(alice, 'cabin');
    const res = await post(home, { level: 'warn', type: 'wan.down', message: 'WAN link lost', data: { iface: 'wan', carrier: false } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ routerId: home.id, source: 'router', level: 'warn', type: 'wan.down', message: 'WAN link lost', data: { iface: 'wan', carrier: false } });
    expect((await list(alice, `/api/v1/routers/${home.id}/events`, { type: 'wan.down' })).items).toEqual([expect.objectContaining({ id: res.body.id, routerName: 'home' })]);

    const foreign = await post(other, { level: 'info', type: 'x.y', message: 'not mine' }, home.id);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('ROUTER_NOT_FOUND');
    expect((await api().post(`/api/v1/routers/${home.id}/events`).set(as(alice)).send({ level: 'info', type: 'x.y', message: 'm' })).status).toBe(401);
    expect((await api().post(`/api/v1/routers/${home.id}/events`).send({ level: 'info', type: 'x.y', message: 'm' })).status).toBe(401);
  });

  test('when an event is too large or malformed, then 400; after ROUTER_EVENTS_PER_MINUTE events in a minute, 429 with Retry-After, for that router only', async () => {
    const noisy = await registeredRouter(alice, 'noisy');
    const quiet = await registeredRouter(alice, 'quiet');
    for (const body of [
      { level: 'info', type: 'x.y', message: 'm'.repeat(1001) },
      { level: 'info', type: 'x.y', message: 'big', data: { blob: 'x'.repeat(5000) } },
      { level: 'fatal', type: 'x.y', message: 'm' },
      { level: 'info', type: 'Not A Type!', message: 'm' },
      { level: 'info', type: 'x.y' },
    ]) {
      const res = await post(noisy, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    for (let i = 0; i < 5; i++) expect((await post(noisy, { level: 'info', type: 'dhcp.lease', message: `lease ${i}` })).status).toBe(201);
    const limited = await post(noisy, { level: 'info', type: 'dhcp.lease', message: 'one too many' });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('EVENTS_RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('60');
    expect((await post(quiet, { level: 'info', type: 'dhcp.lease', message: 'still fine' })).status).toBe(201);
  });

  test('when events are filtered by level, type and time, then only those come, newest first, in cursor pages that neither repeat nor skip', async () => {
    const r = await registeredRouter(alice, 'filtered');
    const posted: EventView[] = [];
    for (const [level, type] of [
      ['info', 'dhcp.lease'],
      ['warn', 'wan.down'],
      ['error', 'disk.full'],
      ['info', 'wan.up'],
      ['error', 'wan.down'],
    ]) {
      posted.push((await post(r, { level, type, message: `${level} ${type}` })).body);
    }
    const path = `/api/v1/routers/${r.id}/events`;
    expect((await list(alice, path, { level: 'error' })).items.map((e) => e.type)).toEqual(['wan.down', 'disk.full']);
    expect((await list(alice, path, { level: ['warn', 'error'] })).items).toHaveLength(3);
    expect((await list(alice, path, { type: 'wan.down' })).items.map((e) => e.level)).toEqual(['error', 'warn']);
    expect((await list(alice, path, { type: 'wan.down', level: 'warn' })).items).toHaveLength(1);
    // from is inclusive, to exclusive: the middle three.
    const window = await list(alice, path, { from: posted[1].createdAt, to: posted[4].createdAt });
    expect(window.items.map((e) => e.id)).toEqual([posted[3].id, posted[2].id, posted[1].id]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: EventView[]; nextCursor: string | null } = await list(alice, path, { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...posted].reverse().map((e) => e.id));

    expect((await api().get(path).query({ level: 'fatal' }).set(as(alice))).status).toBe(400);
    expect((await api().get(path).query({ cursor: 'bm90IGEgY3Vyc29y' }).set(as(alice))).body.error.code).toBe('INVALID_CURSOR');
  });

  test('when users list events, then each sees only the routers they may see: the owner theirs, an assigned user the assigned one, an admin all; another user’s router is 404', async () => {
    const mine = await registeredRouter(alice, 'alice-only');
    const shared = await registeredRouter(alice, 'alice-shared');
    const bobs = await registeredRouter(bob, 'bob-router');
    const carol = await buildSession(stack);
    const admin = await buildSession(stack, { role: 'admin' });
    await api().post(`/api/v1/routers/${shared.id}/assignments`).set(as(alice)).send({ userId: carol.user.id }).expect(201);
    for (const r of [mine, shared, bobs]) await post(r, { level: 'info', type: 'visibility.check', message: r.id }).expect(201);

    const routersSeenBy = async (who: Session) => new Set((await list(who, '/api/v1/events', { type: 'visibility.check', limit: 200 })).items.map((e) => e.routerId));
    expect(await routersSeenBy(alice)).toEqual(new Set([mine.id, shared.id]));
    expect(await routersSeenBy(bob)).toEqual(new Set([bobs.id]));
    expect(await routersSeenBy(carol)).toEqual(new Set([shared.id]));
    expect(await routersSeenBy(admin)).toEqual(new Set([mine.id, shared.id, bobs.id]));
    expect((await list(alice, '/api/v1/events', { router: mine.id, type: 'visibility.check' })).items).toHaveLength(1);
    expect((await api().get('/api/v1/events').query({ router: bobs.id }).set(as(alice))).status).toBe(404);
    expect((await api().get(`/api/v1/routers/${bobs.id}/events`).set(as(alice))).status).toBe(404);
  });

  test('when a router goes silent, comes back and reboots, then the controller records router.offline, router.online and router.rebooted', async () => {
    const r = await registeredRouter(alice, 'observed');
    const beat = (body: object) => api().post(`/api/v1/routers/${r.id}/heartbeat`).set(bearer(r.token)).send(body).expect(200);
    await beat({ bootId: 'boot-aaaaaaaa', uptimeSeconds: 100 });
    await new Promise((res) => setTimeout(res, 1_100));
    await stack.services.routerLiveness.runOnce();
    await beat({ bootId: 'boot-aaaaaaaa', uptimeSeconds: 102 });
    await beat({ bootId: 'boot-bbbbbbbb', uptimeSeconds: 3 });
    const events = (await list(alice, `/api/v1/routers/${r.id}/events`)).items;
    expect(events.map((e) => [e.source, e.type, e.level])).toEqual([
      ['controller', 'router.rebooted', 'warn'],
      ['controller', 'router.online', 'info'],
      ['controller', 'router.offline', 'warn'],
    ]);
  });

  test('when events are older than EVENT_RETENTION_DAYS, then the cleanup deletes them and keeps the rest', async () => {
    const r = await registeredRouter(alice, 'old-events');
    const old = (await post(r, { level: 'info', type: 'old.one', message: 'long ago' })).body;
    const recent = (await post(r, { level: 'info', type: 'new.one', message: 'just now' })).body;
    await stack.dataSource.query(`UPDATE events SET created_at = now() - interval '31 days' WHERE id = $1`, [old.id]);
    expect(await stack.services.events.deleteExpired(stack.config.eventRetentionDays)).toBeGreaterThanOrEqual(1);
    expect((await list(alice, `/api/v1/routers/${r.id}/events`)).items.map((e) => e.id)).toEqual([recent.id]);
  });
});
