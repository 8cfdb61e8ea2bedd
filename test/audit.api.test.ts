import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { computeAuditHash } from '../services/controller/src/modules/audit/audit-hash';
import { bearer, buildSession, buildUser, loginAs, uniqueIp } from './support/builders';
import { createFreshDatabase, type FreshDatabase } from './support/fresh-database';
import { startStack, type TestStack } from './support/stack';

const api = '/api/v1';

describe('audit log API', () => {
  let stack: TestStack;
  let admin: Awaited<ReturnType<typeof buildSession>>;
  beforeAll(async () => {
    stack = await startStack({ env: { TRUST_PROXY: '1' } });
    admin = await buildSession(stack, { role: 'admin' });
  });
  afterAll(async () => {
    await stack.close();
  });

  const audit = (query: Record<string, string | number>) =>
    request(stack.app).get(`${api}/audit`).query(query).set(bearer(admin.tokens.accessToken));

  test('when logins succeed and fail, then each is in the log with actor, IP, time, target, outcome and reason', async () => {
    const ip = uniqueIp();
    const u = await buildUser(stack);
    const before = new Date();
    await request(stack.app).post(`${api}/auth/login`).set('x-forwarded-for', ip).send({ username: u.username, password: 'wrong password' });
    const tokens = await loginAs(stack, u, { 'x-forwarded-for': ip });
    await request(stack.app).post(`${api}/auth/logout`).set(bearer(tokens.accessToken)).set('x-forwarded-for', ip);

    const res = await audit({ actor: u.user.id });
    expect(res.status).toBe(200);
    const entries = res.body.items;
    expect(entries.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`)).toEqual([
      'auth.logout:success',
      'auth.login:success',
      'auth.login:failure',
    ]);
    const [logout, success, failure] = entries;
    expect(failure).toMatchObject({
      actorUserId: u.user.id,
      actorUsername: u.username,
      actorIp: ip,
      targetType: 'user',
      targetId: u.user.id,
      details: { reason: 'bad_password', username: u.username },
    });
    expect(success).toMatchObject({ actorIp: ip, targetType: 'session', details: { factor: 'password' } });
    expect(logout).toMatchObject({ targetType: 'session', targetId: success.targetId, details: { reason: 'logout' } });
    for (const e of entries) {
      expect(new Date(e.at).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(e).not.toHaveProperty('hash');
    }
  });

  test('when the username is unknown, then the failure is logged with the name tried and no actor', async () => {
    const name = `ghost-${randomUUID().slice(0, 8)}`;
    await request(stack.app).post(`${api}/auth/login`).set('x-forwarded-for', uniqueIp()).send({ username: name, password: 'whatever password' });
    const res = await audit({ action: 'auth.login', limit: 200 });
    const entry = res.body.items.find((e: { details: { username?: string } }) => e.details.username === name);
    expect(entry).toMatchObject({ outcome: 'failure', actorUserId: null, details: { reason: 'unknown_user' } });
  });

  test('when an admin changes a user and ends a session, then both are logged with the admin as actor', async () => {
    const u = await buildSession(stack);
    await request(stack.app).patch(`${api}/users/${u.user.id}`).set(bearer(admin.tokens.accessToken)).send({ role: 'admin' });
    await request(stack.app).delete(`${api}/sessions/${u.sessionId}`).set(bearer(admin.tokens.accessToken));
    const update = (await audit({ action: 'user.update', actor: admin.username, limit: 200 })).body.items.find(
      (e: { targetId: string }) => e.targetId === u.user.id,
    );
    expect(update).toMatchObject({ actorUserId: admin.user.id, details: { changed: ['role'], role: { from: 'user', to: 'admin' } } });
    const term = (await audit({ action: 'session.terminate', actor: admin.user.id, limit: 200 })).body.items.find(
      (e: { targetId: string }) => e.targetId === u.sessionId,
    );
    expect(term).toMatchObject({ outcome: 'success', details: { reason: 'terminated_by_admin', userId: u.user.id } });
  });

  test('when 2FA is set up, enabled and disabled, then each change is logged', async () => {
    const u = await buildSession(stack);
    await request(stack.app).post(`${api}/auth/2fa/setup`).set(bearer(u.tokens.accessToken));
    await request(stack.app).post(`${api}/auth/2fa/enable`).set(bearer(u.tokens.accessToken)).send({ code: '000000' });
    const actions = (await audit({ actor: u.user.id })).body.items.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`);
    expect(actions.slice(0, 2)).toEqual(['auth.2fa_enable:failure', 'auth.2fa_setup:success']);
  });

  test('when pages are read with the cursor, then they are newest first, disjoint and complete', async () => {
    const actorId = randomUUID();
    for (let i = 0; i < 5; i++) {
      await stack.services.audit.record({ action: 'test.page', actor: { userId: actorId, ip: null }, details: { i } });
    }
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 3; page++) {
      const res = await audit({ actor: actorId, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((e: { details: { i: number } }) => e.details.i));
      cursor = res.body.nextCursor ?? undefined;
      if (page < 2) expect(cursor).toEqual(expect.any(String));
    }
    expect(seen).toEqual([4, 3, 2, 1, 0]);
    expect(cursor).toBeUndefined();
  });

  test('when entries share a time or differ by microseconds, then pages still hold each entry once, newest first', async () => {
    const actorId = randomUUID();
    const times = ['2031-05-01T10:00:00.000001Z', '2031-05-01T10:00:00.000002Z', '2031-05-01T10:00:00.000002Z', '2031-05-01T10:00:00.000002Z', '2031-05-01T10:00:00Z'];
    for (const [i, at] of times.entries()) {
      await stack.dataSource.query(`INSERT INTO audit_log (at, actor_user_id, action, outcome, details) VALUES ($1, $2, 'test.ties', 'success', $3::jsonb)`, [at, actorId, JSON.stringify({ i })]);
    }
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 4 && (page === 0 || cursor); page++) {
      const res = await audit({ actor: actorId, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...res.body.items.map((e: { details: { i: number } }) => e.details.i));
      cursor = res.body.nextCursor ?? undefined;
    }
    // Same time: the higher id first.
    expect(seen).toEqual([3, 2, 1, 0, 4]);
  });

  test('when filtering by router and time, then only matching entries come back', async () => {
    const routerId = randomUUID();
    await stack.services.audit.record({ action: 'router.block', target: { type: 'router', id: routerId }, details: { ip: '192.168.1.50' } });
    await stack.services.audit.record({ action: 'router.device_seen', target: { type: 'device', id: 'x' }, details: { routerId } });
    await stack.services.audit.record({ action: 'router.block', target: { type: 'router', id: randomUUID() } });
    const res = await audit({ router: routerId });
    expect(res.body.items.map((e: { action: string }) => e.action)).toEqual(['router.device_seen', 'router.block']);
    expect((await audit({ router: routerId.toUpperCase() })).body.items).toHaveLength(2);
    const notARouter = await audit({ router: 'not-a-router-id' });
    expect(notARouter.status).toBe(200);
    expect(notARouter.body).toEqual({ items: [], nextCursor: null });

    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await audit({ router: routerId, from: future })).body.items).toEqual([]);
    expect((await audit({ router: routerId, to: future })).body.items).toHaveLength(2);
  });

  test('when the cursor or a date is not valid, then 400', async () => {
    const bad = await audit({ cursor: 'garbage' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_CURSOR');
    expect((await audit({ from: 'yesterday' })).status).toBe(400);
    expect((await audit({ limit: 1000 })).status).toBe(400);
  });

  test('when details carry secret-looking keys, then they are stored redacted', async () => {
    const actorId = randomUUID();
    await stack.services.audit.record({ action: 'test.redact', actor: { userId: actorId, ip: null }, details: { password: 'hunter2hunter2', note: 'kept' } });
    const [entry] = (await audit({ actor: actorId })).body.items;
    expect(entry.details).toEqual({ password: '[redacted]', note: 'kept' });
  });

  test('when anyone tries to UPDATE, DELETE or TRUNCATE the log, then the database refuses', async () => {
    await stack.services.audit.record({ action: 'test.immutable' });
    await expect(stack.dataSource.query(`UPDATE audit_log SET outcome = 'failure' WHERE action = 'test.immutable'`)).rejects.toThrow(/append-only/);
    await expect(stack.dataSource.query(`DELETE FROM audit_log WHERE action = 'test.immutable'`)).rejects.toThrow(/append-only/);
    await expect(stack.dataSource.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  test('when entries are appended concurrently, then the chain stays one unbroken line', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => stack.services.audit.record({ action: 'test.concurrent', details: { i } })));
    const result = await stack.services.audit.verify();
    expect(result).toEqual({ ok: true, entries: expect.any(Number) });
  });
});

