import request from 'supertest';
import { bearer, buildSession, buildUser, loginAs, strongPassword, uniqueUsername } from './support/builders';
import { startStack, type TestStack } from './support/stack';
import { totpNow } from './support/totp';

const api = '/api/v1';

describe('admin user management', () => {
  let stack: TestStack;
  let admin: Awaited<ReturnType<typeof buildSession>>;
  beforeAll(async () => {
    stack = await startStack();
    admin = await buildSession(stack, { role: 'admin' });
  });
  afterAll(async () => {
    await stack.close();
  });

  const as = (token: string) => ({
    get: (path: string) => request(stack.app).get(`${api}${path}`).set(bearer(token)),
    post: (path: string, body: object) => request(stack.app).post(`${api}${path}`).set(bearer(token)).send(body),
    patch: (path: string, body: object) => request(stack.app).patch(`${api}${path}`).set(bearer(token)).send(body),
    delete: (path: string) => request(stack.app).delete(`${api}${path}`).set(bearer(token)),
  });

  test('when a plain user calls any admin route, then 403; without a token, 401', async () => {
    const u = await buildSession(stack);
    const calls = [
      as(u.tokens.accessToken).get('/users'),
      as(u.tokens.accessToken).post('/users', { username: uniqueUsername(), password: strongPassword() }),
      as(u.tokens.accessToken).get(`/users/${u.user.id}`),
      as(u.tokens.accessToken).patch(`/users/${u.user.id}`, { role: 'admin' }),
      as(u.tokens.accessToken).delete(`/users/${admin.user.id}`),
      as(u.tokens.accessToken).get('/sessions'),
      as(u.tokens.accessToken).delete(`/sessions/${admin.sessionId}`),
      as(u.tokens.accessToken).get('/audit'),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    for (const path of ['/users', '/sessions', '/audit']) {
      expect((await request(stack.app).get(`${api}${path}`)).status).toBe(401);
    }
    const me = await as(u.tokens.accessToken).get('/auth/me');
    expect(me.body.user.role).toBe('user');
  });

  test('when a user tries to raise their own role by any route, then it stays user', async () => {
    const u = await buildSession(stack);
    expect((await as(u.tokens.accessToken).patch(`/users/${u.user.id}`, { role: 'admin' })).status).toBe(403);
    expect((await as(u.tokens.accessToken).post('/auth/password', { currentPassword: u.password, newPassword: strongPassword(), role: 'admin' })).status).toBe(400);
    expect((await request(stack.app).patch(`${api}/auth/me`).set(bearer(u.tokens.accessToken)).send({ role: 'admin' })).status).toBe(404);
    const [row] = await stack.dataSource.query('SELECT role FROM users WHERE id = $1', [u.user.id]);
    expect(row.role).toBe('user');
  });

  test('when an admin changes their own role or disables or deletes themselves, then it is refused', async () => {
    const a = await buildSession(stack, { role: 'admin' });
    const role = await as(a.tokens.accessToken).patch(`/users/${a.user.id}`, { role: 'user' });
    expect(role.status).toBe(403);
    expect(role.body.error.code).toBe('CANNOT_CHANGE_OWN_ROLE');
    const disable = await as(a.tokens.accessToken).patch(`/users/${a.user.id}`, { disabled: true });
    expect(disable.status).toBe(409);
    expect(disable.body.error.code).toBe('SELF_LOCKOUT');
    expect((await as(a.tokens.accessToken).delete(`/users/${a.user.id}`)).status).toBe(409);
  });

  test('when an admin creates a user, then it can log in; a clashing name in another case is 409', async () => {
    const username = uniqueUsername('made');
    const password = strongPassword();
    const res = await as(admin.tokens.accessToken).post('/users', { username, password, email: 'made@example.test', role: 'user' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ username, email: 'made@example.test', role: 'user', disabled: false });
    await loginAs(stack, { username, password });
    const clash = await as(admin.tokens.accessToken).post('/users', { username: username.toUpperCase(), password: strongPassword() });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('USERNAME_TAKEN');
    const weak = await as(admin.tokens.accessToken).post('/users', { username: uniqueUsername(), password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('WEAK_PASSWORD');
  });

  test('when an admin lists and reads users, then no hash or secret is shown', async () => {
    const u = await buildUser(stack);
    const list = await as(admin.tokens.accessToken).get('/users?limit=2');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    expect(typeof list.body.nextCursor).toBe('string');
    const one = await as(admin.tokens.accessToken).get(`/users/${u.user.id}`);
    expect(one.status).toBe(200);
    expect(Object.keys(one.body.user).sort()).toEqual(['createdAt', 'disabled', 'email', 'id', 'role', 'totpEnabled', 'updatedAt', 'username']);
    expect((await as(admin.tokens.accessToken).get('/users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await as(admin.tokens.accessToken).get('/users/not-a-uuid')).status).toBe(400);
  });

  test('when an admin promotes a user, then the user reaches admin routes; demoted, they no longer do', async () => {
    const u = await buildSession(stack);
    expect((await as(admin.tokens.accessToken).patch(`/users/${u.user.id}`, { role: 'admin' })).body.user.role).toBe('admin');
    expect((await as(u.tokens.accessToken).get('/users')).status).toBe(200);
    expect((await as(admin.tokens.accessToken).patch(`/users/${u.user.id}`, { role: 'user' })).body.user.role).toBe('user');
    expect((await as(u.tokens.accessToken).get('/users')).status).toBe(403);
  });

  test("when an admin resets a user's password, then the old one fails, the new one works and their sessions end", async () => {
    const u = await buildSession(stack);
    const newPassword = strongPassword();
    const res = await as(admin.tokens.accessToken).patch(`/users/${u.user.id}`, { password: newPassword });
    expect(res.status).toBe(200);
    expect((await as(u.tokens.accessToken).get('/auth/me')).status).toBe(401);
    expect(stack.executorSessions!.get(u.sessionId)).toBeUndefined();
    expect((await request(stack.app).post(`${api}/auth/login`).send({ username: u.username, password: u.password })).status).toBe(401);
    await loginAs(stack, { username: u.username, password: newPassword });
  });

  test("when an admin resets a user's 2FA, then the user logs in with the password alone", async () => {
    const u = await buildSession(stack);
    const setup = await as(u.tokens.accessToken).post('/auth/2fa/setup', {});
    expect((await as(u.tokens.accessToken).post('/auth/2fa/enable', { code: totpNow(setup.body.secret) })).status).toBe(200);
    expect((await request(stack.app).post(`${api}/auth/login`).send({ username: u.username, password: u.password })).body.error.code).toBe('MFA_REQUIRED');

    const res = await as(admin.tokens.accessToken).patch(`/users/${u.user.id}`, { resetTwoFactor: true });
    expect(res.status).toBe(200);
    expect(res.body.user.totpEnabled).toBe(false);
    await loginAs(stack, u);
  });

  test('when a disabled user is enabled again, then they can log in again', async () => {
    const u = await buildUser(stack, { disabled: true });
    expect((await request(stack.app).post(`${api}/auth/login`).send({ username: u.username, password: u.password })).status).toBe(403);
    expect((await as(admin.tokens.accessToken).patch(`/users/${u.user.id}`, { disabled: false })).status).toBe(200);
    await loginAs(stack, u);
  });

  test('when an admin deletes a user, then their sessions end on both sides and the user is gone', async () => {
    const u = await buildSession(stack);
    expect((await as(admin.tokens.accessToken).delete(`/users/${u.user.id}`)).status).toBe(204);
    expect(stack.executorSessions!.get(u.sessionId)).toBeUndefined();
    expect((await as(u.tokens.accessToken).get('/auth/me')).status).toBe(401);
    expect((await as(admin.tokens.accessToken).get(`/users/${u.user.id}`)).status).toBe(404);
    expect((await as(admin.tokens.accessToken).delete(`/users/${u.user.id}`)).status).toBe(404);
  });

  test('when a PATCH has no known field, then 400 naming the allowed fields', async () => {
    const u = await buildUser(stack);
    const res = await as(admin.tokens.accessToken).patch(`/users/${u.user.id}`, {});
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/role, disabled, email, password, resetTwoFactor/);
  });

  test('when an admin lists sessions, then every active session shows with its user, and a filter by user works', async () => {
    const u = await buildSession(stack);
    const all = await as(admin.tokens.accessToken).get('/sessions?limit=200');
    expect(all.status).toBe(200);
    expect(all.body.items.find((s: { id: string }) => s.id === u.sessionId)).toMatchObject({ userId: u.user.id, username: u.username });
    const mine = await as(admin.tokens.accessToken).get(`/sessions?userId=${u.user.id}`);
    expect(mine.body.items.map((s: { id: string }) => s.id)).toEqual([u.sessionId]);
  });

  test('when users are listed a page at a time, then following nextCursor visits each exactly once, in creation order', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await buildUser(stack)).user.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await as(admin.tokens.accessToken).get(`/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((u: { id: string }) => u.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    expect(new Set(seen).size).toBe(seen.length);
    // The five made last come in the order they were made (other test files add users meanwhile).
    expect(seen.filter((id) => made.includes(id))).toEqual(made);
    expect((await as(admin.tokens.accessToken).get('/users?cursor=bm90LWEtY3Vyc29y')).body.error.code).toBe('INVALID_CURSOR');
    expect((await as(admin.tokens.accessToken).get('/users?limit=201')).status).toBe(400);
  });

  test('when a user owns routers other users are assigned to, then deleting them is 409 naming those routers, and nothing is deleted', async () => {
    const owner = await buildSession(stack);
    const friend = await buildSession(stack);
    const addRouter = async (name: string) =>
      (await as(owner.tokens.accessToken).post('/routers', { name, host: '192.0.2.20', port: 22, username: 'root', password: 'x', platform: 'openwrt' })).body.id as string;
    const shared = await addRouter('Living room');
    const own = await addRouter('Garage');
    expect((await as(owner.tokens.accessToken).post(`/routers/${shared}/assignments`, { userId: friend.user.id })).status).toBe(201);

    const refused = await as(admin.tokens.accessToken).delete(`/users/${owner.user.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('USER_OWNS_SHARED_ROUTERS');
    expect(refused.body.error.message).toContain('"Living room"');
    expect(refused.body.error.message).not.toContain('Garage');
    expect(refused.body.error.details).toEqual({ routers: [{ id: shared, name: 'Living room' }] });
    expect((await as(admin.tokens.accessToken).get(`/users/${owner.user.id}`)).status).toBe(200);
    expect((await as(friend.tokens.accessToken).get(`/routers/${shared}`)).status).toBe(200);
    expect((await as(owner.tokens.accessToken).get('/auth/me')).status).toBe(200);

    // An admin gives the shared router to the friend; then the owner can go (with their own router).
    const moved = await as(admin.tokens.accessToken).patch(`/routers/${shared}`, { ownerId: friend.user.id });
    expect(moved.status).toBe(200);
    expect(moved.body.ownerId).toBe(friend.user.id);
    expect((await as(admin.tokens.accessToken).delete(`/users/${owner.user.id}`)).status).toBe(204);
    const kept = await as(friend.tokens.accessToken).get(`/routers/${shared}`);
    expect(kept.status).toBe(200);
    expect(kept.body.access).toBe('owner');
    expect((await as(admin.tokens.accessToken).get(`/routers/${own}`)).status).toBe(404);
    // The friend owns it now: their assignment to it is gone, not doubled.
    expect((await as(friend.tokens.accessToken).get(`/routers/${shared}/assignments`)).body.items).toEqual([]);
  });

  test('when a router is given a new owner, then only an admin may do it, the new owner must exist, and it is audited', async () => {
    const owner = await buildSession(stack);
    const other = await buildUser(stack);
    const id = (await as(owner.tokens.accessToken).post('/routers', { name: 'r', host: '192.0.2.21', port: 22, username: 'root', password: 'x', platform: 'openwrt' })).body.id as string;
    const byOwner = await as(owner.tokens.accessToken).patch(`/routers/${id}`, { ownerId: other.user.id });
    expect(byOwner.status).toBe(403);
    expect(byOwner.body.error.code).toBe('ADMIN_REQUIRED');
    const nobody = await as(admin.tokens.accessToken).patch(`/routers/${id}`, { ownerId: '00000000-0000-4000-8000-000000000000' });
    expect(nobody.status).toBe(404);
    expect(nobody.body.error.code).toBe('USER_NOT_FOUND');
    expect((await as(admin.tokens.accessToken).patch(`/routers/${id}`, { ownerId: other.user.id })).status).toBe(200);
    expect((await as(owner.tokens.accessToken).get(`/routers/${id}`)).status).toBe(404);
    const [entry] = await stack.dataSource.query(`SELECT details FROM audit_log WHERE action = 'router.update' AND target_id = $1 ORDER BY id DESC LIMIT 1`, [id]);
    expect(entry.details).toEqual({ changed: ['owner'], owner: { from: owner.user.id, to: other.user.id } });
  });
});
