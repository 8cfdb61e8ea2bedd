import type { Request, Response } from 'express';
import { AppError } from '@netpilot/service-kit';
import type { ApiRegistry } from '../../http/api';
import { pageQuery, type PageRequest } from '../../http/common.schemas';
import { authOf } from '../../http/auth';
import { actorOf } from '../audit/audit.service';
import type { SessionsService } from '../sessions/sessions.service';
import { userEnvelopeResponse } from '../users/users.responses';
import type { UsersService } from '../users/users.service';
import type { AuthService, ClientInfo, TokenPair } from './auth.service';
import {
  codeBody,
  disableBody,
  loginBody,
  passwordBody,
  recoveryCodesResponse,
  refreshBody,
  registerBody,
  sessionIdParams,
  sessionListResponse,
  tokenPairResponse,
  twoFactorSetupResponse,
} from './auth.schemas';
import { clearRefreshCookie, CONSOLE_CLIENT_HEADER, isConsoleClient, readRefreshCookie, REFRESH_COOKIE, setRefreshCookie } from './refresh-cookie';
import type { TwoFactorService } from './two-factor.service';

export interface AuthRoutesDeps {
  auth: AuthService;
  users: UsersService;
  twoFactor: TwoFactorService;
  sessions: SessionsService;
  /** Lifetime of the console's refresh cookie (the session's absolute lifetime). */
  refreshCookieMaxAgeSeconds: number;
}

function clientOf(req: Request): ClientInfo {
  return { ...actorOf(req), userAgent: req.get('user-agent') ?? null };
}

const TAGS = ['Auth'];
const consoleHeader = {
  name: CONSOLE_CLIENT_HEADER,
  description: `"console": the refresh token travels as the HttpOnly cookie ${REFRESH_COOKIE} (Path=/api/v1/auth, SameSite=Strict) and is left out of the body`,
  enum: ['console'],
};
const cookieHeaders = { 'Set-Cookie': `${REFRESH_COOKIE} (only with ${CONSOLE_CLIENT_HEADER}: console)` };

/** A token pair as the caller gets it: the console's refresh token goes into its cookie instead of the body. */
function sendPair(req: Request, res: Response, pair: TokenPair, maxAgeSeconds: number): void {
  if (!isConsoleClient(req)) {
    res.json(pair);
    return;
  }
  const { refreshToken, ...rest } = pair;
  setRefreshCookie(req, res, refreshToken, maxAgeSeconds);
  res.json(rest);
}
const tooMany = { description: 'Too many failures; see Retry-After', headers: { 'Retry-After': 'Seconds to wait' } };

