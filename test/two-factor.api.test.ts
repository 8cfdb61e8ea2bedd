import request from 'supertest';
import { bearer, buildSession, loginAs, uniqueIp } from './support/builders';
import { startStack, type TestStack } from './support/stack';
import { base32Decode, totpAt, totpNow } from './support/totp';

const api = '/api/v1';

/** Any 6-digit code that is not valid now for `secret` (checked against our own RFC 6238). */
function wrongCode(secret: string): string {
  const valid = new Set([-1, 0, 1].map((o) => totpNow(secret, o)));
  for (let i = 0; ; i++) {
    const candidate = String((Number(totpNow(secret)) + 1 + i * 7919) % 1_000_000).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

describe('two-factor authentication (TOTP)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Each test speaks from its own address so that failure counters never meet.
    stack = await startStack({ env: { TRUST_PROXY: '1' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  /** A user with 2FA on, set up through the API with codes from our own RFC 6238 implementation. */
  async function userWithTwoFactor() {
    const s = await buildSession(stack);
    const setup = await request(stack.app).post(`${api}/auth/2fa/setup`).set(bearer(s.tokens.accessToken));
    expect(setup.status).toBe(200);
    const secret: string = setup.body.secret;
    const enable = await request(stack.app)
      .post(`${api}/auth/2fa/enable`)
      .set(bearer(s.tokens.accessToken))
      .send({ code: totpNow(secret) });
    expect(enable.status).toBe(200);
    return { ...s, secret, recoveryCodes: enable.body.recoveryCodes as string[], setup: setup.body };
  }

  test('when 2FA is set up, then the answer holds the secret, an otpauth URL and a QR code, and the secret is stored encrypted', async () => {
    const s = await buildSession(stack);
    const res = await request(stack.app).post(`${api}/auth/2fa/setup`).set(bearer(s.tokens.accessToken));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/), otpauthUrl: expect.any(String), qrCodeDataUrl: expect.any(String) });
    expect(base32Decode(res.body.secret)).toHaveLength(20);
    const url = new URL(res.body.otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(res.body.secret);
    expect(url.searchParams.get('issuer')).toBe('NetPilot');
    expect(decodeURIComponent(url.pathname)).toBe(`/NetPilot:${s.username}`);
    expect(res.body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/);

    const [row] = await stack.dataSource.query('SELECT totp_secret_enc, totp_enabled FROM users WHERE id = $1', [s.user.id]);
    expect(row.totp_enabled).toBe(false);
    expect(row.totp_secret_enc).toMatch(/^v1\./);
    expect(row.totp_secret_enc).not.toContain(res.body.secret);
    expect(stack.services.secretBox.openString(row.totp_secret_enc, `totp:${s.user.id}`)).toBe(res.body.secret);
  });

  test('when 2FA is enabled with a code from an independent RFC 6238 implementation, then ten one-time recovery codes come back', async () => {
    const u = await userWithTwoFactor();
    expect(u.recoveryCodes).toHaveLength(10);
    expect(new Set(u.recoveryCodes).size).toBe(10);
    const me = await request(stack.app).get(`${api}/auth/me`).set(bearer(u.tokens.accessToken));
    expect(me.body.user.totpEnabled).toBe(true);
    const stored = await stack.dataSource.query('SELECT code_hash FROM recovery_codes WHERE user_id = $1', [u.user.id]);
    expect(stored).toHaveLength(10);
    for (const { code_hash } of stored) for (const code of u.recoveryCodes) expect(code_hash).not.toContain(code.replace('-', ''));
  });

  test('when 2FA is on and no code is sent, then 401 MFA_REQUIRED; a wrong code, 401 MFA_INVALID', async () => {
    const u = await userWithTwoFactor();
    const ip = uniqueIp();
    const none = await request(stack.app).post(`${api}/auth/login`).set('x-forwarded-for', ip).send({ username: u.username, password: u.password });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('MFA_REQUIRED');
    expect(none.body).not.toHaveProperty('accessToken');

    const wrong = await request(stack.app)
      .post(`${api}/auth/login`)
      .set('x-forwarded-for', ip)
      .send({ username: u.username, password: u.password, totp: wrongCode(u.secret) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('MFA_INVALID');

    const badPassword = await request(stack.app)
      .post(`${api}/auth/login`)
      .set('x-forwarded-for', ip)
      .send({ username: u.username, password: 'not the password', totp: totpNow(u.secret, 1) });
    expect(badPassword.status).toBe(401);
    expect(badPassword.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  test('when a valid code logs in, then the same code is refused a second time (no replay in its window)', async () => {
    const u = await userWithTwoFactor();
    // The enabling code used the current step; the next step's code is valid (window +1) and newer.
    const code = totpNow(u.secret, 1);
    const first = await request(stack.app).post(`${api}/auth/login`).send({ username: u.username, password: u.password, totp: code });
    expect(first.status).toBe(200);
    expect(first.body.accessToken).toEqual(expect.any(String));

    const replay = await request(stack.app).post(`${api}/auth/login`).send({ username: u.username, password: u.password, totp: code });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('MFA_INVALID');

    // An older code that is still inside the window is refused too: its step is not newer.
    const older = await request(stack.app)
      .post(`${api}/auth/login`)
      .send({ username: u.username, password: u.password, totp: totpNow(u.secret, 0) });
    expect(older.status).toBe(401);
  });

  test('when two logins race with the same code, then exactly one gets in', async () => {
    const u = await userWithTwoFactor();
    const code = totpNow(u.secret, 1);
    const results = await Promise.all(
      [0, 1, 2].map(() => request(stack.app).post(`${api}/auth/login`).send({ username: u.username, password: u.password, totp: code })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
  });

  test('when a recovery code is used, then it logs in once and never again', async () => {
    const u = await userWithTwoFactor();
    const code = u.recoveryCodes[3];
    const first = await request(stack.app).post(`${api}/auth/login`).send({ username: u.username, password: u.password, totp: code.toUpperCase() });
    expect(first.status).toBe(200);
    const again = await request(stack.app).post(`${api}/auth/login`).send({ username: u.username, password: u.password, totp: code });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('MFA_INVALID');
    // Another user's code does not work for this user either.
    const other = await userWithTwoFactor();
    const foreign = await request(stack.app)
      .post(`${api}/auth/login`)
      .send({ username: u.username, password: u.password, totp: other.recoveryCodes[0] });
    expect(foreign.status).toBe(401);
    const audit = await stack.services.audit.list({ actor: u.user.id, action: 'auth.login' });
    expect(audit.items.find((e) => e.outcome === 'success')!.details).toMatchObject({ factor: 'recovery_code', recoveryCodesLeft: 9 });
  });

  test('when the enabling code is wrong, then 2FA stays off', async () => {
    const s = await buildSession(stack);
    const setup = await request(stack.app).post(`${api}/auth/2fa/setup`).set(bearer(s.tokens.accessToken));
    const res = await request(stack.app)
      .post(`${api}/auth/2fa/enable`)
      .set(bearer(s.tokens.accessToken))
      .send({ code: wrongCode(setup.body.secret) });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('MFA_INVALID');
    await loginAs(stack, s);
  });

  test('when 2FA is turned on, then every other session of the user ends (refresh tokens too), and the one asking stays', async () => {
    const s = await buildSession(stack);
    const laptop = await loginAs(stack, s);
    const phone = await loginAs(stack, s);
    const setup = await request(stack.app).post(`${api}/auth/2fa/setup`).set(bearer(s.tokens.accessToken));
    const enable = await request(stack.app).post(`${api}/auth/2fa/enable`).set(bearer(s.tokens.accessToken)).send({ code: totpNow(setup.body.secret) });
    expect(enable.status).toBe(200);

    for (const other of [laptop, phone]) {
      expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(other.accessToken))).status).toBe(401);
      expect((await request(stack.app).post(`${api}/auth/refresh`).send({ refreshToken: other.refreshToken })).status).toBe(401);
    }
    expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(s.tokens.accessToken))).status).toBe(200);
    const [entry] = await stack.dataSource.query(`SELECT details FROM audit_log WHERE action = 'auth.2fa_enable' AND target_id = $1 AND outcome = 'success'`, [s.user.id]);
    expect(entry.details).toEqual({ sessionsEnded: 2 });
  });

  test('when enable is called before setup, or setup while 2FA is on, then 409', async () => {
    const s = await buildSession(stack);
    const early = await request(stack.app).post(`${api}/auth/2fa/enable`).set(bearer(s.tokens.accessToken)).send({ code: '123456' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('MFA_NOT_SET_UP');
    const u = await userWithTwoFactor();
    const again = await request(stack.app).post(`${api}/auth/2fa/setup`).set(bearer(u.tokens.accessToken));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('MFA_ALREADY_ENABLED');
  });

  test('when 2FA is disabled, then it needs the password and a code, and afterwards login needs no code', async () => {
    const u = await userWithTwoFactor();
    const noPassword = await request(stack.app)
      .post(`${api}/auth/2fa/disable`)
      .set(bearer(u.tokens.accessToken))
      .send({ password: 'not the password', code: totpNow(u.secret, 1) });
    expect(noPassword.status).toBe(403);
    expect(noPassword.body.error.code).toBe('INVALID_PASSWORD');
    const badCode = await request(stack.app)
      .post(`${api}/auth/2fa/disable`)
      .set(bearer(u.tokens.accessToken))
      .send({ password: u.password, code: wrongCode(u.secret) });
    expect(badCode.status).toBe(401);
    expect(badCode.body.error.code).toBe('MFA_INVALID');
    const ok = await request(stack.app)
      .post(`${api}/auth/2fa/disable`)
      .set(bearer(u.tokens.accessToken))
      .send({ password: u.password, code: totpNow(u.secret, 1) });
    expect(ok.status).toBe(204);
    await loginAs(stack, u);
    const [row] = await stack.dataSource.query('SELECT totp_secret_enc, totp_enabled FROM users WHERE id = $1', [u.user.id]);
    expect(row).toEqual({ totp_secret_enc: null, totp_enabled: false });
    expect(await stack.dataSource.query('SELECT 1 FROM recovery_codes WHERE user_id = $1', [u.user.id])).toHaveLength(0);
  });

  test('when an independent implementation computes codes for steps around now, then each is accepted by the server (interop)', async () => {
    // Three users, one per accepted step (previous, current, next): what a slightly fast or slow phone shows.
    for (const offset of [-1, 0, 1]) {
      const s = await buildSession(stack);
      const setup = await request(stack.app).post(`${api}/auth/2fa/setup`).set(bearer(s.tokens.accessToken));
      const code = totpAt(setup.body.secret, Date.now() + offset * 30_000);
      const res = await request(stack.app).post(`${api}/auth/2fa/enable`).set(bearer(s.tokens.accessToken)).send({ code });
      expect(res.status).toBe(200);
    }
  });
});

describe('two-factor attempt limits', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ env: { MFA_MAX_FAILURES: '3', TRUST_PROXY: '1' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  test('when wrong codes are sent repeatedly, then 429 with Retry-After, even for a right code', async () => {
    const s = await buildSession(stack);
    const setup = await request(stack.app).post(`${api}/auth/2fa/setup`).set(bearer(s.tokens.accessToken));
    const secret: string = setup.body.secret;
    const valid = new Set([-1, 0, 1].map((o) => totpNow(secret, o)));
    const wrong = ['000000', '111111', '222222', '333333', '444444'].filter((c) => !valid.has(c));
    for (const code of wrong.slice(0, 3)) {
      const res = await request(stack.app).post(`${api}/auth/2fa/enable`).set(bearer(s.tokens.accessToken)).send({ code });
      expect(res.status).toBe(401);
    }
    const limited = await request(stack.app)
      .post(`${api}/auth/2fa/enable`)
      .set(bearer(s.tokens.accessToken))
      .send({ code: totpNow(secret) });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  test('when wrong codes race in parallel, then exactly the limit of them are checked and the rest get 429', async () => {
    const s = await buildSession(stack);
    const setup = await request(stack.app).post(`${api}/auth/2fa/setup`).set(bearer(s.tokens.accessToken));
    const valid = new Set([-1, 0, 1].map((o) => totpNow(setup.body.secret, o)));
    const wrong = Array.from({ length: 30 }, (_, i) => String(100000 + i * 7919)).filter((c) => !valid.has(c)).slice(0, 12);
    const answers = await Promise.all(
      wrong.map((code) => request(stack.app).post(`${api}/auth/2fa/enable`).set(bearer(s.tokens.accessToken)).send({ code })),
    );
    expect(answers.filter((r) => r.status === 401)).toHaveLength(3);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(wrong.length - 3);
  });
});
