import type { ApiRegistry } from '../../http/api';
import { actorOf } from '../../http/actor';
import * as s from './operations.schemas';
import type { OperationsService } from './operations.service';

const TAG = ['Bulk operations'];

/** Bulk block and unblock across many routers, and following an operation. */
export function registerOperationRoutes(api: ApiRegistry, deps: { operations: OperationsService }): void {
  const { operations } = deps;

  const bulk = [
    { kind: 'block', path: '/bulk/blocks', body: s.bulkBlockBody, summary: 'Block one address on many routers (routerIds, or all: true). The desired state is stored for all at once; the routers are applied in the background.', also: '; BLOCK_UNTIL_INVALID' },
    { kind: 'unblock', path: '/bulk/unblocks', body: s.bulkUnblockBody, summary: 'Unblock one address on many routers (routerIds, or all: true)', also: '' },
  ] as const;
  for (const b of bulk) {
    api.route(
      {
        method: 'post',
        path: b.path,
        summary: b.summary,
        tags: TAG,
        auth: 'user',
        body: b.body,
        responses: {
          202: { description: 'Accepted: follow it with GET /operations/:id (routers you may not operate are listed as ROUTER_NOT_FOUND)', schema: s.operationResponse },
          400: { description: `Invalid body; NO_ROUTERS (all: true and you have none); TOO_MANY_ROUTERS${b.also}` },
        },
      },
      async (req, res) => {
        res.status(202).json(await operations.start(actorOf(req), b.kind, req.body));
      },
    );
  }

  api.route(
    {
      method: 'get',
      path: '/operations/:id',
      summary: "A bulk operation's progress: counts and one result per router, as observed now",
      tags: TAG,
      auth: 'user',
      params: s.operationParams,
      responses: { 200: { description: 'The operation', schema: s.operationResponse }, 404: { description: 'OPERATION_NOT_FOUND (also for another user\'s)' } },
    },
    async (req, res) => {
      res.json(await operations.get(actorOf(req), req.params.id as string));
    },
  );
}
