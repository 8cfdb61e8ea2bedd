import { statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { bearer, buildSession } from './support/builders';
import { createFreshDatabase, type FreshDatabase } from './support/fresh-database';
import { startStack, type TestStack } from './support/stack';

const api = '/api/v1';

describe('the console served by the controller', () => {
  let dir: string;
  let stack: TestStack;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'netpilot-console-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>NetPilot</title><script type="module" src="/assets/app-1234.js"></script>');
    await writeFile(path.join(dir, 'assets', 'app-1234.js'), 'console.log("hi")');
    stack = await startStack({ env: { CONSOLE_DIR: dir } });
  });
  afterAll(async () => {
    await stack.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('when a browser opens /, then it gets the page with a strict Content-Security-Policy', async () => {
    const res = await request(stack.app).get('/').set('accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>NetPilot</title>');
    const csp = res.headers['content-security-policy'];
    for (const directive of ["default-src 'self'", "script-src 'self'", "connect-src 'self'", "img-src 'self' data:", "object-src 'none'", "frame-ancestors 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  test('when a client-side route is loaded directly, then the same page answers; hashed assets are cached for good', async () => {
    const page = await request(stack.app).get('/routers/5b1c3c1e-0000-4000-8000-000000000000').set('accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>NetPilot</title>');
    const asset = await request(stack.app).get('/assets/app-1234.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await request(stack.app).get('/assets/gone-9999.js')).status).toBe(404);
  });

  test('when an API, health or metrics path is asked for, then the console never answers in its place', async () => {
    const unknownApi = await request(stack.app).get('/api/v1/no-such-thing').set('accept', 'text/html');
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.body.error.code).toBe('NOT_FOUND');
    expect((await request(stack.app).get('/healthz').set('accept', 'text/html')).body).toMatchObject({ status: 'ok' });
    expect((await request(stack.app).get('/metrics').set('accept', 'text/html')).text).toContain('# HELP');
    expect((await request(stack.app).get('/api/docs/').set('accept', 'text/html')).text).toContain('swagger');
    expect((await request(stack.app).get('/api/v1/openapi.json').set('accept', 'text/html')).body.openapi).toBe('3.0.3');
    expect((await request(stack.app).get('/healthz/x').set('accept', 'text/html')).status).toBe(404);
  });

  test('when the console is not built, then / says how to build it', async () => {
    const bare = await startStack({ env: { CONSOLE_DIR: path.join(dir, 'missing') } });
    try {
      const res = await request(bare.app).get('/').set('accept', 'text/html');
      expect(res.status).toBe(503);
      expect(res.text).toContain('npm run build -w @netpilot/web-console');
    } finally {
      await bare.close();
    }
  });
});

describe('console config and the demo router', () => {
  let db: FreshDatabase;
  let sim: RouterSim;
  let stack: TestStack;
  let keysDir: string;
  beforeAll(async () => {
    db = await createFreshDatabase();
    keysDir = await mkdtemp(path.join(os.tmpdir(), 'netpilot-demo-keys-'));
    sim = await startRouterSim({ platform: 'openwrt', password: 'demo-password-1', devices: [{ mac: 'aa:bb:cc:00:20:01', ip: '192.168.70.5', hostname: 'nas' }] });
    const demo =
      `ssh://root:demo-password-1@127.0.0.1:${sim.port}?platform=openwrt&hostKeySha256=${encodeURIComponent(sim.hostKeySha256)}` +
      `&provisionKeyDir=${encodeURIComponent(keysDir)}`;
    stack = await startStack({
      env: {
        DATABASE_URL: db.url,
        NETPILOT_DEMO_ROUTER: demo,
        // Only private LANs are allowed; the demo router's exact address is allowed by name.
        ROUTER_ALLOWED_CIDRS: '192.168.0.0/16',
        ROUTER_ALLOWED_ENDPOINTS: `127.0.0.1:${sim.port}`,
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    await sim.close();
    await db.drop();
    await rm(keysDir, { recursive: true, force: true });
  });

  test('when nobody has registered yet, then the config asks for the first account; after that it does not', async () => {
    expect((await request(stack.app).get(`${api}/console/config`)).body).toEqual({ setupRequired: true, registrationOpen: false, demoRouter: true });
    await request(stack.app).post(`${api}/auth/register`).send({ username: 'first-admin', password: 'a long enough password' }).expect(201);
    expect((await request(stack.app).get(`${api}/console/config`)).body).toMatchObject({ setupRequired: false });
  });

  test('when a user adds the demo router, then it is theirs with its host key pinned, and its devices can be scanned', async () => {
    const me = await buildSession(stack);
    const res = await request(stack.app).post(`${api}/demo-router`).set(bearer(me.tokens.accessToken));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Demo router', host: '127.0.0.1', port: sim.port, platform: 'openwrt', hostKeySha256: sim.hostKeySha256, ownerId: me.user.id });
    expect(JSON.stringify(res.body)).not.toContain('demo-password-1');
    const scan = await request(stack.app).post(`${api}/routers/${res.body.id}/scan`).set(bearer(me.tokens.accessToken));
    expect(scan.status).toBe(200);
    expect(scan.body.devices.map((d: { hostname: string }) => d.hostname)).toContain('nas');

    // Its one-time provision key was handed to the demo router's side (mode 0600), which registers with it.
    const file = path.join(keysDir, `${res.body.id}.json`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const handed = JSON.parse(await readFile(file, 'utf8'));
    expect(handed).toEqual({ routerId: res.body.id, provisionKey: expect.stringMatching(/^npk_/) });
    const registered = await request(stack.app).post(`${api}/routers/register`).send({ provisionKey: handed.provisionKey, hostname: 'demo' });
    expect(registered.status).toBe(201);
    expect(registered.body.routerId).toBe(res.body.id);
    const status = await request(stack.app).get(`${api}/routers/${res.body.id}/status`).set(bearer(me.tokens.accessToken));
    expect(status.body.status).toBe('online');
  });

  test('when another loopback address is added by hand, then the address rules still refuse it', async () => {
    const me = await buildSession(stack);
    const res = await request(stack.app)
      .post(`${api}/routers`)
      .set(bearer(me.tokens.accessToken))
      .send({ name: 'sneaky', host: '127.0.0.1', port: sim.port + 1, username: 'root', password: 'x', platform: 'openwrt' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('ROUTER_HOST_NOT_ALLOWED');
  });

  test('when no demo router runs, then the config says so and adding it answers 404', async () => {
    const plain = await startStack({ env: { DATABASE_URL: db.url } });
    try {
      const me = await buildSession(plain);
      expect((await request(plain.app).get(`${api}/console/config`)).body.demoRouter).toBe(false);
      const res = await request(plain.app).post(`${api}/demo-router`).set(bearer(me.tokens.accessToken));
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('DEMO_ROUTER_OFF');
    } finally {
      await plain.close();
    }
  });
});
