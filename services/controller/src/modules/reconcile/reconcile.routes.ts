import type { ApiRegistry } from '../../http/api';
import { actorOf } from '../../http/actor';
import { routerIdParams } from '../../http/common.schemas';
import { syncResponse } from '../blocks/blocks.schemas';
import { ACTIONS_TAG, routerTrouble } from '../commands/commands.routes';
import { routerNotFound } from '../routers/routers.routes';
import type { ReconcileService } from './reconcile.service';

/** POST /routers/:id/sync: the reconcile the system runs by itself, now, for the caller. */
export function registerReconcileRoutes(api: ApiRegistry, deps: { reconcile: ReconcileService }): void {
  api.route(
    {
      method: 'post',
      path: '/routers/:id/sync',
      summary: "Make the router's block set equal the stored blocks now (apply pending, remove extras); the reconciler does the same by itself",
      tags: ACTIONS_TAG,
      auth: 'user',
      params: routerIdParams,
      responses: {
        200: { description: 'In sync', schema: syncResponse },
        404: routerNotFound,
        409: { description: 'Another reconcile of this router did not finish in time (RECONCILE_BUSY)' },
        ...routerTrouble,
      },
    },
    async (req, res) => {
      res.json(await deps.reconcile.sync(actorOf(req), req.params.id as string));
    },
  );
}
