import { clientAddress } from '../../http/actor';
import type { RequestHandler } from 'express';
import type { ApiRegistry } from '../../http/api';
import { actorOf } from '../../http/actor';
import { routerIdParams } from '../../http/common.schemas';
import type { RouterEntity } from '../routers/router.entity';
import { routerNotFound } from '../routers/routers.routes';
import { OnboardingErrors } from './onboarding.errors';
import * as s from './onboarding.schemas';
import type { OnboardingService } from './onboarding.service';

/** `Authorization: Bearer <routerToken>`: the router itself (heartbeats, events, network reports). */
export function requireRouterToken(onboarding: Pick<OnboardingService, 'authenticateRouter'>): RequestHandler {
  return async (req, res, next) => {
    try {
      const match = /^Bearer (\S{10,300})$/.exec(req.get('authorization') ?? '');
      if (!match) throw OnboardingErrors.routerTokenMissing();
      res.locals.router = await onboarding.authenticateRouter(match[1]);
      next();
    } catch (err) {
      next(err);
    }
  };
}

const TAG = ['Routers'];

/** Provision keys, registration by provision key, heartbeats, the router's network reports, token rotation and status. */
export function registerOnboardingRoutes(api: ApiRegistry, deps: { onboarding: OnboardingService }): void {
  const { onboarding } = deps;

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
      res.status(201).json(await onboarding.register(req.body, clientAddress(req)));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/routers/:id/provision-key',
      summary: 'A one-time key for the router to register itself (stored hashed, expiring)',
      tags: TAG,
      auth: 'user',
      params: routerIdParams,
      responses: { 201: { description: 'The key, shown once', schema: s.provisionKeyResponse }, 404: routerNotFound },
    },
    async (req, res) => {
      res.status(201).json(await onboarding.issueProvisionKey(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/routers/:id/heartbeat',
      summary: 'The router says it is alive (router token only)',
      tags: TAG,
      auth: 'router',
      params: routerIdParams,
      body: s.heartbeatBody,
      responses: { 200: { description: 'Recorded; rebooted says whether this heartbeat showed a reboot', schema: s.heartbeatResponse }, 404: routerNotFound },
    },
    async (req, res) => {
      res.json(await onboarding.heartbeat(req.params.id as string, res.locals.router as RouterEntity, req.body));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/routers/:id/network',
      summary: 'The router reports its network after a DHCP change: WAN/LAN address, tunnel port (router token only; held to the destination rules)',
      tags: TAG,
      auth: 'router',
      params: routerIdParams,
      body: s.networkBody,
      responses: {
        200: { description: 'Recorded; what the controller uses now', schema: s.networkResponse },
        404: routerNotFound,
        409: { description: 'A tunnel port from a router not reached through a tunnel (ROUTER_NOT_TUNNELED)' },
      },
    },
    async (req, res) => {
      res.json(await onboarding.updateNetwork(req.params.id as string, res.locals.router as RouterEntity, req.body, req.ip ?? null));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/routers/:id/token/rotate',
      summary: 'A new router token (shown once); the previous one keeps working for ROUTER_TOKEN_GRACE_SECONDS (owner or admin)',
      tags: TAG,
      auth: 'user',
      params: routerIdParams,
      responses: {
        201: { description: 'The new token', schema: s.tokenRotateResponse },
        403: { description: 'Assigned users cannot rotate it' },
        404: routerNotFound,
        409: { description: 'The router never registered (ROUTER_NOT_REGISTERED)' },
      },
    },
    async (req, res) => {
      res.status(201).json(await onboarding.rotateToken(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id/status', summary: 'Online, offline or unknown, from heartbeats', tags: TAG, auth: 'user', params: routerIdParams, responses: { 200: { description: 'Status', schema: s.statusResponse }, 404: routerNotFound } },
    async (req, res) => {
      res.json(await onboarding.status(actorOf(req), req.params.id as string));
    },
  );
}
