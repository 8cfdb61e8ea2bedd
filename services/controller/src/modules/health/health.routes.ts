import { Router } from 'express';
import type { ExecutorClient } from '@netpilot/executor-client';

/** Liveness (process up) and readiness (database and executor reachable). */
export function healthRoutes(deps: { ping: () => Promise<unknown>; executor: Pick<ExecutorClient, 'health'> }): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const [database, executor] = await Promise.all([
      deps
        .ping()
        .then(() => 'ok' as const)
        .catch(() => 'unreachable' as const),
      deps.executor
        .health()
        .then(() => 'ok' as const)
        .catch(() => 'unreachable' as const),
    ]);
    const ready = database === 'ok' && executor === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: { database, executor } });
  });

  return router;
}
