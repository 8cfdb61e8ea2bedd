import type { Request, RequestHandler } from 'express';
import type { Role } from '../modules/users/user.entity';
import { AuthErrors } from '../modules/auth/auth.errors';

/** The authenticated caller, put on `req.auth` by `requireAuth`. */
export interface AuthContext {
  user: { id: string; username: string; role: Role };
  session: { id: string; expiresAt: Date };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      auth?: AuthContext;
    }
  }
}

/** What `requireAuth` needs: token verification and the session lookup (see createApp). */
export interface AuthVerifier {
  /** Verifies an access token (HS256 pinned); throws a 401 AppError. */
  verifyAccessToken(token: string): { sub: string; sid: string };
  /** The session and its user if the session is active, else null; may be cached for a few seconds. */
  activeSession(sessionId: string): Promise<{
    session: { id: string; userId: string; expiresAt: Date };
    user: { id: string; username: string; role: Role; disabled: boolean };
  } | null>;
}

const BEARER = /^Bearer (\S+)$/;

/**
 * Authenticates `Authorization: Bearer <accessToken>`: a valid HS256 JWT whose session is
 * still active and whose user is enabled. Sets `req.auth = {user, session}`; 401 otherwise.
 */
export function requireAuth(verifier: AuthVerifier): RequestHandler {
  return async (req, _res, next) => {
    try {
      const match = BEARER.exec(req.get('authorization') ?? '');
      if (!match) throw AuthErrors.bearerMissing();
      const claims = verifier.verifyAccessToken(match[1]);
      const active = await verifier.activeSession(claims.sid);
      if (!active || active.session.userId !== claims.sub) {
        throw AuthErrors.sessionEnded();
      }
      if (active.user.disabled) throw AuthErrors.accountDisabledToken();
      req.auth = {
        user: { id: active.user.id, username: active.user.username, role: active.user.role },
        session: { id: active.session.id, expiresAt: active.session.expiresAt },
      };
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** After `requireAuth`: 403 unless the caller has one of `roles`. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const auth = req.auth;
    if (!auth) {
      next(AuthErrors.authenticationRequired());
      return;
    }
    if (!roles.includes(auth.user.role)) {
      next(AuthErrors.roleRequired(roles));
      return;
    }
    next();
  };
}

/** `req.auth` in a handler behind `requireAuth`. */
export function authOf(req: Request): AuthContext {
  if (!req.auth) throw AuthErrors.authenticationRequired();
  return req.auth;
}
