import request from 'supertest';
import { bearer, buildSession, uniqueIp } from './support/builders';
import { startStack, type TestStack } from './support/stack';
import { healthRoutes } from '../services/controller/src/modules/health/health.routes';
import express from 'express';

const api = '/api/v1';
const randomKey = () => `npk_${Math.random().toString(36).slice(2).padEnd(24, 'x')}`;

/** Routes anyone may call: bounded per address, in work at once, and in what they write. */
describe('unauthenticated routes', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({
      env: { TRUST_PROXY: '1', ANONYMOUS_REQUESTS_PER_MINUTE: '20', REGISTER_MAX_FAILURES_PER_IP: '5', ANONYMOUS_CONCURRENCY: '2' },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  const register = (ip: string, provisionKey = randomKey()) =>
    request(stack.app).post(`${api}/routers/register`).set('x-forwarded-for', ip).send({ provisionKey });

  test('when one address sends 60 random provision keys, then 5 are looked at and audited, the rest get 429 and write nothing', async () => {
    const ip = uniqueIp();
    const answers = [];
    for (let i = 0; i < 60; i++) answers.push(await register(ip));
    expect(answers.slice(0, 5).map((r) => r.body.error.code)).toEqual(Array(5).fill('PROVISION_KEY_INVALID'));
    expect(answers.slice(5).map((r) => r.status)).toEqual(Array(55).fill(429));
    const refused = answers.find((r) => r.status === 429)!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const [{ n }] = await stack.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'router.register' AND outcome = 'failure' AND actor_ip = $1`,
      [ip],
    );
    expect(n).toBe(5);
  });

  test('when an address has used up its failures, then a router installing from another address still registers', async () => {
    const noisy = uniqueIp();
    for (let i = 0; i < 6; i++) await register(noisy);
    const alice = await buildSession(stack);
    const router = await request(stack.app)
      .post(`${api}/routers`)
      .set(bearer(alice.tokens.accessToken))
      .send({ name: 'r', host: '192.0.2.10', port: 22, username: 'root', password: 'x', platform: 'openwrt' });
    const key = await request(stack.app).post(`${api}/routers/${router.body.id}/provision-key`).set(bearer(alice.tokens.accessToken));
    expect((await register(noisy, key.body.provisionKey)).status).toBe(429);
    const installed = await register(uniqueIp(), key.body.provisionKey);
    expect(installed.status).toBe(201);
    expect(installed.body.routerToken).toMatch(/^nrt_/);
  });

  test('when one address calls an anonymous route more than its allowance a minute, then 429 with Retry-After; other addresses are served', async () => {
    const ip = uniqueIp();
    const answers = [];
    for (let i = 0; i < 25; i++) answers.push(await request(stack.app).post(`${api}/auth/refresh`).set('x-forwarded-for', ip).send({ refreshToken: 'x'.repeat(43) }));
    expect(answers.slice(0, 20).map((r) => r.status)).toEqual(Array(20).fill(401));
    expect(answers.slice(20).map((r) => r.status)).toEqual(Array(5).fill(429));
    expect(answers[20].body.error.code).toBe('RATE_LIMITED');
    expect(Number(answers[20].headers['retry-after'])).toBeGreaterThan(0);
    // The allowance is per route: the same address may still log in.
    const other = await request(stack.app).post(`${api}/auth/login`).set('x-forwarded-for', ip).send({ username: 'nobody-here', password: 'wrong password' });
    expect(other.status).toBe(401);
    expect((await request(stack.app).post(`${api}/auth/refresh`).set('x-forwarded-for', uniqueIp()).send({ refreshToken: 'x'.repeat(43) })).status).toBe(401);
  });

  test('when a flood from many addresses outgrows what may wait, then the excess is refused at once and nothing is half-done', async () => {
    // Two at work and 64 waiting: of 200 requests sent at once, at least 134 are turned away.
    const answers = await Promise.all(Array.from({ length: 200 }, () => register(uniqueIp())));
    const statuses = new Set(answers.map((r) => r.status));
    expect([...statuses].every((s) => s === 401 || s === 429)).toBe(true);
    expect(answers.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(134);
    expect(answers.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(2);
  });
});

describe('readiness', () => {
  test('when /readyz is asked 100 times at once, then the database and the executor are checked once', async () => {
    let pings = 0;
    let healths = 0;
    const app = express().use(
      healthRoutes({
        ping: async () => {
          pings++;
        },
        executor: {
          health: async () => {
            healths++;
            return { status: 'ok' } as never;
          },
        },
        readyCacheMs: 60_000,
      }),
    );
    const answers = await Promise.all(Array.from({ length: 100 }, () => request(app).get('/readyz')));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect({ pings, healths }).toEqual({ pings: 1, healths: 1 });
  });
});