/** /auth/*: thin handlers; the rules live in the services. */
export function registerAuthRoutes(api: ApiRegistry, deps: AuthRoutesDeps): void {
  api.route(
    {
      method: 'post',
      path: '/auth/register',
      summary: 'Create an account: the first user ever becomes admin; later ones only with ALLOW_REGISTRATION=true',
      tags: TAGS,
      auth: 'public',
      body: registerBody,
      responses: { 201: { description: 'Registered', schema: userEnvelopeResponse }, 403: { description: 'Registration closed' }, 409: { description: 'Username taken' } },
    },
    async (req, res) => {
      const user = await deps.users.register(req.body, actorOf(req));
      res.status(201).json({ user });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/auth/login',
      summary: 'Password (+ TOTP or a recovery code when 2FA is on) for an access and a refresh token',
      tags: TAGS,
      auth: 'public',
      body: loginBody,
      headers: [consoleHeader],
      responses: { 200: { description: 'Logged in', schema: tokenPairResponse, headers: cookieHeaders }, 401: { description: 'Bad credentials, MFA_REQUIRED or MFA_INVALID' }, 403: { description: 'ACCOUNT_DISABLED' }, 429: tooMany },
    },
    async (req, res) => {
      sendPair(req, res, await deps.auth.login(req.body, clientOf(req)), deps.refreshCookieMaxAgeSeconds);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/auth/refresh',
      summary:
        'A new token pair; the old refresh token is spent, and reusing a spent one ends the session. ' +
        `The console sends no body and ${CONSOLE_CLIENT_HEADER}: console; its refresh cookie is used (and only then).`,
      tags: TAGS,
      auth: 'public',
      body: refreshBody,
      bodyOptional: true,
      headers: [consoleHeader],
      responses: {
        200: { description: 'New tokens', schema: tokenPairResponse, headers: cookieHeaders },
        401: { description: 'Invalid, expired or reused refresh token (or no refresh cookie)' },
      },
    },
    async (req, res) => {
      const client = clientOf(req);
      if (!isConsoleClient(req)) {
        const token = (req.body as { refreshToken?: string }).refreshToken;
        if (!token) {
          const message = '"refreshToken" is required';
          throw AppError.badRequest(message, [{ in: 'body', path: 'refreshToken', message }]);
        }
        res.json(await deps.auth.refresh(token, client));
        return;
      }
      const cookie = readRefreshCookie(req);
      try {
        if (!cookie) throw AppError.unauthorized('Not signed in here (no refresh cookie); sign in again', 'INVALID_REFRESH_TOKEN');
        sendPair(req, res, await deps.auth.refresh(cookie, client), deps.refreshCookieMaxAgeSeconds);
      } catch (err) {
        // A cookie that no longer works is forgotten, so the browser stops sending it.
        if (err instanceof AppError && err.status === 401) clearRefreshCookie(req, res);
        throw err;
      }
    },
  );

  api.route(
    {
      method: 'post',
      path: '/auth/logout',
      summary: "End this session (and its executor session); the console's refresh cookie is cleared",
      tags: TAGS,
      auth: 'user',
      responses: { 204: { description: 'Logged out', headers: { 'Set-Cookie': `${REFRESH_COOKIE} cleared` } } },
    },
    async (req, res) => {
      await deps.auth.logout(authOf(req).session.id, actorOf(req));
      clearRefreshCookie(req, res);
      res.status(204).end();
    },
  );

  api.route(
    { method: 'get', path: '/auth/me', summary: 'The signed-in user', tags: TAGS, auth: 'user', responses: { 200: { description: 'You', schema: userEnvelopeResponse } } },
    async (req, res) => {
      res.json({ user: await deps.auth.me(authOf(req).user.id) });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/auth/password',
      summary: 'Change your password; your other sessions end',
      tags: TAGS,
      auth: 'user',
      body: passwordBody,
      responses: { 204: { description: 'Changed' }, 403: { description: 'INVALID_PASSWORD: the current password is wrong' }, 429: tooMany },
    },
    async (req, res) => {
      const auth = authOf(req);
      await deps.auth.changePassword({ userId: auth.user.id, sessionId: auth.session.id }, req.body, clientOf(req));
      res.status(204).end();
    },
  );

  api.route(
    {
      method: 'post',
      path: '/auth/2fa/setup',
      summary: 'Start TOTP setup: the secret, an otpauth:// URL and a QR code (shown once)',
      tags: TAGS,
      auth: 'user',
      responses: { 200: { description: 'Scan this', schema: twoFactorSetupResponse }, 409: { description: 'Already enabled' } },
    },
    async (req, res) => {
      res.json(await deps.twoFactor.setup(authOf(req).user.id, actorOf(req)));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/auth/2fa/enable',
      summary: 'Confirm with a code; answers ten one-time recovery codes (shown once)',
      tags: TAGS,
      auth: 'user',
      body: codeBody,
      responses: { 200: { description: 'Enabled', schema: recoveryCodesResponse }, 401: { description: 'MFA_INVALID' }, 409: { description: 'Not set up, or already on' }, 429: tooMany },
    },
    async (req, res) => {
      res.json(await deps.twoFactor.enable(authOf(req).user.id, req.body.code, actorOf(req), authOf(req).session.id));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/auth/2fa/disable',
      summary: 'Turn TOTP off with your password and a code',
      tags: TAGS,
      auth: 'user',
      body: disableBody,
      responses: { 204: { description: 'Disabled' }, 401: { description: 'MFA_INVALID: wrong code' }, 403: { description: 'INVALID_PASSWORD' }, 409: { description: 'Not enabled' }, 429: tooMany },
    },
    async (req, res) => {
      await deps.twoFactor.disable(authOf(req).user.id, req.body.password, req.body.code, actorOf(req));
      res.status(204).end();
    },
  );

  api.route(
    { method: 'get', path: '/auth/sessions', summary: 'Your active sessions, newest first (paged)', tags: TAGS, auth: 'user', query: pageQuery, responses: { 200: { description: 'A page of sessions', schema: sessionListResponse } } },
    async (req, res) => {
      const auth = authOf(req);
      res.json(await deps.sessions.list({ userId: auth.user.id }, req.query as unknown as PageRequest, auth.session.id));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/auth/sessions/:id',
      summary: 'End one of your sessions',
      tags: TAGS,
      auth: 'user',
      params: sessionIdParams,
      responses: { 204: { description: 'Ended' }, 404: { description: 'No such session of yours' } },
    },
    async (req, res) => {
      const auth = authOf(req);
      await deps.sessions.terminate(String(req.params.id), {
        reason: 'terminated_by_user',
        actor: actorOf(req),
        ownerId: auth.user.id,
      });
      res.status(204).end();
    },
  );
}
