import type { ApiRegistry } from '../../http/api';
import { actorOf } from '../../http/actor';
import { routerIdParams } from '../../http/common.schemas';
import { ACTIONS_TAG, routerTrouble } from '../commands/commands.routes';
import { routerNotFound } from '../routers/routers.routes';
import * as s from './blocks.schemas';
import type { BlocksService } from './blocks.service';

/** Blocks: the desired state, and block / unblock. */
export function registerBlockRoutes(api: ApiRegistry, deps: { blocks: BlocksService }): void {
  const { blocks } = deps;

  api.route(
    {
      method: 'post',
      path: '/routers/:id/blocks',
      summary: "Block a device's traffic by IP or MAC. Stored as desired state; pending when the router is unreachable.",
      tags: ACTIONS_TAG,
      auth: 'user',
      params: routerIdParams,
      body: s.blockBody,
      responses: {
        201: { description: 'Blocked (new)', schema: s.blockResponse },
        200: { description: 'Already blocked; enforced again', schema: s.blockResponse },
        202: { description: 'Stored as pending: the router is unreachable now; the reconciler applies it when it is back', schema: s.blockResponse },
        409: { description: 'BLOCK_WOULD_CUT_MANAGEMENT: the address is the one NetPilot reaches the router from' },
        404: routerNotFound,
        ...routerTrouble,
      },
    },
    async (req, res) => {
      const { block, created, pending } = await blocks.block(actorOf(req), req.params.id as string, req.body);
      res.status(pending ? 202 : created ? 201 : 200).json(block);
    },
  );

  api.route(
    { method: 'get', path: '/routers/:id/blocks', summary: 'The desired blocks and their state', tags: ACTIONS_TAG, auth: 'user', params: routerIdParams, responses: { 200: { description: 'Blocks', schema: s.blockListResponse }, 404: routerNotFound } },
    async (req, res) => {
      res.json(await blocks.list(actorOf(req), req.params.id as string));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/routers/:id/blocks/:blockId',
      summary: 'Unblock. When the router is unreachable the block waits in state removing for sync.',
      tags: ACTIONS_TAG,
      auth: 'user',
      params: s.blockParams,
      responses: {
        200: { description: 'Unblocked and removed; or, when the same address was blocked again meanwhile, that newer block', schema: s.blockResponse },
        202: { description: 'Marked removing; the router is unreachable now', schema: s.blockResponse },
        404: { description: 'No such router or block' },
        ...routerTrouble,
      },
    },
    async (req, res) => {
      const { block, removed, superseded } = await blocks.unblock(actorOf(req), req.params.id as string, req.params.blockId as string);
      res.status(removed || superseded ? 200 : 202).json(block);
    },
  );

}
