import type { ApiRegistry } from '../../http/api';
import { actorOf } from '../audit/audit.service';
import { userEnvelopeResponse, userListResponse } from './users.responses';
import { pageQuery, type PageRequest } from '../../http/common.schemas';
import { createUserBody, updateUserBody, userIdParams } from './users.schemas';
import type { UsersService } from './users.service';

const TAGS = ['Admin: users'];
const missing = { description: 'No such user' };

/** Admin user management under /users. */
export function registerUsersRoutes(api: ApiRegistry, deps: { users: UsersService }): void {
  api.route(
    { method: 'get', path: '/users', summary: 'All users, oldest first (paged)', tags: TAGS, auth: 'admin', query: pageQuery, responses: { 200: { description: 'A page of users', schema: userListResponse } } },
    async (req, res) => {
      res.json(await deps.users.list(req.query as unknown as PageRequest));
    },
  );

  api.route(
    { method: 'post', path: '/users', summary: 'Create a user', tags: TAGS, auth: 'admin', body: createUserBody, responses: { 201: { description: 'Created', schema: userEnvelopeResponse }, 409: { description: 'Username taken' } } },
    async (req, res) => {
      res.status(201).json({ user: await deps.users.create(req.body, actorOf(req)) });
    },
  );

  api.route(
    { method: 'get', path: '/users/:id', summary: 'One user', tags: TAGS, auth: 'admin', params: userIdParams, responses: { 200: { description: 'The user', schema: userEnvelopeResponse }, 404: missing } },
    async (req, res) => {
      res.json({ user: await deps.users.get(String(req.params.id)) });
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/users/:id',
      summary: 'Change role, disable (ends their sessions), reset password or 2FA',
      tags: TAGS,
      auth: 'admin',
      params: userIdParams,
      body: updateUserBody,
      responses: { 200: { description: 'The user', schema: userEnvelopeResponse }, 404: missing, 409: { description: 'Would leave no active admin' } },
    },
    async (req, res) => {
      res.json({ user: await deps.users.update(String(req.params.id), req.body, actorOf(req)) });
    },
  );

  api.route(
    { method: 'delete', path: '/users/:id', summary: 'Delete a user', tags: TAGS, auth: 'admin', params: userIdParams, responses: { 204: { description: 'Deleted' }, 404: missing, 409: { description: 'Would leave no active admin (LAST_ADMIN), or the user owns routers others are assigned to (USER_OWNS_SHARED_ROUTERS)' } } },
    async (req, res) => {
      await deps.users.delete(String(req.params.id), actorOf(req));
      res.status(204).end();
    },
  );
}
