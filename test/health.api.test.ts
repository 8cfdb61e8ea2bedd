import request from 'supertest';
import { startStack, TEST_EXECUTOR_TOKEN, type TestStack } from './support/stack';
import { freePort } from '../services/controller/src/db/embedded-postgres';

describe('service endpoints', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  test('when the process is up, then /healthz answers 200', async () => {
    const res = await request(stack.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('when the database and the executor answer, then /readyz answers 200', async () => {
    const res = await request(stack.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({ database: 'ok', executor: 'ok' });
  });

  test('when a route does not exist, then 404 in the error shape with a request id and no stack', async () => {
    const res = await request(stack.app).get('/api/v1/no-such-thing').set('x-request-id', 'req-abc-123');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'NOT_FOUND', message: 'No route GET /api/v1/no-such-thing', requestId: 'req-abc-123' },
    });
    expect(res.headers['x-request-id']).toBe('req-abc-123');
  });

  test('when the JSON body is malformed, then 400 in the error shape with no stack trace', async () => {
    const res = await request(stack.app)
      .post('/api/v1/anything')
      .set('content-type', 'application/json')
      .send('{"username": "ann", ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toBe('Request body is not valid JSON');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  test('when the body is larger than the limit, then 413', async () => {
    const res = await request(stack.app)
      .post('/api/v1/anything')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ blob: 'x'.repeat(200 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('when a response is sent, then helmet headers are on it', async () => {
    const res = await request(stack.app).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('when the executor is called without the service token, then 401 UNAUTHORIZED in the envelope', async () => {
    for (const auth of [undefined, 'Bearer wrong-token', `Basic ${TEST_EXECUTOR_TOKEN}`]) {
      const req = request(stack.executorUrl).post('/api/session/start').send({ sessionId: 's1' });
      if (auth) req.set('authorization', auth);
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.body.success).toBe(false);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
      expect(res.body.data).toBeNull();
      expect(res.body.metadata.timestamp).toEqual(expect.any(String));
    }
  });
});

describe('readiness when the executor is down', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ executorUrl: `http://127.0.0.1:${await freePort()}` });
  });
  afterAll(async () => {
    await stack.close();
  });

  test('when the executor does not answer, then /readyz answers 503 naming the executor', async () => {
    const res = await request(stack.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks).toEqual({ database: 'ok', executor: 'unreachable' });
  });
});
