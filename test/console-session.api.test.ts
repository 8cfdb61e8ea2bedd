import request from 'supertest';
import { REFRESH_COOKIE } from '../services/controller/src/modules/auth/refresh-cookie';
import { bearer, buildUser, loginAs } from './support/builders';
import { startStack, type TestStack } from './support/stack';

const api = '/api/v1';
const CONSOLE = { 'x-netpilot-client': 'console' };

/** The refresh cookie of a response: its value and attributes. */
function refreshCookie(res: request.Response): { value: string; attributes: string[] } | null {
  const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${REFRESH_COOKIE}=`));
  if (!raw) return null;
  const [pair, ...attributes] = raw.split(';').map((p) => p.trim());
  return { value: decodeURIComponent(pair.slice(REFRESH_COOKIE.length + 1)), attributes };
}

const cookieHeader = (value: string) => ({ cookie: `${REFRESH_COOKIE}=${encodeURIComponent(value)}` });

describe('browser sessions: the refresh token in an HttpOnly cookie', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  async function consoleLogin() {
    const u = await buildUser(stack);
    const res = await request(stack.app).post(`${api}/auth/login`).set(CONSOLE).send({ username: u.username, password: u.password });
    expect(res.status).toBe(200);
    return { u, res, cookie: refreshCookie(res)! };
  }

  test('when the console logs in, then the refresh token comes as an HttpOnly SameSite=Strict cookie on the auth path and not in the body', async () => {
    const { res, cookie } = await consoleLogin();
    expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900, user: expect.any(Object) });
    expect(cookie.value.length).toBeGreaterThanOrEqual(40);
    expect(cookie.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/api/v1/auth', expect.stringMatching(/^Max-Age=\d+$/)]));
    // Plain HTTP here: Secure would make the browser drop the cookie.
    expect(cookie.attributes).not.toContain('Secure');
  });

  test('when the request came over TLS (behind a trusted proxy), then the cookie is Secure', async () => {
    const tls = await startStack({ env: { TRUST_PROXY: '1' } });
    try {
      const u = await buildUser(tls);
      const res = await request(tls.app)
        .post(`${api}/auth/login`)
        .set({ ...CONSOLE, 'x-forwarded-proto': 'https' })
        .send({ username: u.username, password: u.password });
      expect(refreshCookie(res)!.attributes).toContain('Secure');
    } finally {
      await tls.close();
    }
  });

  test('when the console refreshes with its cookie and no body, then it gets a new access token and a rotated cookie; the old cookie is spent', async () => {
    const { cookie } = await consoleLogin();
    const res = await request(stack.app).post(`${api}/auth/refresh`).set({ ...CONSOLE, ...cookieHeader(cookie.value) });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('refreshToken');
    const next = refreshCookie(res)!;
    expect(next.value).not.toBe(cookie.value);
    expect((await request(stack.app).get(`${api}/auth/me`).set(bearer(res.body.accessToken))).status).toBe(200);
    // Presenting the spent one again is theft: the session ends, and the cookie is cleared.
    const reuse = await request(stack.app).post(`${api}/auth/refresh`).set({ ...CONSOLE, ...cookieHeader(cookie.value) });
    expect(reuse.status).toBe(401);
    expect(refreshCookie(reuse)!.value).toBe('');
    expect((await request(stack.app).post(`${api}/auth/refresh`).set({ ...CONSOLE, ...cookieHeader(next.value) })).status).toBe(401);
  });

  test('when a request carries the cookie but not the console header (a cross-site form), then the cookie is not used', async () => {
    const { cookie } = await consoleLogin();
    const res = await request(stack.app).post(`${api}/auth/refresh`).set(cookieHeader(cookie.value)).type('form').send('');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '"refreshToken" is required' });
    // The cookie still works for the console itself: nothing was spent.
    expect((await request(stack.app).post(`${api}/auth/refresh`).set({ ...CONSOLE, ...cookieHeader(cookie.value) })).status).toBe(200);
  });

  test('when the console refreshes without a cookie, then 401 says to sign in again', async () => {
    const res = await request(stack.app).post(`${api}/auth/refresh`).set(CONSOLE);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'INVALID_REFRESH_TOKEN', message: expect.stringContaining('sign in again') });
  });

  test('when the console logs out, then the cookie is cleared and no longer refreshes', async () => {
    const { res, cookie } = await consoleLogin();
    const out = await request(stack.app).post(`${api}/auth/logout`).set(bearer(res.body.accessToken));
    expect(out.status).toBe(204);
    const cleared = refreshCookie(out)!;
    expect(cleared.value).toBe('');
    expect(cleared.attributes).toEqual(expect.arrayContaining(['Path=/api/v1/auth', expect.stringMatching(/^Expires=Thu, 01 Jan 1970/)]));
    expect((await request(stack.app).post(`${api}/auth/refresh`).set({ ...CONSOLE, ...cookieHeader(cookie.value) })).status).toBe(401);
  });

  test('when a non-browser client logs in and refreshes as before, then the JSON API is unchanged and sets no cookie', async () => {
    const u = await buildUser(stack);
    const login = await request(stack.app).post(`${api}/auth/login`).send({ username: u.username, password: u.password });
    expect(login.body.refreshToken).toEqual(expect.any(String));
    expect(refreshCookie(login)).toBeNull();
    const tokens = await loginAs(stack, u);
    const refreshed = await request(stack.app).post(`${api}/auth/refresh`).send({ refreshToken: tokens.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).toEqual(expect.any(String));
    expect(refreshCookie(refreshed)).toBeNull();
  });
});
