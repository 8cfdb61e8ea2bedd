import type { Request, RequestHandler } from 'express';
import { AppError } from '../../errors';
import type { ApiRegistry } from '../../http/api';
import { authOf } from '../../http/auth';
import { requestContext } from '../../logger';
import type { RouterEntity } from './router.entity';
import type { RouterActionsService } from './router-actions.service';
import * as s from './routers.schemas';
import type { Actor, RoutersService } from './routers.service';

/** The actor of a request behind requireAuth; its session id is also its executor session. */
export function actorOf(req: Request): Actor {
  const auth = authOf(req);
  return {
    userId: auth.user.id,
    isAdmin: auth.user.role === 'admin',
    sessionId: auth.session.id,
    ip: req.ip ?? null,
    requestId: requestContext.getStore()?.requestId,
  };
}

/** `Authorization: Bearer <routerToken>`: the router itself (heartbeats). */
export function requireRouterToken(routers: RoutersService): RequestHandler {
  return async (req, res, next) => {
    try {
      const match = /^Bearer (\S{10,300})$/.exec(req.get('authorization') ?? '');
      if (!match) throw AppError.unauthorized('Send Authorization: Bearer <routerToken>', 'ROUTER_TOKEN_INVALID');
      res.locals.router = await routers.authenticateRouter(match[1]);
      next();
    } catch (err) {
      next(err);
    }
  };
}

const TAG = ['Routers'];
const ACTIONS = ['Router actions'];
const notFound = { description: 'No such router, or not yours' };

