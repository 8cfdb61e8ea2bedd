import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../services/controller/src/db/embedded-postgres';
import { startPostgresProcess, type PostgresProcess } from './support/postgres-process';
import { startControllerProcess, type ControllerProcess } from './support/controller-process';
import { strongPassword } from './support/builders';
import { TEST_EXECUTOR_TOKEN } from './support/stack';

interface Answer {
  at: number;
  status: number;
  code?: string;
  retryAfter?: string | null;
}

/**
 * PostgreSQL stopped for 5 s under load, then started again, under a real controller process
 * with its own PostgreSQL: the process never exits, requests during the outage answer 503
 * DATABASE_UNAVAILABLE (never 500), and afterwards everything answers again by itself.
 */
describe('the controller when its database restarts', () => {
  let dataDir: string;
  let pg: PostgresProcess;
  let controller: ControllerProcess | null = null;
  const pgOptions = { user: 'netpilot', password: randomBytes(12).toString('hex'), database: 'netpilot_outage', port: 0 };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'netpilot-outage-pg-'));
    pgOptions.port = await freePort();
    pg = await startPostgresProcess({ dataDir, ...pgOptions });
  });
  afterAll(async () => {
    await controller?.stop();
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('then it answers 503 with a code during the outage, never exits, and recovers by itself', async () => {
    controller = await startControllerProcess({
      DATABASE_URL: pg.url,
      // No executor runs: the routes under load never need one.
      EXECUTOR_URL: 'http://127.0.0.1:9',
      EXECUTOR_TOKEN: TEST_EXECUTOR_TOKEN,
      JWT_SECRET: randomBytes(32).toString('hex'),
      NETPILOT_SECRET_KEY: randomBytes(32).toString('hex'),
      SESSION_CACHE_TTL_MS: '0',
    });
    const url = controller.url;
    const password = strongPassword();
    const reg = await fetch(`${url}/api/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    expect(reg.status).toBe(201);
    const login = (await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })).json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${login.accessToken}` };

    const answers: Answer[] = [];
    let loading = true;
    const load = (async () => {
      while (loading) {
        await Promise.all(
          ['/api/v1/routers', '/api/v1/auth/me', '/api/v1/auth/sessions'].map(async (p) => {
            try {
              const res = await fetch(`${url}${p}`, { headers, signal: AbortSignal.timeout(10_000) });
              const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
              answers.push({ at: Date.now(), status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after') });
            } catch {
              answers.push({ at: Date.now(), status: 0 });
            }
          }),
        );
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    await new Promise((r) => setTimeout(r, 1500));
    const down = Date.now();
    await pg.stop();
    await new Promise((r) => setTimeout(r, 5000));
    pg = await startPostgresProcess({ dataDir, ...pgOptions });
    const up = Date.now();
    await new Promise((r) => setTimeout(r, 8000));
    loading = false;
    await load;

    expect(controller.child.exitCode).toBeNull();
    const during = answers.filter((a) => a.at > down + 500 && a.at < up);
    expect(during.length).toBeGreaterThan(10);
    const failures = answers.filter((a) => a.status !== 200);
    expect(failures.length).toBeGreaterThan(0);
    // Nothing but 503 DATABASE_UNAVAILABLE with Retry-After; never a 500, never a dropped connection.
    for (const f of failures) expect(f).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE', retryAfter: '5' });
    // Back by itself: the last seconds answer 200 again.
    const after = answers.filter((a) => a.at > up + 5000);
    expect(after.length).toBeGreaterThan(5);
    expect(after.every((a) => a.status === 200)).toBe(true);
    expect(controller.output()).not.toMatch(/Unhandled 'error' event|uncaught exception/i);
  }, 90_000);
});
