import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AuthErrors } from './auth.errors';

const ISSUER = 'netpilot-controller';
const AUDIENCE = 'netpilot-api';

export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Session id: the token is only as good as this session row. */
  sid: string;
  jti: string;
}

/** Short-lived JWT access tokens, HS256 only. */
export class AccessTokens {
  /**
   * A KeyObject made once: given a string, jsonwebtoken first tries to parse it as a PEM
   * public key on every verify (and fails), which cost a fifth of the CPU of an
   * authenticated request.
   */
  private readonly secret: KeyObject;

  /**
   * Tokens that passed the full check, with their expiry (Unix seconds). A client sends the
   * same token with every request for its whole lifetime: checking the signature and parsing
   * it again each time was a sixth of an authenticated request's CPU. Only a token identical
   * to one that verified hits; its expiry is checked on every use. Insertion order is age,
   * so the oldest entry goes first when full. Session revocation is not decided here (see
   * requireAuth), so a cached token of an ended session is still refused.
   */
  private readonly verified = new Map<string, { claims: Readonly<AccessClaims>; exp: number }>();

  constructor(
    secret: string,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
    private readonly maxCached = 10_000,
  ) {
    this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  sign(userId: string, sessionId: string): string {
    return jwt.sign({ sid: sessionId }, this.secret, {
      algorithm: 'HS256',
      expiresIn: this.ttlSeconds,
      subject: userId,
      jwtid: randomUUID(),
      issuer: ISSUER,
      audience: AUDIENCE,
    });
  }

  /**
   * Verifies signature, expiry, issuer and audience with the algorithm pinned to HS256, so a
   * token claiming `alg: none` or another algorithm is refused whatever it carries. A token
   * without an expiry is refused too (we never sign one).
   */
  verify(token: string): Readonly<AccessClaims> {
    const nowSeconds = Math.floor(this.now() / 1000);
    const hit = this.verified.get(token);
    if (hit) {
      if (nowSeconds < hit.exp) return hit.claims;
      this.verified.delete(token);
      throw AuthErrors.tokenExpired();
    }
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, clockTimestamp: nowSeconds });
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) {
        throw AuthErrors.tokenExpired();
      }
      throw AuthErrors.invalidToken();
    }
    if (
      typeof payload === 'string' ||
      typeof payload.sub !== 'string' ||
      typeof payload.sid !== 'string' ||
      typeof payload.jti !== 'string' ||
      typeof payload.exp !== 'number'
    ) {
      throw AuthErrors.invalidToken();
    }
    // One object is handed to every request that presents this token: read-only.
    const claims = Object.freeze({ sub: payload.sub, sid: payload.sid, jti: payload.jti });
    if (this.verified.size >= this.maxCached) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { claims, exp: payload.exp });
    return claims;
  }
}
