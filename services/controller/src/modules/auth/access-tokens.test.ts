import jwt from 'jsonwebtoken';
import { AccessTokens } from './access-tokens';

const SECRET = 'k'.repeat(40);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('AccessTokens', () => {
  const tokens = new AccessTokens(SECRET, 900);

  test('when a token is signed, then it verifies and carries user, session and a unique id', () => {
    const t = tokens.sign('user-1', 'session-1');
    const claims = tokens.verify(t);
    expect(claims).toEqual({ sub: 'user-1', sid: 'session-1', jti: expect.any(String) });
    expect(tokens.verify(tokens.sign('user-1', 'session-1')).jti).not.toBe(claims.jti);
    const decoded = jwt.decode(t, { complete: true })!;
    expect(decoded.header.alg).toBe('HS256');
    expect((decoded.payload as jwt.JwtPayload).exp! - (decoded.payload as jwt.JwtPayload).iat!).toBe(900);
  });

  test('when the header says alg none, then it is refused', () => {
    const payload = jwt.decode(tokens.sign('user-1', 'session-1')) as object;
    const forged = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
    expect(() => tokens.verify(forged)).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN', status: 401 }));
  });

  test('when signed with HS512 and the right secret, then it is refused (algorithm pinned)', () => {
    const t = jwt.sign({ sid: 's' }, SECRET, {
      algorithm: 'HS512',
      subject: 'u',
      jwtid: 'j',
      issuer: 'netpilot-controller',
      audience: 'netpilot-api',
    });
    expect(() => tokens.verify(t)).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
  });

  test('when expired, then TOKEN_EXPIRED', () => {
    const t = jwt.sign({ sid: 's', exp: Math.floor(Date.now() / 1000) - 5 }, SECRET, {
      algorithm: 'HS256',
      subject: 'u',
      jwtid: 'j',
      issuer: 'netpilot-controller',
      audience: 'netpilot-api',
    });
    expect(() => tokens.verify(t)).toThrow(expect.objectContaining({ code: 'TOKEN_EXPIRED', status: 401 }));
  });

  test('when the session claim is missing, then it is refused', () => {
    const t = jwt.sign({}, SECRET, { algorithm: 'HS256', subject: 'u', jwtid: 'j', issuer: 'netpilot-controller', audience: 'netpilot-api' });
    expect(() => tokens.verify(t)).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
  });

  test('when a verified token is used again after its expiry, then TOKEN_EXPIRED (the remembered check keeps the expiry)', () => {
    let now = Date.now();
    const clocked = new AccessTokens(SECRET, 60, () => now);
    const t = clocked.sign('user-1', 'session-1');
    expect(clocked.verify(t).sid).toBe('session-1');
    now += 59_000;
    expect(clocked.verify(t).sid).toBe('session-1');
    now += 2_000;
    expect(() => clocked.verify(t)).toThrow(expect.objectContaining({ code: 'TOKEN_EXPIRED', status: 401 }));
    expect(() => clocked.verify(t)).toThrow(expect.objectContaining({ code: 'TOKEN_EXPIRED', status: 401 }));
  });

  test('when a token that verified is altered by one character, then the altered one is refused', () => {
    const t = tokens.sign('user-1', 'session-1');
    expect(tokens.verify(t).sub).toBe('user-1');
    const [h, p, sig] = t.split('.');
    const otherSig = `${sig.slice(0, -2)}${sig.at(-2) === 'A' ? 'B' : 'A'}${sig.at(-1)}`;
    const forgedPayload = b64({ ...(jwt.decode(t) as object), sub: 'admin-user' });
    for (const forged of [`${h}.${p}.${otherSig}`, `${h}.${forgedPayload}.${sig}`]) {
      expect(() => tokens.verify(forged)).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
    }
  });

  test('when a token is used again, then its signature is not checked again; when more verify than it remembers, the oldest is checked again', () => {
    const verify = jest.spyOn(jwt, 'verify');
    try {
      const small = new AccessTokens(SECRET, 900, Date.now, 2);
      const [t1, t2, t3] = [1, 2, 3].map((i) => small.sign(`user-${i}`, `session-${i}`));
      expect(small.verify(t1).sub).toBe('user-1');
      expect(small.verify(t1).sub).toBe('user-1');
      expect(small.verify(t2).sub).toBe('user-2');
      expect(verify).toHaveBeenCalledTimes(2);
      expect(small.verify(t3).sub).toBe('user-3'); // t1, the oldest, is forgotten
      expect(small.verify(t2).sub).toBe('user-2');
      expect(verify).toHaveBeenCalledTimes(3);
      expect(small.verify(t1).sub).toBe('user-1');
      expect(verify).toHaveBeenCalledTimes(4);
    } finally {
      verify.mockRestore();
    }
  });

  test('when the claims of a remembered token are handed out, then they cannot be changed for the next request', () => {
    const t = tokens.sign('user-1', 'session-1');
    const claims = tokens.verify(t) as { sub: string };
    expect(() => {
      claims.sub = 'someone-else';
    }).toThrow(TypeError);
    expect(tokens.verify(t).sub).toBe('user-1');
  });

  test('when a token without an expiry is signed with the key, then it is refused', () => {
    const t = jwt.sign({ sid: 's' }, SECRET, { algorithm: 'HS256', subject: 'u', jwtid: 'j', issuer: 'netpilot-controller', audience: 'netpilot-api' });
    expect(() => tokens.verify(t)).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
  });
});
