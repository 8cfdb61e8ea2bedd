import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { bearer, buildSession } from './support/builders';
import { startStack, type TestStack } from './support/stack';

/** A controller and an executor that do not share EXECUTOR_TOKEN: the executor refuses the controller, not the user. */
describe('when the controller and the executor disagree', () => {
  let stack: TestStack;
  let sim: RouterSim;

  beforeAll(async () => {
    stack = await startStack({ executorEnv: { EXECUTOR_TOKEN: 'another-executor-token-0123456789abcdef' } });
    sim = await startRouterSim({ platform: 'linux-nft' });
  });
  afterAll(async () => {
    await sim.close();
    await stack.close();
  });

  test('then every router action answers 502 EXECUTOR_CONTRACT_MISMATCH (not the executor\'s 401) and nothing reaches the router', async () => {
    const alice = await buildSession(stack);
    const router = await request(stack.app)
      .post('/api/v1/routers')
      .set(bearer(alice.tokens.accessToken))
      .send({ name: 'r', host: sim.host, port: sim.port, username: sim.username, password: sim.password, platform: 'linux-nft' });
    expect(router.status).toBe(201);
    for (const call of [
      request(stack.app).post(`/api/v1/routers/${router.body.id}/scan`),
      request(stack.app).get(`/api/v1/routers/${router.body.id}/info`),
      request(stack.app).post(`/api/v1/routers/${router.body.id}/blocks`).send({ ip: '192.168.1.9' }),
    ]) {
      const res = await call.set(bearer(alice.tokens.accessToken));
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('EXECUTOR_CONTRACT_MISMATCH');
      expect(res.body.error.details).toEqual({ executorCode: 'UNAUTHORIZED' });
    }
    expect(sim.commands).toHaveLength(0);
  });
});
