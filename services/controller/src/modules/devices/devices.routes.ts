import type { ApiRegistry } from '../../http/api';
import { actorOf } from '../../http/actor';
import { routerIdParams } from '../../http/common.schemas';
import { ACTIONS_TAG, routerTrouble } from '../commands/commands.routes';
import { routerNotFound } from '../routers/routers.routes';
import * as s from './devices.schemas';
import type { DevicesService } from './devices.service';

/** Scans and the device inventory. */
export function registerDeviceRoutes(api: ApiRegistry, deps: { devices: DevicesService }): void {
  const { devices } = deps;

  api.route(
    { method: 'post', path: '/routers/:id/scan', summary: 'Devices seen now (neighbours + DHCP leases), merged into the inventory', tags: ACTIONS_TAG, auth: 'user', params: routerIdParams, responses: { 200: { description: 'Devices seen', schema: s.scanResponse }, 404: routerNotFound, ...routerTrouble } },
    async (req, res) => {
      res.json(await devices.scan(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id/devices', summary: 'The device inventory, with first and last seen', tags: ACTIONS_TAG, auth: 'user', params: routerIdParams, responses: { 200: { description: 'Devices', schema: s.deviceListResponse }, 404: routerNotFound } },
    async (req, res) => {
      res.json(await devices.list(actorOf(req), req.params.id as string));
    },
  );
}
