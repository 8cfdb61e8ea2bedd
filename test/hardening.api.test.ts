import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { loadConfig } from '../services/controller/src/config';
import { bearer, buildSession, uniqueUsername } from './support/builders';
import { startStack, TEST_EXECUTOR_TOKEN, type TestStack } from './support/stack';

type Session = Awaited<ReturnType<typeof buildSession>>;

/** Inputs an attacker or a careless client sends: each answers a 4xx with a code, never a 500, and nothing half-done is left. */
describe('malformed input', () => {
  let stack: TestStack;
  let alice: Session;
  let admin: Session;
  let sim: RouterSim;
  const as = (s: Session) => bearer(s.tokens.accessToken);

  beforeAll(async () => {
    stack = await startStack({ env: { TRUST_PROXY: '1' } });
    alice = await buildSession(stack);
    admin = await buildSession(stack, { role: 'admin' });
    sim = await startRouterSim({ platform: 'linux-nft' });
  });
  afterAll(async () => {
    await sim.close();
    await stack.close();
  });

  async function addRouter(): Promise<string> {
    const res = await request(stack.app).post('/api/v1/routers').set(as(alice)).send({ name: 'r', host: sim.host, port: sim.port, username: sim.username, password: sim.password, platform: 'linux-nft' });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  test('when text carries a NUL, then 400 INVALID_TEXT wherever it is (login, router name, block reason, audit filter, registration)', async () => {
    const id = await addRouter();
    const answers = await Promise.all([
      request(stack.app).post('/api/v1/auth/login').send({ username: 'a\u0000b', password: 'x' }),
      request(stack.app).post('/api/v1/routers').set(as(alice)).send({ name: 'a\u0000b', host: sim.host, port: sim.port, username: 'root', password: 'x', platform: 'linux-nft' }),
      request(stack.app).patch(`/api/v1/routers/${id}`).set(as(alice)).send({ name: 'a\u0000b' }),
      request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ ip: '10.0.0.9', reason: 'x\u0000' }),
      request(stack.app).get('/api/v1/audit?actor=a%00b').set(as(admin)),
      request(stack.app).post('/api/v1/routers/register').send({ provisionKey: 'npk_aaaaaaaaaaaaaaaaaaaaaaaa', hostname: 'h\u0000' }),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_TEXT');
    }
  });

  test('when a router name holds a lone surrogate, then 400 and no router (nor half an audit trail) is left', async () => {
    const name = `bad-\ud800-${Date.now()}`;
    const res = await request(stack.app)
      .post('/api/v1/routers')
      .set(as(alice))
      .set('content-type', 'application/json')
      .send(`{"name":"${name.replace('\ud800', '\\ud800')}","host":"${sim.host}","port":${sim.port},"username":"root","password":"x","platform":"linux-nft"}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_TEXT');
    const rows = await stack.dataSource.query(`SELECT id FROM routers WHERE name LIKE 'bad-%'`);
    expect(rows).toHaveLength(0);
  });

  test('when audit details hold a lone surrogate anyway, then the entry is written with U+FFFD (a state change never loses its record)', async () => {
    await stack.services.audit.record({ action: 'test.surrogate', actor: { userId: null, ip: null }, details: { name: 'a\ud800b' } });
    const [row] = await stack.dataSource.query(`SELECT details->>'name' AS name FROM audit_log WHERE action = 'test.surrogate' ORDER BY id DESC LIMIT 1`);
    expect(row.name).toBe('a\ufffdb');
  });

  test.each(['/api/v1/routers/%FF', '/api/v1/routers/%E0%A4%A', '/api/v1/users/%FF', '/api/v1/auth/sessions/%FF'])(
    'when the path %s is not valid percent-encoding, then 400 INVALID_PATH, with or without a token',
    async (path) => {
      for (const req of [request(stack.app).get(path), request(stack.app).get(path).set(as(admin))]) {
        const res = await req;
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('INVALID_PATH');
        expect(res.headers['cache-control']).toBe('no-store');
      }
    },
  );

  test('when the executor is sent a path that is not valid percent-encoding, or a body over its limit, then 400 and 413', async () => {
    const bad = await request(stack.executorUrl).post('/api/actions/%FF').set('authorization', `Bearer ${TEST_EXECUTOR_TOKEN}`).send({});
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_PATH');
    const big = await request(stack.executorUrl)
      .post('/api/actions/ping')
      .set('authorization', `Bearer ${TEST_EXECUTOR_TOKEN}`)
      .send({ sessionId: 'x', padding: 'y'.repeat(100_000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test.each(['gzip', 'deflate', 'br'])('when a plain JSON body says it is %s, then 400, not 500', async (encoding) => {
    const res = await request(stack.app)
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .set('content-encoding', encoding)
      .send('{"username":"a","password":"b"}');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Content-Encoding/);
    // Raised by the body parser, before the API router: still never cached.
    expect(res.headers['cache-control']).toBe('no-store');
  });

  test('when an audit cursor names an id beyond what PostgreSQL can hold, then 400 INVALID_CURSOR (found by the fuzz test)', async () => {
    for (const before of ['9223372036854775808', '9999999999999999999']) {
      const cursor = Buffer.from(JSON.stringify({ before })).toString('base64url');
      const res = await request(stack.app).get(`/api/v1/audit?cursor=${cursor}`).set(as(admin));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_CURSOR');
    }
  });

  test('when a trusted proxy passes on an address that is not an IP, then failures are still counted and nothing stores it (found by the fuzz test)', async () => {
    const junk = 'a'.repeat(300);
    const login = await request(stack.app).post('/api/v1/auth/login').set('x-forwarded-for', junk).send({ username: alice.username, password: 'wrong password' });
    expect(login.status).toBe(401);
    const register = await request(stack.app).post('/api/v1/routers/register').set('x-forwarded-for', 'x'.repeat(5000)).send({ provisionKey: 'npk_aaaaaaaaaaaaaaaaaaaaaaaa' });
    expect(register.status).toBe(401);
    const password = await request(stack.app).post('/api/v1/auth/password').set(as(alice)).set('x-forwarded-for', junk).send({ currentPassword: 'wrong password', newPassword: 'another-long-password' });
    expect(password.status).toBe(403);
    const rows = await stack.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE length(actor_ip) > 64`);
    expect(rows[0].n).toBe(0);
  });

  test('when an audit filter date is outside what can be stored, then 400 naming the field', async () => {
    for (const q of ['from=-271821-04-20T00:00:00Z', 'to=+275760-09-13T00:00:00Z', 'from=0001-01-01T00:00:00Z']) {
      const res = await request(stack.app).get(`/api/v1/audit?${q}`).set(as(admin));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  test('when a router is deleted while blocks on it are being made, then every answer is a success or a 404, never a 500', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await addRouter();
      sim.setLatency(20);
      const blocks = Array.from({ length: 6 }, (_, i) => request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ ip: `10.44.${round}.${i + 1}` }));
      const remove = new Promise((r) => setTimeout(r, 5)).then(() => request(stack.app).delete(`/api/v1/routers/${id}`).set(as(alice)));
      const answers = await Promise.all([...blocks, remove]);
      sim.setLatency(0);
      for (const res of answers) expect([200, 201, 202, 204, 404]).toContain(res.status);
    }
  });

  test('when a private key is malformed, then the error names the field but never repeats the value', async () => {
    const secret = 'not-a-key-but-secret-0123456789';
    const res = await request(stack.app)
      .post('/api/v1/routers')
      .set(as(alice))
      .send({ name: 'r', host: sim.host, port: sim.port, username: 'root', privateKey: secret, platform: 'linux-nft', jumpHost: { host: '10.0.0.1', port: 22, username: 'u', privateKey: `${secret}-jump` } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain(secret);
    expect(JSON.stringify(res.body)).toMatch(/privateKey/);
  });

  test('when a block names neither ip nor mac, then the message says what to give', async () => {
    const id = await addRouter();
    const res = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ reason: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Give ip, mac or deviceId: the device to block');
  });

  test('when an unblock succeeds, then the answer says removed, not removing', async () => {
    const id = await addRouter();
    const block = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ ip: '10.45.0.1' });
    const un = await request(stack.app).delete(`/api/v1/routers/${id}/blocks/${block.body.id}`).set(as(alice));
    expect(un.status).toBe(200);
    expect(un.body.status).toBe('removed');
  });

  test('when the address NetPilot reaches the router from is blocked, then 409 and the router keeps it unblocked', async () => {
    // This router sees NetPilot come from 192.0.2.10 (its SSH_CLIENT), as through a NAT.
    const natted = await startRouterSim({ platform: 'linux-nft', clientAddressSeen: '192.0.2.10' });
    try {
      const created = await request(stack.app)
        .post('/api/v1/routers')
        .set(as(alice))
        .send({ name: 'r', host: natted.host, port: natted.port, username: natted.username, password: natted.password, platform: 'linux-nft' });
      const id = created.body.id;
      const res = await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ ip: '192.0.2.10' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('BLOCK_WOULD_CUT_MANAGEMENT');
      expect(res.body.error.message).toMatch(/192\.0\.2\.10/);
      expect(natted.state.blocked.ipv4).not.toContain('192.0.2.10');
      expect((await request(stack.app).get(`/api/v1/routers/${id}/blocks`).set(as(alice))).body.items).toEqual([]);
      // Any other address blocks as usual.
      expect((await request(stack.app).post(`/api/v1/routers/${id}/blocks`).set(as(alice)).send({ ip: '192.0.2.11' })).status).toBe(201);
    } finally {
      await natted.close();
    }
  });

  test('when a client forges X-Forwarded-For behind one trusted proxy, then the address recorded is the one the proxy saw', async () => {
    const username = uniqueUsername('forge');
    await request(stack.app).post('/api/v1/auth/login').set('x-forwarded-for', '6.6.6.6, 10.77.0.1').send({ username, password: 'wrong-password' });
    const rows = await stack.dataSource.query(`SELECT actor_ip FROM audit_log WHERE action = 'auth.login' AND details->>'username' = $1`, [username]);
    expect(rows.map((r: { actor_ip: string }) => r.actor_ip)).toEqual(['10.77.0.1']);
  });
});

describe('TRUST_PROXY', () => {
  const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/x', EXECUTOR_TOKEN: 'x'.repeat(32), JWT_SECRET: 'y'.repeat(32), NETPILOT_SECRET_KEY: 'ab'.repeat(32) };
  test('when it is true (every hop), then the controller refuses to start, saying what to give instead', () => {
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'true' })).toThrow(/number of proxies/);
  });
  test('when it is a hop count or addresses, then that is what express trusts', () => {
    expect(loadConfig({ ...base, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(loadConfig(base).trustProxy).toBe(false);
  });
});
