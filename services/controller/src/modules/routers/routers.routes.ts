import type { ApiRegistry } from '../../http/api';
import { actorOf } from '../../http/actor';
import { pageQuery, type PageRequest } from '../../http/common.schemas';
import * as s from './routers.schemas';
import type { RoutersService } from './routers.service';

const TAG = ['Routers'];
export const routerNotFound = { description: 'No such router, or not yours' };

/** /routers CRUD and assignments: thin handlers; the rules live in RoutersService. */
export function registerRouterRoutes(api: ApiRegistry, deps: { routers: RoutersService }): void {
  const { routers } = deps;

  api.route(
    {
      method: 'post',
      path: '/routers',
      summary: 'Add a router; the creator owns it. Credentials are write-only.',
      tags: TAG,
      auth: 'user',
      body: s.createRouterBody,
      responses: { 201: { description: 'Created', schema: s.routerResponse } },
    },
    async (req, res) => {
      res.status(201).json(await routers.create(actorOf(req), req.body));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/routers',
      summary: 'Routers you own or are assigned (an admin sees all), oldest first',
      tags: TAG,
      auth: 'user',
      query: pageQuery,
      responses: { 200: { description: 'A page of routers', schema: s.routerListResponse } },
    },
    async (req, res) => {
      res.type('json').send(await routers.listJson(actorOf(req), req.query as unknown as PageRequest));
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id', summary: 'One router', tags: TAG, auth: 'user', params: s.routerIdParams, responses: { 200: { description: 'The router', schema: s.routerResponse }, 404: routerNotFound } },
    async (req, res) => {
      res.json(await routers.get(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/routers/:id',
      summary: 'Change a router (owner or admin). Moving it forgets its pinned host key; ownerId (admins) gives it a new owner.',
      tags: TAG,
      auth: 'user',
      params: s.routerIdParams,
      body: s.updateRouterBody,
      responses: {
        200: { description: 'The router', schema: s.routerResponse },
        403: { description: 'Assigned users cannot change it; only admins change its owner' },
        404: { description: 'ROUTER_NOT_FOUND, or USER_NOT_FOUND for an unknown ownerId' },
      },
    },
    async (req, res) => {
      res.json(await routers.update(actorOf(req), req.params.id as string, req.body));
    },
  );

  api.route(
    { method: 'delete', path: '/routers/:id', summary: 'Remove a router (owner or admin)', tags: TAG, auth: 'user', params: s.routerIdParams, responses: { 204: { description: 'Removed' }, 403: { description: 'Assigned users cannot remove it' }, 404: routerNotFound } },
    async (req, res) => {
      await routers.remove(actorOf(req), req.params.id as string);
      res.status(204).end();
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id/assignments', summary: 'Users assigned to a router, oldest first (owner or admin; paged)', tags: TAG, auth: 'user', params: s.routerIdParams, query: pageQuery, responses: { 200: { description: 'A page of assignments', schema: s.assignmentListResponse }, 404: routerNotFound } },
    async (req, res) => {
      res.json(await routers.listAssignments(actorOf(req), req.params.id as string, req.query as unknown as PageRequest));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/routers/:id/assignments',
      summary: 'Let another user use this router (owner or admin)',
      tags: TAG,
      auth: 'user',
      params: s.routerIdParams,
      body: s.assignmentBody,
      responses: { 201: { description: 'Assigned' }, 200: { description: 'Already assigned' }, 404: routerNotFound },
    },
    async (req, res) => {
      const { created } = await routers.assign(actorOf(req), req.params.id as string, req.body.userId);
      res.status(created ? 201 : 200).json({ routerId: req.params.id, userId: req.body.userId });
    },
  );

  api.route(
    { method: 'delete', path: '/routers/:id/assignments/:userId', summary: 'Remove an assignment (owner or admin)', tags: TAG, auth: 'user', params: s.assignmentParams, responses: { 204: { description: 'Removed' }, 404: routerNotFound } },
    async (req, res) => {
      await routers.unassign(actorOf(req), req.params.id as string, req.params.userId as string);
      res.status(204).end();
    },
  );
}
