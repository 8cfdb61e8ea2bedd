import request from 'supertest';
import { createApp } from '../services/controller/src/app';
import { buildUser, uniqueIp } from './support/builders';
import { startStack, testLogger, type TestStack } from './support/stack';

const api = '/api/v1';

describe('failed-login limits', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Defaults for per-username (10) and per-username+IP (5); a per-IP limit of 8 keeps the IP test short.
    // Every test speaks from its own addresses (x-forwarded-for), so counters never meet across tests.
    stack = await startStack({ env: { TRUST_PROXY: '1', LOGIN_MAX_FAILURES_PER_IP: '8' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  const login = (app: Parameters<typeof request>[0], ip: string, username: string, password: string) =>
    request(app).post(`${api}/auth/login`).set('x-forwarded-for', ip).send({ username, password });

  test('when one account fails 5 times from an office IP, then it gets 429 with Retry-After while a colleague still logs in from that IP', async () => {
    const office = uniqueIp();
    const victim = await buildUser(stack);
    const colleague = await buildUser(stack);
    for (let i = 0; i < 5; i++) expect((await login(stack.app, office, victim.username, 'wrong password')).status).toBe(401);

    const limited = await login(stack.app, office, victim.username, victim.password);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(limited.body.error.details).toEqual({ retryAfterSeconds: retryAfter });

    expect((await login(stack.app, office, colleague.username, colleague.password)).status).toBe(200);
  });

  test('when a login succeeds, then the failures before it no longer count', async () => {
    const ip = uniqueIp();
    const u = await buildUser(stack);
    // 3 + 4 failures from one address: over the per-username+IP limit of 5, unless the success reset it.
    for (let i = 0; i < 3; i++) expect((await login(stack.app, ip, u.username, 'wrong password')).status).toBe(401);
    expect((await login(stack.app, ip, u.username, u.password)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(stack.app, ip, u.username, 'wrong password')).status).toBe(401);
    expect((await login(stack.app, ip, u.username, u.password)).status).toBe(200);
  });

  test('when an account is guessed at from many addresses, then the per-username limit stops it everywhere', async () => {
    const u = await buildUser(stack);
    for (let i = 0; i < 10; i++) expect((await login(stack.app, uniqueIp(), u.username, 'wrong password')).status).toBe(401);
    expect((await login(stack.app, uniqueIp(), u.username, u.password)).status).toBe(429);
    // The username counter ignores case: the same account by another spelling is limited too.
    expect((await login(stack.app, uniqueIp(), u.username.toUpperCase(), u.password)).status).toBe(429);
  });

  test('when one address fails across many accounts, then the per-IP limit stops it and other addresses are unaffected', async () => {
    const attacker = uniqueIp();
    for (let i = 0; i < 8; i++) expect((await login(stack.app, attacker, `nobody-${i}-${attacker}`, 'wrong password')).status).toBe(401);
    const someone = await buildUser(stack);
    expect((await login(stack.app, attacker, someone.username, someone.password)).status).toBe(429);
    expect((await login(stack.app, uniqueIp(), someone.username, someone.password)).status).toBe(200);
  });

  test('when a blocked account keeps being hammered, then the shared IP allowance is not used up by it', async () => {
    const office = uniqueIp();
    const victim = await buildUser(stack);
    for (let i = 0; i < 5; i++) await login(stack.app, office, victim.username, 'wrong password');
    // 20 more attempts, all refused with 429 without being counted against the office IP (limit 8).
    for (let i = 0; i < 20; i++) expect((await login(stack.app, office, victim.username, 'wrong password')).status).toBe(429);
    const colleague = await buildUser(stack);
    expect((await login(stack.app, office, colleague.username, colleague.password)).status).toBe(200);
  });

  test('when failures happen on one replica, then another replica sees them (counters live in PostgreSQL)', async () => {
    const replicaB = createApp({ config: stack.config, logger: testLogger(), db: stack.db, executor: stack.executor });
    const ip = uniqueIp();
    const u = await buildUser(stack);
    for (let i = 0; i < 5; i++) await login(stack.app, ip, u.username, 'wrong password');
    expect((await login(replicaB, ip, u.username, u.password)).status).toBe(429);
    const [row] = await stack.dataSource.query('SELECT points FROM rate_limits WHERE key = $1', [`login_user_ip:${u.username.toLowerCase()}|${ip}`]);
    expect(row.points).toBe(5);
  });

  test('when failed logins race in parallel, then exactly the limit get a password check and the rest get 429', async () => {
    const ip = uniqueIp();
    const u = await buildUser(stack);
    const results = await Promise.all(Array.from({ length: 12 }, () => login(stack.app, ip, u.username, 'wrong password')));
    expect(results.filter((r) => r.status === 401)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
  });

  test('when one user logs in 40 times at once with the right password, then all 40 get in', async () => {
    const ip = uniqueIp();
    const u = await buildUser(stack);
    const results = await Promise.all(Array.from({ length: 40 }, () => login(stack.app, ip, u.username, u.password)));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
  });
});
