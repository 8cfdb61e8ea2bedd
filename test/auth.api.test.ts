import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createApp, createServices } from '../services/controller/src/app';
import { freePort } from '../services/controller/src/db/embedded-postgres';
import { bearer, buildSession, buildUser, capturingLogger, loginAs } from './support/builders';
import { startStack, testLogger, type TestStack } from './support/stack';

const api = '/api/v1';

describe('login, tokens and sessions', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  test('when the password is right, then login answers the token pair and the user, and /auth/me works', async () => {
    const { username, password, user } = await buildUser(stack);
    const res = await request(stack.app).post(`${api}/auth/login`).send({ username: username.toUpperCase(), password });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { ...user, updatedAt: expect.any(String) },
    });
    expect(Buffer.from(res.body.refreshToken, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(res.headers['cache-control']).toBe('no-store');
    const header = jwt.decode(res.body.accessToken, { complete: true })!.header;
    expect(header.alg).toBe('HS256');

    const me = await request(stack.app).get(`${api}/auth/me`).set(bearer(res.body.accessToken));
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: user.id, username, role: 'user' });
    expect(me.body.user).not.toHaveProperty('passwordHash');
  });

  test('when the password is wrong or the user unknown, then both answer the same 401', async () => {
    const { username } = await buildUser(stack);
    const wrong = await request(stack.app).post(`${api}/auth/login`).send({ username, password: 'not the password' });
    const unknown = await request(stack.app).post(`${api}/auth/login`).send({ username: `${username}-x`, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Username or password is wrong' });
    expect(unknown.body.error).toEqual({ ...wrong.body.error, requestId: expect.any(String) });
  });

  test('when no token, a malformed header or a garbage token is sent, then 401', async () => {
    expect((await request(stack.app).get(`${api}/auth/me`)).status).toBe(401);
    expect((await request(stack.app).get(`${api}/auth/me`).set('authorization', 'Basic abc')).status).toBe(401);
    const res = await request(stack.app).get(`${api}/auth/me`).set(bearer('not.a.jwt'));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_TOKEN');
  });

  describe('tokens that must be refused (acceptance 3)', () => {
    // Each forged token names a real, active session and its user, so only the token itself is at fault.
    let claims: { sub: string; sid: string };
    beforeAll(async () => {
      const s = await buildSession(stack);
      claims = { sub: s.user.id, sid: s.sessionId };
    });
    const std = { issuer: 'netpilot-controller', audience: 'netpilot-api', jwtid: 'forged' };
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

    test('when the token says alg none (unsigned), then 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const payload = { sid: claims.sid, sub: claims.sub, jti: 'forged', iat: now, exp: now + 600, iss: std.issuer, aud: std.audience };
      for (const alg of ['none', 'None', 'NONE']) {
        const token = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}.`;
        const res = await request(stack.app).get(`${api}/auth/me`).set(bearer(token));
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('INVALID_TOKEN');
      }
    });

    test('when the token is signed with another key, then 401', async () => {
      const token = jwt.sign({ sid: claims.sid }, 'x'.repeat(64), { algorithm: 'HS256', subject: claims.sub, expiresIn: 600, ...std });
      const res = await request(stack.app).get(`${api}/auth/me`).set(bearer(token));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_TOKEN');
    });

    test('when the token is signed with the right key but another algorithm (HS512), then 401', async () => {
      const token = jwt.sign({ sid: claims.sid }, stack.config.jwtSecret, { algorithm: 'HS512', subject: claims.sub, expiresIn: 600, ...std });
      expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(token))).status).toBe(401);
    });

    test('when the token has expired, then 401 TOKEN_EXPIRED', async () => {
      const past = Math.floor(Date.now() / 1000) - 3600;
      const token = jwt.sign({ sid: claims.sid, iat: past, exp: past + 900 }, stack.config.jwtSecret, { algorithm: 'HS256', subject: claims.sub, ...std });
      const res = await request(stack.app).get(`${api}/auth/me`).set(bearer(token));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('TOKEN_EXPIRED');
    });

    test('when the same claims are signed properly, then the token works (the forgeries failed for their flaw alone)', async () => {
      const token = jwt.sign({ sid: claims.sid }, stack.config.jwtSecret, { algorithm: 'HS256', subject: claims.sub, expiresIn: 600, ...std });
      expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(token))).status).toBe(200);
    });

    test("when a token names another user's session, then 401", async () => {
      const other = await buildUser(stack);
      const token = jwt.sign({ sid: claims.sid }, stack.config.jwtSecret, { algorithm: 'HS256', subject: other.user.id, expiresIn: 600, ...std });
      expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(token))).status).toBe(401);
    });
  });

  describe('refresh tokens', () => {
    test('when a refresh token is used, then a new pair comes back and the old refresh token is spent', async () => {
      const { tokens } = await buildSession(stack);
      const first = await request(stack.app).post(`${api}/auth/refresh`).send({ refreshToken: tokens.refreshToken });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { id: tokens.user.id } });
      expect(first.body.refreshToken).not.toBe(tokens.refreshToken);
      expect(first.body.accessToken).not.toBe(tokens.accessToken);
      expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(first.body.accessToken))).status).toBe(200);

      const second = await request(stack.app).post(`${api}/auth/refresh`).send({ refreshToken: first.body.refreshToken });
      expect(second.status).toBe(200);
    });

    test('when a spent refresh token is presented again, then the whole session is revoked (theft detection)', async () => {
      const { tokens, sessionId } = await buildSession(stack);
      const rotated = await request(stack.app).post(`${api}/auth/refresh`).send({ refreshToken: tokens.refreshToken });
      expect(rotated.status).toBe(200);

      const reuse = await request(stack.app).post(`${api}/auth/refresh`).send({ refreshToken: tokens.refreshToken });
      expect(reuse.status).toBe(401);
      expect(reuse.body.error.code).toBe('INVALID_REFRESH_TOKEN');

      // Both the thief's and the owner's newest tokens are now useless.
      expect((await request(stack.app).post(`${api}/auth/refresh`).send({ refreshToken: rotated.body.refreshToken })).status).toBe(401);
      expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(rotated.body.accessToken))).status).toBe(401);
      expect(stack.executorSessions!.get(sessionId)).toBeUndefined();

      const [row] = await stack.dataSource.query('SELECT revoked_reason FROM sessions WHERE id = $1', [sessionId]);
      expect(row.revoked_reason).toBe('refresh_token_reuse');
      const audit = await stack.services.audit.list({ action: 'auth.refresh_token_reuse', actor: tokens.user.id });
      expect(audit.items).toHaveLength(1);
      expect(audit.items[0]).toMatchObject({ outcome: 'failure', targetType: 'session', targetId: sessionId });
    });

    test('when a refresh token was never issued, then 401 and nothing else happens', async () => {
      const res = await request(stack.app).post(`${api}/auth/refresh`).send({ refreshToken: 'A'.repeat(43) });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_REFRESH_TOKEN');
    });

    test('when the session has expired, then its refresh token is refused', async () => {
      const { tokens, sessionId } = await buildSession(stack);
      await stack.dataSource.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [sessionId]);
      expect((await request(stack.app).post(`${api}/auth/refresh`).send({ refreshToken: tokens.refreshToken })).status).toBe(401);
    });
  });

  describe('executor sessions (acceptance 5)', () => {
    test('when a user logs in, then the executor has a session of that id; when they log out, it is gone', async () => {
      const { tokens, sessionId } = await buildSession(stack);
      expect(stack.executorSessions!.get(sessionId)).toBeDefined();

      const out = await request(stack.app).post(`${api}/auth/logout`).set(bearer(tokens.accessToken));
      expect(out.status).toBe(204);
      expect(stack.executorSessions!.get(sessionId)).toBeUndefined();
      const me = await request(stack.app).get(`${api}/auth/me`).set(bearer(tokens.accessToken));
      expect(me.status).toBe(401);
      expect(me.body.error.code).toBe('SESSION_ENDED');
      expect((await request(stack.app).post(`${api}/auth/refresh`).send({ refreshToken: tokens.refreshToken })).status).toBe(401);
    });

    test('when an admin terminates a session, then its executor session ends and its token stops at once on this replica', async () => {
      const admin = await buildSession(stack, { role: 'admin' });
      const victim = await buildSession(stack);
      expect(stack.executorSessions!.get(victim.sessionId)).toBeDefined();
      expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(victim.tokens.accessToken))).status).toBe(200);

      const del = await request(stack.app).delete(`${api}/sessions/${victim.sessionId}`).set(bearer(admin.tokens.accessToken));
      expect(del.status).toBe(204);
      expect(stack.executorSessions!.get(victim.sessionId)).toBeUndefined();
      expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(victim.tokens.accessToken))).status).toBe(401);
      expect((await request(stack.app).delete(`${api}/sessions/${victim.sessionId}`).set(bearer(admin.tokens.accessToken))).status).toBe(404);
    });

    test('when the password is changed, then the other sessions end on both sides and the current one continues', async () => {
      const a = await buildSession(stack);
      const b = await loginAs(stack, a);
      const bSid = stack.services.accessTokens.verify(b.accessToken).sid;
      expect(stack.executorSessions!.get(bSid)).toBeDefined();
      const newPassword = `${a.password}-new`;

      const res = await request(stack.app)
        .post(`${api}/auth/password`)
        .set(bearer(a.tokens.accessToken))
        .send({ currentPassword: a.password, newPassword });
      expect(res.status).toBe(204);
      expect(stack.executorSessions!.get(bSid)).toBeUndefined();
      expect(stack.executorSessions!.get(a.sessionId)).toBeDefined();
      expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(b.accessToken))).status).toBe(401);
      expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(a.tokens.accessToken))).status).toBe(200);
      expect((await request(stack.app).post(`${api}/auth/login`).send({ username: a.username, password: a.password })).status).toBe(401);
      await loginAs(stack, { username: a.username, password: newPassword });
    });

    test('when a session expires, then the sweep job ends it here and in the executor', async () => {
      const { tokens, sessionId } = await buildSession(stack);
      await stack.dataSource.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [sessionId]);
      expect(stack.executorSessions!.get(sessionId)).toBeDefined();

      expect(await stack.services.sessions.expireDue()).toBeGreaterThanOrEqual(1);
      expect(stack.executorSessions!.get(sessionId)).toBeUndefined();
      const [row] = await stack.dataSource.query('SELECT revoked_at, revoked_reason FROM sessions WHERE id = $1', [sessionId]);
      expect(row.revoked_reason).toBe('expired');
      expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(tokens.accessToken))).status).toBe(401);
    });
  });

  describe('password change', () => {
    test('when the current password is wrong, then 403 and nothing changes', async () => {
      const a = await buildSession(stack);
      const res = await request(stack.app)
        .post(`${api}/auth/password`)
        .set(bearer(a.tokens.accessToken))
        .send({ currentPassword: 'wrong password!', newPassword: 'a brand new password' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('INVALID_PASSWORD');
      await loginAs(stack, a);
    });

    test('when the new password breaks the policy, then 400 with the reason', async () => {
      const a = await buildSession(stack);
      const res = await request(stack.app)
        .post(`${api}/auth/password`)
        .set(bearer(a.tokens.accessToken))
        .send({ currentPassword: a.password, newPassword: 'short' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'WEAK_PASSWORD', message: 'Password must be at least 10 characters long' });
    });
  });

  describe('own sessions', () => {
    test('when a user lists their sessions, then they see only their own, the current one marked', async () => {
      const a = await buildSession(stack);
      const second = await loginAs(stack, a, { 'user-agent': 'second-device/1.0' });
      await buildSession(stack);
      const res = await request(stack.app).get(`${api}/auth/sessions`).set(bearer(a.tokens.accessToken));
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(2);
      expect(res.body.items.every((s: { userId: string }) => s.userId === a.user.id)).toBe(true);
      const current = res.body.items.find((s: { current: boolean }) => s.current);
      expect(current.id).toBe(a.sessionId);
      const other = res.body.items.find((s: { current: boolean }) => !s.current);
      expect(other).toMatchObject({ userAgent: 'second-device/1.0', ip: expect.any(String) });
      expect(Object.keys(other).sort()).toEqual(['createdAt', 'current', 'expiresAt', 'id', 'ip', 'lastUsedAt', 'userAgent', 'userId', 'username']);

      const del = await request(stack.app).delete(`${api}/auth/sessions/${other.id}`).set(bearer(a.tokens.accessToken));
      expect(del.status).toBe(204);
      expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(second.accessToken))).status).toBe(401);
      expect(stack.executorSessions!.get(other.id)).toBeUndefined();
    });

    test("when a user tries to end another user's session, then 404 and it keeps working", async () => {
      const a = await buildSession(stack);
      const b = await buildSession(stack);
      const res = await request(stack.app).delete(`${api}/auth/sessions/${b.sessionId}`).set(bearer(a.tokens.accessToken));
      expect(res.status).toBe(404);
      expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(b.tokens.accessToken))).status).toBe(200);
    });
  });

  test('when an admin disables a user, then their sessions end on both sides and they cannot log in', async () => {
    const admin = await buildSession(stack, { role: 'admin' });
    const u = await buildSession(stack);
    const res = await request(stack.app)
      .patch(`${api}/users/${u.user.id}`)
      .set(bearer(admin.tokens.accessToken))
      .send({ disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.user.disabled).toBe(true);
    expect(stack.executorSessions!.get(u.sessionId)).toBeUndefined();
    expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(u.tokens.accessToken))).status).toBe(401);
    expect((await request(stack.app).post(`${api}/auth/refresh`).send({ refreshToken: u.tokens.refreshToken })).status).toBe(401);
    const login = await request(stack.app).post(`${api}/auth/login`).send({ username: u.username, password: u.password });
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe('ACCOUNT_DISABLED');
  });
});

describe('a terminated session on another replica', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ env: { SESSION_CACHE_TTL_MS: '300' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  test('when an admin terminates a session on replica A, then replica B refuses its token once its short cache lapses', async () => {
    // Replica B: a second app on the same database, with its own session cache.
    const replicaB = createApp({ config: stack.config, logger: testLogger(), db: stack.db, executor: stack.executor });
    const admin = await buildSession(stack, { role: 'admin' });
    const victim = await buildSession(stack);
    expect((await request(replicaB).get(`${api}/auth/me`).set(bearer(victim.tokens.accessToken))).status).toBe(200);

    const terminatedAt = Date.now();
    expect((await request(stack.app).delete(`${api}/sessions/${victim.sessionId}`).set(bearer(admin.tokens.accessToken))).status).toBe(204);

    // B may answer from its cache for up to SESSION_CACHE_TTL_MS; poll until it refuses, giving up at the SPEC's 10 s.
    let status = 200;
    while (status === 200 && Date.now() - terminatedAt < 10_000) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await request(replicaB).get(`${api}/auth/me`).set(bearer(victim.tokens.accessToken))).status;
    }
    expect(status).toBe(401);
  });

  test('when the cache TTL is set above 10 s, then the controller refuses to start', () => {
    const { loadConfig } = jest.requireActual('../services/controller/src/config') as typeof import('../services/controller/src/config');
    expect(() =>
      loadConfig({
        DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/x',
        EXECUTOR_TOKEN: 'x'.repeat(32),
        JWT_SECRET: 'y'.repeat(32),
        NETPILOT_SECRET_KEY: 'ab'.repeat(32),
        SESSION_CACHE_TTL_MS: '10001',
      }),
    ).toThrow(/SESSION_CACHE_TTL_MS/);
  });

  test('when services are created twice, then each has its own cache (no state shared between apps)', async () => {
    const deps = { config: stack.config, logger: testLogger(), db: stack.db, executor: stack.executor };
    const a = createServices(deps);
    const b = createServices(deps);
    expect(a.sessions).not.toBe(b.sessions);
    expect(a.limiter).not.toBe(b.limiter);
  });
});

describe('login while the executor is down', () => {
  let stack: TestStack;
  const { logger, lines } = capturingLogger('warn');
  beforeAll(async () => {
    stack = await startStack({ executorUrl: `http://127.0.0.1:${await freePort()}`, logger });
  });
  afterAll(async () => {
    await stack.close();
  });

  test('when the executor does not answer, then login still succeeds with a warning logged, and the token works', async () => {
    const { tokens, sessionId } = await buildSession(stack);
    const warning = lines.map((l) => JSON.parse(l)).find((l) => l.sessionId === sessionId);
    expect(warning).toMatchObject({ level: 'warn', message: expect.stringMatching(/could not start the executor session/) });
    expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(tokens.accessToken))).status).toBe(200);
    expect((await request(stack.app).post(`${api}/auth/logout`).set(bearer(tokens.accessToken))).status).toBe(204);
  });
});

