import type { ApiRegistry } from '../../http/api';
import { actorOf } from '../../http/actor';
import { routerIdParams } from '../../http/common.schemas';
import type { RouterEntity } from '../routers/router.entity';
import { routerNotFound } from '../routers/routers.routes';
import * as s from './events.schemas';
import type { EventQuery, EventsService } from './events.service';

const TAG = ['Events'];

/** Router events: a router posts its own; people read those and the controller's, filtered and paged. */
export function registerEventRoutes(api: ApiRegistry, deps: { events: EventsService }): void {
  const { events } = deps;

  api.route(
    {
      method: 'post',
      path: '/routers/:id/events',
      summary: 'The router reports an event about itself (router token only; rate-limited per router)',
      tags: TAG,
      auth: 'router',
      params: routerIdParams,
      body: s.postEventBody,
      responses: {
        201: { description: 'Recorded', schema: s.eventResponse },
        404: routerNotFound,
        429: { description: 'Too many events from this router in the last minute (EVENTS_RATE_LIMITED)', headers: { 'Retry-After': 'Seconds to wait' } },
      },
    },
    async (req, res) => {
      res.status(201).json(await events.post(req.params.id as string, res.locals.router as RouterEntity, req.body));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/routers/:id/events',
      summary: "A router's events, newest first: filter by level, type and time",
      tags: TAG,
      auth: 'user',
      params: routerIdParams,
      query: s.routerEventsQuery,
      responses: { 200: { description: 'A page of events', schema: s.eventListResponse }, 404: routerNotFound },
    },
    async (req, res) => {
      res.json(await events.listForRouter(actorOf(req), req.params.id as string, req.query as unknown as EventQuery));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/events',
      summary: 'Events of every router you may see (admins: all), newest first: filter by router, level, type and time',
      tags: TAG,
      auth: 'user',
      query: s.eventsQuery,
      responses: { 200: { description: 'A page of events', schema: s.eventListResponse }, 404: routerNotFound },
    },
    async (req, res) => {
      const { router, ...query } = req.query as unknown as EventQuery & { router?: string };
      res.json(await events.listVisible(actorOf(req), { ...query, routerId: router }));
    },
  );
}
