import Joi from 'joi';
import { Router, type RequestHandler } from 'express';
import { requireRole } from '../../http/auth';
import { validate } from '../../http/validate';
import { actorOf } from '../audit/audit.service';
import type { SessionsService } from './sessions.service';

const listQuery = Joi.object({ userId: Joi.string().guid() });
const idParams = Joi.object({ id: Joi.string().guid().required() });

/** Admin view of every active session under /sessions. */
export function sessionsRoutes(deps: { sessions: SessionsService; requireAuth: RequestHandler }): Router {
  const router = Router();
  router.use(deps.requireAuth, requireRole('admin'));

  router.get('/', validate({ query: listQuery }), async (req, res) => {
    const q = req.query as { userId?: string };
    res.json({ items: await deps.sessions.listAll({ userId: q.userId }) });
  });

  router.delete('/:id', validate({ params: idParams }), async (req, res) => {
    await deps.sessions.terminate(String(req.params.id), { reason: 'terminated_by_admin', actor: actorOf(req) });
    res.status(204).end();
  });

  return router;
}