describe('sessions per user', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ env: { MAX_SESSIONS_PER_USER: '3' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  test('when a user logs in beyond the cap, then the least recently used sessions end (refresh tokens too) and the newest stay', async () => {
    const u = await buildUser(stack);
    const pairs: Awaited<ReturnType<typeof loginAs>>[] = [];
    for (let i = 0; i < 3; i++) pairs.push(await loginAs(stack, u));
    // The first session is used now: it becomes the most recent, so the 2nd and 3rd go first.
    expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(pairs[0].accessToken))).status).toBe(200);
    pairs.push(await loginAs(stack, u));
    pairs.push(await loginAs(stack, u));
    const alive = await Promise.all(pairs.map(async (p) => (await request(stack.app).get(`${api}/auth/me`).set(bearer(p.accessToken))).status));
    expect(alive).toEqual([200, 401, 401, 200, 200]);
    const list = await request(stack.app).get(`${api}/auth/sessions`).set(bearer(pairs[4].accessToken));
    expect(list.body.items).toHaveLength(3);
    const ended = pairs.filter((_, i) => alive[i] === 401);
    for (const p of ended) expect((await request(stack.app).post(`${api}/auth/refresh`).send({ refreshToken: p.refreshToken })).status).toBe(401);
    const reasons = await stack.dataSource.query(`SELECT DISTINCT revoked_reason FROM sessions WHERE user_id = $1 AND revoked_at IS NOT NULL`, [u.user.id]);
    expect(reasons).toEqual([{ revoked_reason: 'session_limit' }]);
  });

  test('when a user pages through their sessions, then each comes once, newest first', async () => {
    const u = await buildUser(stack);
    const pairs: Awaited<ReturnType<typeof loginAs>>[] = [];
    for (let i = 0; i < 3; i++) pairs.push(await loginAs(stack, u));
    const first = await request(stack.app).get(`${api}/auth/sessions?limit=2`).set(bearer(pairs[2].accessToken));
    expect(first.body.items).toHaveLength(2);
    const second = await request(stack.app).get(`${api}/auth/sessions?limit=2&cursor=${first.body.nextCursor}`).set(bearer(pairs[2].accessToken));
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((s: { id: string }) => s.id);
    expect(new Set(ids).size).toBe(3);
    const created = [...first.body.items, ...second.body.items].map((s: { createdAt: string }) => s.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
  });
});
