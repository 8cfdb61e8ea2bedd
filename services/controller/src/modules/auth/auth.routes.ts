import { Router, type Request, type RequestHandler } from 'express';
import { authOf } from '../../http/auth';
import { validate } from '../../http/validate';
import { actorOf } from '../audit/audit.service';
import type { SessionsService } from '../sessions/sessions.service';
import type { UsersService } from '../users/users.service';
import type { AuthService, ClientInfo } from './auth.service';
import { codeBody, disableBody, loginBody, passwordBody, refreshBody, registerBody, sessionIdParams } from './auth.schemas';
import type { TwoFactorService } from './two-factor.service';

export interface AuthRoutesDeps {
  auth: AuthService;
  users: UsersService;
  twoFactor: TwoFactorService;
  sessions: SessionsService;
  requireAuth: RequestHandler;
}

function clientOf(req: Request): ClientInfo {
  return { ...actorOf(req), userAgent: req.get('user-agent') ?? null };
}

/** /auth/*: thin handlers; the rules live in the services. */
export function authRoutes(deps: AuthRoutesDeps): Router {
  const router = Router();
  const { requireAuth } = deps;

  // Tokens and recovery codes in answers must never be stored by a browser or a proxy.
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.post('/register', validate({ body: registerBody }), async (req, res) => {
    const user = await deps.users.register(req.body, actorOf(req));
    res.status(201).json({ user });
  });

  router.post('/login', validate({ body: loginBody }), async (req, res) => {
    res.json(await deps.auth.login(req.body, clientOf(req)));
  });

  router.post('/refresh', validate({ body: refreshBody }), async (req, res) => {
    res.json(await deps.auth.refresh(req.body.refreshToken, clientOf(req)));
  });

  router.post('/logout', requireAuth, async (req, res) => {
    await deps.auth.logout(authOf(req).session.id, actorOf(req));
    res.status(204).end();
  });

  router.get('/me', requireAuth, async (req, res) => {
    res.json({ user: await deps.auth.me(authOf(req).user.id) });
  });

  router.post('/password', requireAuth, validate({ body: passwordBody }), async (req, res) => {
    const auth = authOf(req);
    await deps.auth.changePassword({ userId: auth.user.id, sessionId: auth.session.id }, req.body, clientOf(req));
    res.status(204).end();
  });

  router.post('/2fa/setup', requireAuth, async (req, res) => {
    res.json(await deps.twoFactor.setup(authOf(req).user.id, actorOf(req)));
  });

  router.post('/2fa/enable', requireAuth, validate({ body: codeBody }), async (req, res) => {
    res.json(await deps.twoFactor.enable(authOf(req).user.id, req.body.code, actorOf(req)));
  });

  router.post('/2fa/disable', requireAuth, validate({ body: disableBody }), async (req, res) => {
    await deps.twoFactor.disable(authOf(req).user.id, req.body.password, req.body.code, actorOf(req));
    res.status(204).end();
  });

  router.get('/sessions', requireAuth, async (req, res) => {
    const auth = authOf(req);
    res.json({ items: await deps.sessions.listForUser(auth.user.id, auth.session.id) });
  });

  router.delete('/sessions/:id', requireAuth, validate({ params: sessionIdParams }), async (req, res) => {
    const auth = authOf(req);
    await deps.sessions.terminate(String(req.params.id), {
      reason: 'terminated_by_user',
      actor: actorOf(req),
      ownerId: auth.user.id,
    });
    res.status(204).end();
  });

  return router;
}
