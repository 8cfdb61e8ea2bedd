import type { ApiRegistry } from '../../http/api';
import { actorOf } from '../../http/actor';
import { routerIdParams } from '../../http/common.schemas';
import { ACTIONS_TAG, routerTrouble } from '../commands/commands.routes';
import { routerNotFound } from '../routers/routers.routes';
import * as s from './devices.schemas';
import type { DevicesService } from './devices.service';

/** Scans, the device inventory, and device names. */
export function registerDeviceRoutes(api: ApiRegistry, deps: { devices: DevicesService }): void {
  const { devices } = deps;

  api.route(
    { method: 'post', path: '/routers/:id/scan', summary: 'Devices seen now (neighbours + DHCP leases), merged into the inventory; a MAC seen for the first time is a device.new event', tags: ACTIONS_TAG, auth: 'user', params: routerIdParams, responses: { 200: { description: 'Devices seen', schema: s.scanResponse }, 404: routerNotFound, ...routerTrouble } },
    async (req, res) => {
      res.json(await devices.scan(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id/devices', summary: 'The device inventory: names, what blocks each device now, first and last seen', tags: ACTIONS_TAG, auth: 'user', params: routerIdParams, responses: { 200: { description: 'Devices', schema: s.deviceListResponse }, 404: routerNotFound } },
    async (req, res) => {
      res.json(await devices.list(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/routers/:id/devices/:deviceId',
      summary: 'Name a device (null forgets the name); blocks and schedules for it show the name',
      tags: ACTIONS_TAG,
      auth: 'user',
      params: s.deviceParams,
      body: s.renameDeviceBody,
      responses: { 200: { description: 'The device', schema: s.deviceResponse }, 404: { description: 'No such router or device (DEVICE_NOT_FOUND)' } },
    },
    async (req, res) => {
      res.json(await devices.rename(actorOf(req), req.params.id as string, req.params.deviceId as string, req.body.name));
    },
  );
}
