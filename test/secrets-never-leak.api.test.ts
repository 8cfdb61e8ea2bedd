import request from 'supertest';
import { bearer, buildSession, capturingLogger } from './support/builders';
import { createFreshDatabase, type FreshDatabase } from './support/fresh-database';
import { startStack, type TestStack } from './support/stack';
import { base32Decode, totpAt, totpNow } from './support/totp';

const api = '/api/v1';

interface Captured {
  label: string;
  text: string;
}

/**
 * Acceptance 4: a whole account life (register, login, 2FA setup and enable, login with a
 * code and with a recovery code, refresh and reuse, password change) with every log line
 * captured at debug level and every response (status, headers, body) kept. Each secret may
 * appear only in the one response that hands it to its owner, and nowhere else.
 */
describe('secrets never leak', () => {
  let db: FreshDatabase;
  let stack: TestStack;
  let logLines: string[] = [];
  const responses: Captured[] = [];

  beforeAll(async () => {
    db = await createFreshDatabase();
    const { logger, lines } = capturingLogger('debug');
    logLines = lines;
    stack = await startStack({ env: { DATABASE_URL: db.url, LOG_LEVEL: 'debug' }, logger });
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  async function call(label: string, req: request.Test): Promise<request.Response> {
    const res = await req;
    responses.push({ label, text: `${res.status}\n${JSON.stringify(res.headers)}\n${res.text}` });
    return res;
  }

  test('when a full login and 2FA flow runs, then no response or log line carries a secret except the one that hands it out', async () => {
    const app = stack.app;
    const username = 'leak-check-user';
    const password = 'first correct horse battery';
    const newPassword = 'second correct horse battery';
    const wrongPassword = 'almost the first correct horse';

    await call('register', request(app).post(`${api}/auth/register`).send({ username, password }));
    const login1 = await call('login-1', request(app).post(`${api}/auth/login`).send({ username, password }));
    const [{ password_hash: hash1 }] = await stack.dataSource.query('SELECT password_hash FROM users WHERE username = $1', [username]);
    const token = login1.body.accessToken;

    const setup = await call('2fa-setup', request(app).post(`${api}/auth/2fa/setup`).set(bearer(token)));
    const secret: string = setup.body.secret;
    const [{ totp_secret_enc: sealedSecret }] = await stack.dataSource.query('SELECT totp_secret_enc FROM users WHERE username = $1', [username]);
    const enableCode = totpNow(secret);
    const enable = await call('2fa-enable', request(app).post(`${api}/auth/2fa/enable`).set(bearer(token)).send({ code: enableCode }));
    const recoveryCodes: string[] = enable.body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    await call('logout-1', request(app).post(`${api}/auth/logout`).set(bearer(token)));

    await call('login-no-code', request(app).post(`${api}/auth/login`).send({ username, password }));
    const wrongCode = totpAt(secret, Date.now() - 10 * 60_000);
    await call('login-wrong-code', request(app).post(`${api}/auth/login`).send({ username, password, totp: wrongCode }));
    await call('login-wrong-password', request(app).post(`${api}/auth/login`).send({ username, password: wrongPassword }));
    const loginCode = totpNow(secret, 1);
    const login2 = await call('login-2', request(app).post(`${api}/auth/login`).send({ username, password, totp: loginCode }));
    expect(login2.status).toBe(200);
    await call('login-replay', request(app).post(`${api}/auth/login`).send({ username, password, totp: loginCode }));
    const login3 = await call('login-3', request(app).post(`${api}/auth/login`).send({ username, password, totp: recoveryCodes[0] }));
    expect(login3.status).toBe(200);
    await call('login-recovery-replay', request(app).post(`${api}/auth/login`).send({ username, password, totp: recoveryCodes[0] }));

    const refreshed = await call('refresh', request(app).post(`${api}/auth/refresh`).send({ refreshToken: login3.body.refreshToken }));
    expect(refreshed.status).toBe(200);
    await call('refresh-reuse', request(app).post(`${api}/auth/refresh`).send({ refreshToken: login3.body.refreshToken }));

    const change = await call(
      'password-change',
      request(app).post(`${api}/auth/password`).set(bearer(login2.body.accessToken)).send({ currentPassword: password, newPassword }),
    );
    expect(change.status).toBe(204);
    await call('password-change-wrong', request(app).post(`${api}/auth/password`).set(bearer(login2.body.accessToken)).send({ currentPassword: wrongPassword, newPassword: password }));
    const login4 = await call('login-4', request(app).post(`${api}/auth/login`).send({ username, password: newPassword, totp: recoveryCodes[1] }));
    expect(login4.status).toBe(200);
    const [{ password_hash: hash2 }] = await stack.dataSource.query('SELECT password_hash FROM users WHERE username = $1', [username]);
    const t4 = login4.body.accessToken;
    await call('me', request(app).get(`${api}/auth/me`).set(bearer(t4)));
    await call('sessions', request(app).get(`${api}/auth/sessions`).set(bearer(t4)));
    await call('users', request(app).get(`${api}/users`).set(bearer(t4)));
    await call('admin-sessions', request(app).get(`${api}/sessions`).set(bearer(t4)));
    await call('audit', request(app).get(`${api}/audit?limit=200`).set(bearer(t4)));
    await call(
      '2fa-disable',
      request(app).post(`${api}/auth/2fa/disable`).set(bearer(t4)).send({ password: newPassword, code: recoveryCodes[2] }),
    );

    const raw = base32Decode(secret);
    /** Each secret, and the only responses allowed to carry it. */
    const secrets: { what: string; value: string; allowedIn: string[]; digitsOnly?: boolean }[] = [
      { what: 'password', value: password, allowedIn: [] },
      { what: 'new password', value: newPassword, allowedIn: [] },
      { what: 'mistyped password', value: wrongPassword, allowedIn: [] },
      { what: 'password hash', value: hash1, allowedIn: [] },
      { what: 'new password hash', value: hash2, allowedIn: [] },
      { what: 'TOTP secret (base32)', value: secret, allowedIn: ['2fa-setup'] },
      { what: 'TOTP secret (hex)', value: raw.toString('hex'), allowedIn: [] },
      { what: 'TOTP secret (base64)', value: raw.toString('base64'), allowedIn: [] },
      { what: 'TOTP secret (base64url)', value: raw.toString('base64url'), allowedIn: [] },
      { what: 'sealed TOTP secret', value: sealedSecret, allowedIn: [] },
      { what: 'enabling TOTP code', value: enableCode, allowedIn: [], digitsOnly: true },
      { what: 'login TOTP code', value: loginCode, allowedIn: [], digitsOnly: true },
      { what: 'wrong TOTP code', value: wrongCode, allowedIn: [], digitsOnly: true },
      { what: 'refresh token 1', value: login1.body.refreshToken, allowedIn: ['login-1'] },
      { what: 'refresh token 2', value: login2.body.refreshToken, allowedIn: ['login-2'] },
      { what: 'refresh token 3', value: login3.body.refreshToken, allowedIn: ['login-3'] },
      { what: 'refresh token 4', value: refreshed.body.refreshToken, allowedIn: ['refresh'] },
      { what: 'refresh token 5', value: login4.body.refreshToken, allowedIn: ['login-4'] },
      { what: 'JWT signing key', value: stack.config.jwtSecret, allowedIn: [] },
      { what: 'secret-box key', value: stack.config.secretKey.toString('hex'), allowedIn: [] },
      ...recoveryCodes.flatMap((code, i) => [
        { what: `recovery code ${i}`, value: code, allowedIn: ['2fa-enable'] },
        { what: `recovery code ${i} (no dash)`, value: code.replace('-', ''), allowedIn: [] },
      ]),
    ];

    expect(logLines.length).toBeGreaterThan(20);
    // The capture is real: debug lines from the request logger and the executor are in it.
    expect(logLines.join('')).toMatch(/POST \/api\/v1\/auth\/login 200/);

    expect(leaksOf(secrets)).toEqual([]);
  });

  test('when a router registers, reports its network and events, and has its token rotated, then its tokens show only where they are handed out', async () => {
    const app = stack.app;
    const owner = await buildSession(stack);
    const user = bearer(owner.tokens.accessToken);
    const routerPassword = 'ssh password of the router 42';
    const router = await call('router-create', request(app).post(`${api}/routers`).set(user).send({ name: 'r', host: '127.0.0.1', username: 'root', password: routerPassword, platform: 'openwrt' }));
    const id = router.body.id;
    const key = await call('provision-key', request(app).post(`${api}/routers/${id}/provision-key`).set(user));
    const reg = await call('router-register', request(app).post(`${api}/routers/register`).send({ provisionKey: key.body.provisionKey, wanAddress: '127.0.0.1' }));
    const first = reg.body.routerToken;
    await call('heartbeat-1', request(app).post(`${api}/routers/${id}/heartbeat`).set(bearer(first)).send({ bootId: 'boot-11111111' }));
    await call('event', request(app).post(`${api}/routers/${id}/events`).set(bearer(first)).send({ level: 'info', type: 'x.y', message: 'hello' }));
    await call('network', request(app).patch(`${api}/routers/${id}/network`).set(bearer(first)).send({ lanAddress: '192.168.1.1' }));
    const rotated = await call('token-rotate', request(app).post(`${api}/routers/${id}/token/rotate`).set(user));
    const second = rotated.body.routerToken;
    await call('heartbeat-2', request(app).post(`${api}/routers/${id}/heartbeat`).set(bearer(second)).send({ bootId: 'boot-11111111' }));
    await call('router-get', request(app).get(`${api}/routers/${id}`).set(user));
    await call('events', request(app).get(`${api}/routers/${id}/events`).set(user));
    await call('router-audit', request(app).get(`${api}/audit?router=${id}`).set(user));
    const [hashes] = await stack.dataSource.query('SELECT router_token_hash, previous_router_token_hash FROM routers WHERE id = $1', [id]);
    expect(second).toMatch(/^nrt_/);

    expect(
      leaksOf([
        { what: 'router SSH password', value: routerPassword, allowedIn: [] },
        { what: 'provision key', value: key.body.provisionKey, allowedIn: ['provision-key'] },
        { what: 'first router token', value: first, allowedIn: ['router-register'] },
        { what: 'rotated router token', value: second, allowedIn: ['token-rotate'] },
        { what: 'router token hash', value: hashes.router_token_hash, allowedIn: [] },
        { what: 'previous router token hash', value: hashes.previous_router_token_hash, allowedIn: [] },
      ]),
    ).toEqual([]);
  });

  /** Each secret found anywhere but in the responses allowed to carry it: every response and log line so far. */
  function leaksOf(secrets: { what: string; value: string; allowedIn: string[]; digitsOnly?: boolean }[]): string[] {
    const leaks: string[] = [];
    for (const s of secrets) {
      expect(s.value.length).toBeGreaterThanOrEqual(6);
      // A 6-digit code must stand alone to count: it could occur inside an id or a timestamp by chance.
      const found = (text: string) => (s.digitsOnly ? new RegExp(`(?<![0-9])${s.value}(?![0-9])`).test(text) : text.includes(s.value));
      for (const r of responses) {
        const allowed = s.allowedIn.includes(r.label);
        if (allowed && !found(r.text)) leaks.push(`${s.what} missing from ${r.label}, where it belongs`);
        if (!allowed && found(r.text)) leaks.push(`${s.what} in response ${r.label}`);
      }
      logLines.forEach((line, i) => {
        if (found(line)) leaks.push(`${s.what} in log line ${i}: ${line.slice(0, 200)}`);
      });
    }
    return leaks;
  }
});
