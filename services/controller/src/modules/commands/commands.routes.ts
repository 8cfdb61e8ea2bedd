import type { ApiRegistry } from '../../http/api';
import { actorOf } from '../../http/actor';
import { pageQuery, routerIdParams, type PageRequest } from '../../http/common.schemas';
import { routerNotFound } from '../routers/routers.routes';
import * as s from './commands.schemas';
import type { CommandsService } from './commands.service';

export const ACTIONS_TAG = ['Router actions'];

/** Answers of an action that reached (or tried to reach) the router. */
export const routerTrouble = {
  403: { description: "The router's address now resolves to one routers may not have (ROUTER_HOST_NOT_ALLOWED)" },
  502: { description: 'The router refused (auth, host key mismatch, command failed), or the executor disagreed with the controller' },
  503: { description: 'Router or executor unreachable' },
  504: { description: 'The router did not answer in time' },
};

/** The command history and `info`, a read straight from the router. */
export function registerCommandRoutes(api: ApiRegistry, deps: { commands: CommandsService }): void {
  const { commands } = deps;

  api.route(
    { method: 'get', path: '/routers/:id/info', summary: 'Uptime, load, memory, OS/firmware, hostname', tags: ACTIONS_TAG, auth: 'user', params: routerIdParams, responses: { 200: { description: 'Router health', schema: s.infoResponse }, 404: routerNotFound, ...routerTrouble } },
    async (req, res) => {
      res.json(await commands.info(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/routers/:id/commands',
      summary: 'Command history, newest first',
      tags: ACTIONS_TAG,
      auth: 'user',
      params: routerIdParams,
      query: pageQuery,
      responses: { 200: { description: 'A page of commands', schema: s.commandListResponse }, 404: routerNotFound },
    },
    async (req, res) => {
      res.json(await commands.history(actorOf(req), req.params.id as string, req.query as unknown as PageRequest));
    },
  );
}
