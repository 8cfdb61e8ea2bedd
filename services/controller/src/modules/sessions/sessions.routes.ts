import Joi from 'joi';
import type { ApiRegistry } from '../../http/api';
import { pageQuery, type PageRequest } from '../../http/common.schemas';
import { actorOf } from '../audit/audit.service';
import { sessionListResponse } from '../auth/auth.schemas';
import type { SessionsService } from './sessions.service';

const listQuery = pageQuery.keys({ userId: Joi.string().guid() });
const idParams = Joi.object({ id: Joi.string().guid().required() });
const TAGS = ['Admin: sessions'];

/** Admin view of every active session under /sessions. */
export function registerSessionsRoutes(api: ApiRegistry, deps: { sessions: SessionsService }): void {
  api.route(
    { method: 'get', path: '/sessions', summary: 'All active sessions, newest first (paged)', tags: TAGS, auth: 'admin', query: listQuery, responses: { 200: { description: 'A page of sessions', schema: sessionListResponse } } },
    async (req, res) => {
      const q = req.query as unknown as PageRequest & { userId?: string };
      res.json(await deps.sessions.list({ userId: q.userId }, q));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/sessions/:id',
      summary: "End a session: its access token stops working within 10 s and its executor session ends",
      tags: TAGS,
      auth: 'admin',
      params: idParams,
      responses: { 204: { description: 'Ended' }, 404: { description: 'No such session' } },
    },
    async (req, res) => {
      await deps.sessions.terminate(String(req.params.id), { reason: 'terminated_by_admin', actor: actorOf(req) });
      res.status(204).end();
    },
  );
}
