import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '../../errors';

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

  constructor(
    secret: string,
    readonly ttlSeconds: number,
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
   * token claiming `alg: none` or another algorithm is refused whatever it carries.
   */
  verify(token: string): AccessClaims {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) {
        throw AppError.unauthorized('Access token has expired; refresh it', 'TOKEN_EXPIRED');
      }
      throw AppError.unauthorized('Access token is invalid', 'INVALID_TOKEN');
    }
    if (typeof payload === 'string' || typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.jti !== 'string') {
      throw AppError.unauthorized('Access token is invalid', 'INVALID_TOKEN');
    }
    return { sub: payload.sub, sid: payload.sid, jti: payload.jti };
  }
}
