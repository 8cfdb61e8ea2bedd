import request from 'supertest';
import { bearer, loginAs, strongPassword, uniqueUsername } from './support/builders';
import { createFreshDatabase, type FreshDatabase } from './support/fresh-database';
import { startStack, type TestStack } from './support/stack';

const api = '/api/v1';

// "The first user ever" is a fact about a whole database: these tests each get a fresh one.
describe('registration', () => {
  let db: FreshDatabase;
  let stack: TestStack;
  beforeEach(async () => {
    db = await createFreshDatabase();
    stack = await startStack({ env: { DATABASE_URL: db.url } });
  });
  afterEach(async () => {
    await stack.close();
    await db.drop();
  });

  const register = (app: TestStack['app'], body: Record<string, unknown>) => request(app).post(`${api}/auth/register`).send(body);

  test('when the first user registers, then they become admin; a later self-registration is refused with 403', async () => {
    const first = await register(stack.app, { username: 'Founder', password: strongPassword(), email: 'founder@example.test' });
    expect(first.status).toBe(201);
    expect(first.body.user).toMatchObject({ username: 'Founder', role: 'admin', email: 'founder@example.test', disabled: false, totpEnabled: false });
    expect(first.body.user).not.toHaveProperty('passwordHash');

    const second = await register(stack.app, { username: uniqueUsername(), password: strongPassword() });
    expect(second.status).toBe(403);
    expect(second.body.error.code).toBe('REGISTRATION_CLOSED');
    expect((await stack.dataSource.query('SELECT count(*)::int AS n FROM users'))[0].n).toBe(1);
  });

  test('when many first registrations race, then exactly one account becomes admin', async () => {
    const open = await startStack({ env: { DATABASE_URL: db.url, ALLOW_REGISTRATION: 'true' } });
    try {
      const results = await Promise.all(
        Array.from({ length: 6 }, () => register(open.app, { username: uniqueUsername(), password: strongPassword() })),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
      expect(results.filter((r) => r.body.user.role === 'admin')).toHaveLength(1);
    } finally {
      await open.close();
    }
  });

  test('when registration is closed, then even racing first registrations produce exactly one account', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => register(stack.app, { username: uniqueUsername(), password: strongPassword() })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 403, 403, 403, 403]);
  });

  test('when ALLOW_REGISTRATION is true, then later users register as plain users and can log in', async () => {
    const open = await startStack({ env: { DATABASE_URL: db.url, ALLOW_REGISTRATION: 'true' } });
    try {
      await register(open.app, { username: uniqueUsername(), password: strongPassword() });
      const password = strongPassword();
      const later = await register(open.app, { username: 'later-user', password });
      expect(later.status).toBe(201);
      expect(later.body.user.role).toBe('user');
      const tokens = await loginAs(open, { username: 'later-user', password });
      expect(tokens.user.role).toBe('user');
    } finally {
      await open.close();
    }
  });

  test('when a username differs from an existing one only in case, then 409 USERNAME_TAKEN', async () => {
    const open = await startStack({ env: { DATABASE_URL: db.url, ALLOW_REGISTRATION: 'true' } });
    try {
      expect((await register(open.app, { username: 'Alice', password: strongPassword() })).status).toBe(201);
      const clash = await register(open.app, { username: 'aLiCe', password: strongPassword() });
      expect(clash.status).toBe(409);
      expect(clash.body.error.code).toBe('USERNAME_TAKEN');
    } finally {
      await open.close();
    }
  });

  test.each([
    ['too short', 'short1', 'Password must be at least 10 characters long'],
    ['containing the username', 'my-newadmin-pass', 'Password must not contain the username'],
    ['equal to the username in another case', 'NEWADMIN1234', 'Password must not contain the username'],
    ['over 72 bytes', 'ü'.repeat(37), 'Password must be at most 72 bytes long (about 72 letters, fewer with accents or emoji)'],
  ])('when the password is %s, then 400 WEAK_PASSWORD with a clear message', async (_what, password, message) => {
    const res = await register(stack.app, { username: password === 'NEWADMIN1234' ? 'newadmin1234' : 'newadmin', password });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'WEAK_PASSWORD', message });
    expect(JSON.stringify(res.body)).not.toContain(password);
  });

  test('when the body asks for a role, then 400: nobody chooses their own role', async () => {
    const res = await register(stack.app, { username: uniqueUsername(), password: strongPassword(), role: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([{ in: 'body', path: 'role', message: '"role" is not allowed' }]);
  });

  test('when the username has spaces or symbols, then 400 with the rule', async () => {
    const res = await register(stack.app, { username: 'bad name!', password: strongPassword() });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Username must be 3-32 letters/);
  });

  test('when the last enabled admin would be disabled or deleted (from the CLI), then 409 LAST_ADMIN', async () => {
    const founder = await register(stack.app, { username: 'founder', password: strongPassword() });
    const cli = { userId: null, ip: null, via: 'cli' as const };
    await expect(stack.services.users.update(founder.body.user.id, { disabled: true }, cli)).rejects.toMatchObject({ code: 'LAST_ADMIN', status: 409 });
    await expect(stack.services.users.update(founder.body.user.id, { role: 'user' }, cli)).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    await expect(stack.services.users.delete(founder.body.user.id, cli)).rejects.toMatchObject({ code: 'LAST_ADMIN' });
  });

  test('when two admins demote each other at the same moment, then one admin always remains', async () => {
    const pw = strongPassword();
    const a = await register(stack.app, { username: 'admin-a', password: pw });
    const b = await stack.services.users.create({ username: 'admin-b', password: pw, role: 'admin' }, { userId: a.body.user.id, ip: null });
    const ta = await loginAs(stack, { username: 'admin-a', password: pw });
    const tb = await loginAs(stack, { username: 'admin-b', password: pw });
    const [ra, rb] = await Promise.all([
      request(stack.app).patch(`${api}/users/${b.id}`).set(bearer(ta.accessToken)).send({ role: 'user' }),
      request(stack.app).patch(`${api}/users/${a.body.user.id}`).set(bearer(tb.accessToken)).send({ role: 'user' }),
    ]);
    expect([ra.status, rb.status].filter((s) => s === 200)).toHaveLength(1);
    expect([ra.body, rb.body].map((x) => x.error?.code).filter(Boolean)).toEqual([expect.stringMatching(/^(LAST_ADMIN|FORBIDDEN)$/)]);
    const [{ n }] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled`);
    expect(n).toBe(1);
  });
});
