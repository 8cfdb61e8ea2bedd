import request from 'supertest';
import { bearer, buildSession } from './support/builders';
import { startStack, type TestStack } from './support/stack';

type Session = Awaited<ReturnType<typeof buildSession>>;
type Item = { id: string; [k: string]: unknown };

/**
 * `GET /routers` is answered from JSON that PostgreSQL writes, and the listings asked for at
 * the same moment are read together (one statement for many callers). These tests hold it to
 * what `GET /routers/:id` answers and to each caller's own visibility.
 */
describe('routers: the listing', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const base = { host: '192.0.2.10', port: 22, username: 'root', password: 'router-pw', platform: 'openwrt' };
  const key = (c: string) => `SHA256:${c.repeat(43)}`;

  async function create(owner: Session, body: Record<string, unknown>): Promise<Item> {
    const res = await request(stack.app).post('/api/v1/routers').set(bearer(owner.tokens.accessToken)).send({ name: 'r', ...base, ...body });
    expect(res.status).toBe(201);
    return res.body;
  }

  /** Every page, two at a time, following the cursor. */
  async function listAll(who: Session): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const res: request.Response = await request(stack.app)
        .get('/api/v1/routers')
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .set(bearer(who.tokens.accessToken));
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!cursor) return items;
    }
    throw new Error('the cursor never ended');
  }

  test('when routers carry every optional field, then each listed item equals GET /routers/:id, for owner, assigned user and admin', async () => {
    const owner = await buildSession(stack);
    const assignee = await buildSession(stack);
    const admin = await buildSession(stack, { role: 'admin' });
    const routers = [
      await create(owner, { name: 'plain' }),
      await create(owner, { name: 'with options and pinned key', options: { leasesPath: '/tmp/dhcp.leases' }, hostKeySha256: key('a') }),
      await create(owner, { name: 'through a bastion', jumpHost: { host: '192.0.2.20', port: 2222, username: 'jump', password: 'jump-pw' } }),
      await create(owner, { name: 'reverse tunnel', host: 'tunnel', tunnelPort: 20022 }),
      await create(owner, { name: 'key login', password: undefined, privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----' }),
    ];
    // Registered and heard from: status, lastSeenAt and registeredAt are set.
    const provision = await request(stack.app).post(`/api/v1/routers/${routers[0].id}/provision-key`).set(bearer(owner.tokens.accessToken));
    const registered = await request(stack.app).post('/api/v1/routers/register').send({ provisionKey: provision.body.provisionKey, hostname: 'gw' });
    await request(stack.app).post(`/api/v1/routers/${routers[0].id}/heartbeat`).set(bearer(registered.body.routerToken)).expect(200);
    for (const r of [routers[1], routers[2]]) {
      await request(stack.app).post(`/api/v1/routers/${r.id}/assignments`).set(bearer(owner.tokens.accessToken)).send({ userId: assignee.user.id }).expect(201);
    }
    // An admin's own router is theirs as owner; one they are also assigned keeps an admin's rights.
    const adminsOwn = await create(admin, { name: "the admin's own" });
    await request(stack.app).post(`/api/v1/routers/${routers[3].id}/assignments`).set(bearer(owner.tokens.accessToken)).send({ userId: admin.user.id }).expect(201);

    const ids = new Set([...routers, adminsOwn].map((r) => r.id));
    for (const [who, expected] of [
      [owner, { count: 5, access: () => 'owner' }],
      [assignee, { count: 2, access: () => 'assigned' }],
      [admin, { count: 6, access: (id: string) => (id === adminsOwn.id ? 'owner' : 'admin') }],
    ] as const) {
      const listed = (await listAll(who)).filter((item) => ids.has(item.id));
      expect(listed).toHaveLength(expected.count);
      for (const item of listed) {
        const one = await request(stack.app).get(`/api/v1/routers/${item.id}`).set(bearer(who.tokens.accessToken));
        expect(one.status).toBe(200);
        expect(item).toEqual(one.body);
        expect(item.access).toBe(expected.access(item.id));
        expect(JSON.stringify(item)).not.toMatch(/router-pw|jump-pw|PRIVATE KEY/);
      }
    }
    const heard = (await listAll(owner)).find((item) => item.id === routers[0].id)!;
    expect(heard).toMatchObject({ status: 'online', lastSeenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), registeredAt: expect.any(String) });
    const rename = await request(stack.app).patch(`/api/v1/routers/${routers[3].id}`).set(bearer(admin.tokens.accessToken)).send({ name: 'renamed by an admin' });
    expect(rename.status).toBe(200);
    expect(rename.body.access).toBe('admin');
  });

  test('when a user owns some routers and is assigned others, then the pages merge both in creation order, without gaps or repeats', async () => {
    const user = await buildSession(stack);
    const other = await buildSession(stack);
    const expected: [string, string][] = [];
    for (let i = 0; i < 3; i++) {
      expected.push([(await create(user, { name: `mine ${i}` })).id, 'owner']);
      const theirs = await create(other, { name: `theirs ${i}` });
      if (i < 2) {
        await request(stack.app).post(`/api/v1/routers/${theirs.id}/assignments`).set(bearer(other.tokens.accessToken)).send({ userId: user.user.id }).expect(201);
        expected.push([theirs.id, 'assigned']);
      }
    }
    for (const limit of [1, 2, 50]) {
      const seen: [string, string][] = [];
      let cursor: string | null = null;
      // Bounded: a cursor that never ends shows up as repeats, not as a hung test.
      for (let pages = 0; pages <= expected.length && (pages === 0 || cursor); pages++) {
        const res: request.Response = await request(stack.app)
          .get('/api/v1/routers')
          .query(cursor ? { limit, cursor } : { limit })
          .set(bearer(user.tokens.accessToken));
        expect(res.body.items.length).toBeLessThanOrEqual(limit);
        seen.push(...res.body.items.map((x: Item) => [x.id, x.access] as [string, string]));
        cursor = res.body.nextCursor;
      }
      expect({ limit, seen }).toEqual({ limit, seen: expected });
    }
  });

  test('when many users list at the same moment, then each gets exactly their own routers and pages', async () => {
    const users: Session[] = [];
    const own = new Map<string, string[]>();
    for (let u = 0; u < 6; u++) {
      const user = await buildSession(stack);
      users.push(user);
      const made: string[] = [];
      for (let i = 0; i <= u; i++) made.push((await create(user, { name: `u${u}-r${i}` })).id);
      own.set(user.user.id, made);
    }
    // 60 listings asked in one turn of the event loop, as a busy server does: the same first
    // page and different page sizes, for six callers, read together.
    const asks = Array.from({ length: 60 }, (_, i) => ({ user: users[i % 6], limit: 1 + (Math.floor(i / 6) % 3) }));
    const actor = (u: Session) => ({ userId: u.user.id, isAdmin: false, sessionId: u.sessionId, ip: null });
    const listPages = async (cursors: (string | null)[]) =>
      (await Promise.all(asks.map((a, i) => stack.services.routers.listJson(actor(a.user), { limit: a.limit, cursor: cursors[i] ?? undefined })))).map(
        (text) => JSON.parse(text) as { items: Item[]; nextCursor: string | null },
      );
    const firsts = await listPages(asks.map(() => null));
    firsts.forEach((page, i) => {
      const { user, limit } = asks[i];
      const expected = own.get(user.user.id)!;
      expect(page.items.map((x) => x.id)).toEqual(expected.slice(0, limit));
      expect(page.items.every((x) => x.ownerId === user.user.id && x.access === 'owner')).toBe(true);
      expect(page.nextCursor === null).toBe(expected.length <= limit);
    });
    // Second pages, all in one turn again, from the cursors just returned.
    const seconds = await listPages(firsts.map((page) => page.nextCursor));
    seconds.forEach((page, i) => {
      const { user, limit } = asks[i];
      const expected = own.get(user.user.id)!;
      expect(page.items.map((x) => x.id)).toEqual(firsts[i].nextCursor ? expected.slice(limit, 2 * limit) : expected.slice(0, limit));
    });
    // And through HTTP, all at once.
    const answers = await Promise.all(users.map((u) => request(stack.app).get('/api/v1/routers').set(bearer(u.tokens.accessToken))));
    answers.forEach((res, i) => expect(res.body.items.map((x: Item) => x.id)).toEqual(own.get(users[i].user.id)));
  });

  test('when a router is added or removed, then the next listing already shows it', async () => {
    const user = await buildSession(stack);
    const r = await create(user, { name: 'fresh' });
    const listed = await request(stack.app).get('/api/v1/routers').set(bearer(user.tokens.accessToken));
    expect(listed.body.items.map((x: Item) => x.id)).toEqual([r.id]);
    await request(stack.app).delete(`/api/v1/routers/${r.id}`).set(bearer(user.tokens.accessToken)).expect(204);
    const after = await request(stack.app).get('/api/v1/routers').set(bearer(user.tokens.accessToken));
    expect(after.body).toEqual({ items: [], nextCursor: null });
  });

  test('when the cursor is not one the API returned, then 400 INVALID_CURSOR before any database read, and other callers listing at that moment are served', async () => {
    const user = await buildSession(stack);
    const other = await buildSession(stack);
    const mine = await create(other, { name: 'still listed' });
    const cursor = (text: string) => Buffer.from(text).toString('base64url');
    const bad = [
      'bm90LWEtY3Vyc29y',
      cursor(`2026-01-01T00:00:00.000Z|${'-'.repeat(36)}`),
      cursor('-010000-01-01T00:00:00.000Z|0b7ad1b4-7c61-4bd4-9a39-4a8a2b2a8a5e'),
      cursor('2026-01-01T00:00:00.000Z|0b7ad1b4-7c61-4bd4-9a39-4a8a2b2a8a5e|x'),
    ];
    const answers = await Promise.all([
      ...bad.map((c) => request(stack.app).get('/api/v1/routers').query({ cursor: c }).set(bearer(user.tokens.accessToken))),
      request(stack.app).get('/api/v1/routers').set(bearer(other.tokens.accessToken)),
    ]);
    for (const res of answers.slice(0, -1)) {
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'INVALID_CURSOR' });
    }
    expect(answers.at(-1)!.body.items.map((x: Item) => x.id)).toEqual([mine.id]);
  });
});