export function registerRouterRoutes(
  api: ApiRegistry,
  deps: { routers: RoutersService; actions: RouterActionsService; userExists: (id: string) => Promise<boolean> },
): void {
  const { routers, actions } = deps;

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
      query: s.pageQuery,
      responses: { 200: { description: 'A page of routers', schema: s.routerListResponse } },
    },
    async (req, res) => {
      res.type('json').send(await routers.listJson(actorOf(req), req.query as unknown as { limit: number; cursor?: string }));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/routers/register',
      summary: "A router's install script exchanges its one-time provision key for a router token",
      tags: TAG,
      auth: 'public',
      body: s.registerBody,
      responses: { 201: { description: 'Registered; the token is shown once', schema: s.registerResponse }, 401: { description: 'Invalid, expired or spent key' } },
    },
    async (req, res) => {
      res.status(201).json(await routers.register(req.body, req.ip ?? null));
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id', summary: 'One router', tags: TAG, auth: 'user', params: s.routerIdParams, responses: { 200: { description: 'The router', schema: s.routerResponse }, 404: notFound } },
    async (req, res) => {
      res.json(await routers.get(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/routers/:id',
      summary: 'Change a router (owner or admin). Moving it forgets its pinned host key.',
      tags: TAG,
      auth: 'user',
      params: s.routerIdParams,
      body: s.updateRouterBody,
      responses: { 200: { description: 'The router', schema: s.routerResponse }, 403: { description: 'Assigned users cannot change it' }, 404: notFound },
    },
    async (req, res) => {
      res.json(await routers.update(actorOf(req), req.params.id as string, req.body));
    },
  );

  api.route(
    { method: 'delete', path: '/routers/:id', summary: 'Remove a router (owner or admin)', tags: TAG, auth: 'user', params: s.routerIdParams, responses: { 204: { description: 'Removed' }, 403: { description: 'Assigned users cannot remove it' }, 404: notFound } },
    async (req, res) => {
      await routers.remove(actorOf(req), req.params.id as string);
      res.status(204).end();
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id/assignments', summary: 'Users assigned to a router (owner or admin)', tags: TAG, auth: 'user', params: s.routerIdParams, responses: { 200: { description: 'Assignments', schema: s.assignmentListResponse }, 404: notFound } },
    async (req, res) => {
      res.json(await routers.listAssignments(actorOf(req), req.params.id as string));
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
      responses: { 201: { description: 'Assigned' }, 200: { description: 'Already assigned' }, 404: notFound },
    },
    async (req, res) => {
      const { created } = await routers.assign(actorOf(req), req.params.id as string, req.body.userId, deps.userExists);
      res.status(created ? 201 : 200).json({ routerId: req.params.id, userId: req.body.userId });
    },
  );

  api.route(
    { method: 'delete', path: '/routers/:id/assignments/:userId', summary: 'Remove an assignment (owner or admin)', tags: TAG, auth: 'user', params: s.assignmentParams, responses: { 204: { description: 'Removed' }, 404: notFound } },
    async (req, res) => {
      await routers.unassign(actorOf(req), req.params.id as string, req.params.userId as string);
      res.status(204).end();
    },
  );

  api.route(
    {
      method: 'post',
      path: '/routers/:id/provision-key',
      summary: 'A one-time key for the router to register itself (stored hashed, expiring)',
      tags: TAG,
      auth: 'user',
      params: s.routerIdParams,
      responses: { 201: { description: 'The key, shown once', schema: s.provisionKeyResponse }, 404: notFound },
    },
    async (req, res) => {
      res.status(201).json(await routers.issueProvisionKey(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/routers/:id/heartbeat',
      summary: 'The router says it is alive (router token only)',
      tags: TAG,
      auth: 'router',
      params: s.routerIdParams,
      responses: { 200: { description: 'Recorded' }, 404: notFound },
    },
    async (req, res) => {
      res.json(await routers.heartbeat(req.params.id as string, res.locals.router as RouterEntity));
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id/status', summary: 'Online, offline or unknown, from heartbeats', tags: TAG, auth: 'user', params: s.routerIdParams, responses: { 200: { description: 'Status', schema: s.statusResponse }, 404: notFound } },
    async (req, res) => {
      res.json(await routers.status(actorOf(req), req.params.id as string));
    },
  );

  const routerTrouble = {
    502: { description: 'The router refused (auth, host key mismatch, command failed)' },
    503: { description: 'Router or executor unreachable' },
    504: { description: 'The router did not answer in time' },
  };

  api.route(
    {
      method: 'post',
      path: '/routers/:id/blocks',
      summary: "Block a device's traffic by IP or MAC. Stored as desired state; pending when the router is unreachable.",
      tags: ACTIONS,
      auth: 'user',
      params: s.routerIdParams,
      body: s.blockBody,
      responses: {
        201: { description: 'Blocked (new)', schema: s.blockResponse },
        200: { description: 'Already blocked; enforced again', schema: s.blockResponse },
        202: { description: 'Stored as pending: the router is unreachable now; sync applies it', schema: s.blockResponse },
        404: notFound,
        ...routerTrouble,
      },
    },
    async (req, res) => {
      const { block, created, pending } = await actions.block(actorOf(req), req.params.id as string, req.body);
      res.status(pending ? 202 : created ? 201 : 200).json(block);
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id/blocks', summary: 'The desired blocks and their state', tags: ACTIONS, auth: 'user', params: s.routerIdParams, responses: { 200: { description: 'Blocks', schema: s.blockListResponse }, 404: notFound } },
    async (req, res) => {
      res.json(await actions.listBlocks(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/routers/:id/blocks/:blockId',
      summary: 'Unblock. When the router is unreachable the block waits in state removing for sync.',
      tags: ACTIONS,
      auth: 'user',
      params: s.blockParams,
      responses: {
        200: { description: 'Unblocked and removed', schema: s.blockResponse },
        202: { description: 'Marked removing; the router is unreachable now', schema: s.blockResponse },
        404: { description: 'No such router or block' },
        ...routerTrouble,
      },
    },
    async (req, res) => {
      const { block, removed } = await actions.unblock(actorOf(req), req.params.id as string, req.params.blockId as string);
      res.status(removed ? 200 : 202).json(block);
    },
  );

  api.route(
    { method: 'post', path: '/routers/:id/scan', summary: 'Devices seen now (neighbours + DHCP leases), merged into the inventory', tags: ACTIONS, auth: 'user', params: s.routerIdParams, responses: { 200: { description: 'Devices seen', schema: s.scanResponse }, 404: notFound, ...routerTrouble } },
    async (req, res) => {
      res.json(await actions.scan(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id/devices', summary: 'The device inventory, with first and last seen', tags: ACTIONS, auth: 'user', params: s.routerIdParams, responses: { 200: { description: 'Devices', schema: s.deviceListResponse }, 404: notFound } },
    async (req, res) => {
      res.json(await actions.listDevices(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id/info', summary: 'Uptime, load, memory, OS/firmware, hostname', tags: ACTIONS, auth: 'user', params: s.routerIdParams, responses: { 200: { description: 'Router health', schema: s.infoResponse }, 404: notFound, ...routerTrouble } },
    async (req, res) => {
      res.json(await actions.info(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/routers/:id/sync',
      summary: "Make the router's block set equal the stored blocks (apply pending, remove extras)",
      tags: ACTIONS,
      auth: 'user',
      params: s.routerIdParams,
      responses: { 200: { description: 'In sync', schema: s.syncResponse }, 404: notFound, ...routerTrouble },
    },
    async (req, res) => {
      res.json(await actions.sync(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/routers/:id/commands',
      summary: 'Command history, newest first',
      tags: ACTIONS,
      auth: 'user',
      params: s.routerIdParams,
      query: s.pageQuery,
      responses: { 200: { description: 'A page of commands', schema: s.commandListResponse }, 404: notFound },
    },
    async (req, res) => {
      res.json(await actions.commands(actorOf(req), req.params.id as string, req.query as unknown as { limit: number; cursor?: string }));
    },
  );
}
