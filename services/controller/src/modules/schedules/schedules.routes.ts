import type { ApiRegistry } from '../../http/api';
import { actorOf } from '../../http/actor';
import { routerIdParams } from '../../http/common.schemas';
import { routerNotFound } from '../routers/routers.routes';
import * as s from './schedules.schemas';
import type { SchedulesService } from './schedules.service';

const TAG = ['Schedules'];
const notFound = { description: 'No such router or schedule (SCHEDULE_NOT_FOUND)' };

/** Schedules: a device blocked during weekly windows in the router's time zone. */
export function registerScheduleRoutes(api: ApiRegistry, deps: { schedules: SchedulesService }): void {
  const { schedules } = deps;

  api.route(
    {
      method: 'post',
      path: '/routers/:id/schedules',
      summary: "Block a device (deviceId, mac or ip) during weekly windows in the router's time zone; a window open now blocks at once",
      tags: TAG,
      auth: 'user',
      params: routerIdParams,
      body: s.createScheduleBody,
      responses: {
        201: { description: 'Created', schema: s.scheduleResponse },
        404: { description: 'No such router or device (DEVICE_NOT_FOUND)' },
        409: { description: 'The router has as many schedules as it may (SCHEDULE_LIMIT)' },
      },
    },
    async (req, res) => {
      res.status(201).json(await schedules.create(actorOf(req), req.params.id as string, req.body));
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id/schedules', summary: "The router's schedules, each with whether it blocks now and when that changes", tags: TAG, auth: 'user', params: routerIdParams, responses: { 200: { description: 'Schedules', schema: s.scheduleListResponse }, 404: routerNotFound } },
    async (req, res) => {
      res.json(await schedules.list(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id/schedules/:scheduleId', summary: 'One schedule', tags: TAG, auth: 'user', params: s.scheduleParams, responses: { 200: { description: 'The schedule', schema: s.scheduleResponse }, 404: notFound } },
    async (req, res) => {
      res.json(await schedules.get(actorOf(req), req.params.id as string, req.params.scheduleId as string));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/routers/:id/schedules/:scheduleId',
      summary: 'Change a schedule: target, windows, label; enabled false pauses it (the device is unblocked unless a manual block holds it)',
      tags: TAG,
      auth: 'user',
      params: s.scheduleParams,
      body: s.updateScheduleBody,
      responses: { 200: { description: 'The schedule', schema: s.scheduleResponse }, 404: notFound },
    },
    async (req, res) => {
      res.json(await schedules.update(actorOf(req), req.params.id as string, req.params.scheduleId as string, req.body));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/routers/:id/schedules/:scheduleId',
      summary: 'Delete a schedule; during an open window the device is unblocked, unless a manual block holds it',
      tags: TAG,
      auth: 'user',
      params: s.scheduleParams,
      responses: { 204: { description: 'Deleted' }, 404: notFound },
    },
    async (req, res) => {
      await schedules.remove(actorOf(req), req.params.id as string, req.params.scheduleId as string);
      res.status(204).end();
    },
  );
}
