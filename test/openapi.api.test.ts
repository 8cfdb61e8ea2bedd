import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { bearer, buildSession } from './support/builders';
import { checkResponses } from './support/openapi';
import { startStack, type TestStack } from './support/stack';

describe('API description', () => {
  let stack: TestStack;
  let doc: Record<string, any>;
  beforeAll(async () => {
    stack = await startStack();
    doc = (await request(stack.app).get('/api/v1/openapi.json').expect(200)).body;
  });
  afterAll(async () => {
    await stack.close();
  });

  test('when the OpenAPI document is checked by an independent validator, then it is valid OpenAPI 3', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netpilot-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      // The validator is ESM only and runs as its own process (jest here is CommonJS).
      const cli = require.resolve('@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
      const out = execFileSync(process.execPath, [cli, file], { encoding: 'utf8' });
      expect(out).toMatch(/"valid":\s*true/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('when the document is read, then it describes every route of SPEC section 3', () => {
    const ops = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const expected = [
      'POST /api/v1/auth/register', 'POST /api/v1/auth/login', 'POST /api/v1/auth/refresh', 'POST /api/v1/auth/logout',
      'GET /api/v1/auth/me', 'POST /api/v1/auth/password', 'POST /api/v1/auth/2fa/setup', 'POST /api/v1/auth/2fa/enable',
      'POST /api/v1/auth/2fa/disable', 'GET /api/v1/auth/sessions', 'DELETE /api/v1/auth/sessions/{id}',
      'GET /api/v1/users', 'POST /api/v1/users', 'GET /api/v1/users/{id}', 'PATCH /api/v1/users/{id}', 'DELETE /api/v1/users/{id}',
      'GET /api/v1/sessions', 'DELETE /api/v1/sessions/{id}', 'GET /api/v1/audit',
      'POST /api/v1/routers', 'GET /api/v1/routers', 'GET /api/v1/routers/{id}', 'PATCH /api/v1/routers/{id}', 'DELETE /api/v1/routers/{id}',
      'POST /api/v1/routers/{id}/assignments', 'DELETE /api/v1/routers/{id}/assignments/{userId}',
      'POST /api/v1/routers/{id}/provision-key', 'POST /api/v1/routers/register', 'POST /api/v1/routers/{id}/heartbeat',
      'GET /api/v1/routers/{id}/status', 'POST /api/v1/routers/{id}/blocks', 'GET /api/v1/routers/{id}/blocks',
      'DELETE /api/v1/routers/{id}/blocks/{blockId}', 'POST /api/v1/routers/{id}/scan', 'GET /api/v1/routers/{id}/devices',
      'GET /api/v1/routers/{id}/info', 'POST /api/v1/routers/{id}/sync', 'GET /api/v1/routers/{id}/commands',
    ];
    expect(ops).toEqual(expect.arrayContaining(expected));
    // Request bodies come from the same joi schemas that validate them.
    const createRouter = doc.paths['/api/v1/routers'].post.requestBody.content['application/json'].schema;
    expect(createRouter.properties.platform.enum).toEqual(['openwrt', 'linux-nft', 'linux-iptables']);
    expect(doc.paths['/api/v1/routers/{id}/heartbeat'].post.security).toEqual([{ routerToken: [] }]);
    expect(doc.paths['/api/v1/auth/login'].post.security).toEqual([]);
  });

  test('when a response does not match the document, then the response check reports it', () => {
    const problems = checkResponses(doc, [
      { method: 'get', path: '/api/v1/auth/me', status: 200, body: { user: { id: 'not-a-uuid', username: 7 } } },
      { method: 'post', path: '/api/v1/routers/11111111-1111-4111-8111-111111111111/scan', status: 418, body: {} },
      { method: 'get', path: '/api/v1/auth/me', status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'x', requestId: null } } },
    ]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/GET \/api\/v1\/auth\/me 200/);
    expect(problems[1]).toMatch(/answered 418/);
  });

  test('when Swagger UI is opened, then it serves the document', async () => {
    const res = await request(stack.app).get('/api/docs/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
  });

  test('when traffic has flowed, then /metrics reports requests by route pattern and status', async () => {
    const s = await buildSession(stack);
    await request(stack.app).get('/api/v1/auth/me').set(bearer(s.tokens.accessToken)).expect(200);
    const res = await request(stack.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/netpilot_http_requests_total\{method="GET",route="\/api\/v1\/auth\/me",status="200"\} 1/);
    expect(res.text).toContain('netpilot_router_actions_total');
  });
});