describe('audit chain verification', () => {
  let db: FreshDatabase;
  let stack: TestStack;
  beforeEach(async () => {
    db = await createFreshDatabase();
    stack = await startStack({ env: { DATABASE_URL: db.url } });
    for (let i = 1; i <= 5; i++) await stack.services.audit.record({ action: 'test.chain', details: { i } });
    // What the periodic job does a second later: the rows join the chain (tampering comes after).
    await stack.services.audit.seal();
  });
  afterEach(async () => {
    await stack.close();
    await db.drop();
  });

  /** What a superuser could do by hand: switch the guard off, change a row, switch it on. */
  async function tamper(sql: string): Promise<void> {
    await stack.dataSource.transaction(async (m) => {
      await m.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await m.query(sql);
      await m.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    });
  }

  test('when nothing was touched, then verify passes, also when it reads the chain in small pages', async () => {
    expect(await stack.services.audit.verify()).toEqual({ ok: true, entries: 5 });
    expect(await stack.services.audit.verify({ pageSize: 2 })).toEqual({ ok: true, entries: 5 });
  });

  test('when a row is edited by hand, then verify names that row', async () => {
    await tamper(`UPDATE audit_log SET details = '{"i": 99}' WHERE id = 3`);
    expect(await stack.services.audit.verify()).toMatchObject({ ok: false, firstBadId: '3', reason: 'hash_mismatch' });
  });

  test('when a row is edited and its own hash recomputed, then the next row exposes it', async () => {
    const [row] = await stack.dataSource.query('SELECT id::text, at, action, outcome, prev_hash FROM audit_log WHERE id = 2');
    const forged = computeAuditHash({
      id: row.id,
      at: row.at,
      actorUserId: null,
      actorIp: null,
      action: row.action,
      targetType: null,
      targetId: null,
      outcome: row.outcome,
      details: { i: 42 },
      prevHash: row.prev_hash,
    });
    await tamper(`UPDATE audit_log SET details = '{"i": 42}', hash = '${forged}' WHERE id = 2`);
    expect(await stack.services.audit.verify()).toMatchObject({ ok: false, firstBadId: '3', reason: 'prev_hash_mismatch' });
  });

  test('when a row in the middle is deleted, then verify names the row after the gap', async () => {
    await tamper('DELETE FROM audit_log WHERE id = 4');
    const result = await stack.services.audit.verify({ pageSize: 2 });
    expect(result).toMatchObject({ ok: false, firstBadId: '5', reason: 'prev_hash_mismatch' });
    expect(result.ok === false && result.message).toMatch(/entry 5 does not follow entry 3/);
  });
});
