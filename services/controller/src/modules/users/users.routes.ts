import { Router, type RequestHandler } from 'express';
import { requireRole } from '../../http/auth';
import { validate } from '../../http/validate';
import { actorOf } from '../audit/audit.service';
import { createUserBody, listUsersQuery, updateUserBody, userIdParams } from './users.schemas';
import type { UsersService } from './users.service';

/** Admin user management under /users. */
export function usersRoutes(deps: { users: UsersService; requireAuth: RequestHandler }): Router {
  const router = Router();
  router.use(deps.requireAuth, requireRole('admin'));

  router.get('/', validate({ query: listUsersQuery }), async (req, res) => {
    const q = req.query as unknown as { limit: number; offset: number };
    res.json(await deps.users.list(q));
  });

  router.post('/', validate({ body: createUserBody }), async (req, res) => {
    res.status(201).json({ user: await deps.users.create(req.body, actorOf(req)) });
  });

  router.get('/:id', validate({ params: userIdParams }), async (req, res) => {
    res.json({ user: await deps.users.get(String(req.params.id)) });
  });

  router.patch('/:id', validate({ params: userIdParams, body: updateUserBody }), async (req, res) => {
    res.json({ user: await deps.users.update(String(req.params.id), req.body, actorOf(req)) });
  });

  router.delete('/:id', validate({ params: userIdParams }), async (req, res) => {
    await deps.users.delete(String(req.params.id), actorOf(req));
    res.status(204).end();
  });

  return router;
}
