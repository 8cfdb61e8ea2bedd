import { Router } from 'express';
import type { ExecutorClient } from '@netpilot/executor-client';

type Readiness = { ready: boolean; checks: { database: 'ok' | 'unreachable'; executor: 'ok' | 'unreachable' } };

/**
 * Liveness (process up) and readiness (database and executor reachable). Anyone may ask, so
 * readiness is checked at most once per `readyCacheMs`: answers within that time share the
 * check, and a flood of /readyz costs the database one query a second.
 */
export function healthRoutes(deps: { ping: () => Promise<unknown>; executor: Pick<ExecutorClient, 'health'>; readyCacheMs?: number }): Router {
  const router = Router();
  const cacheMs = deps.readyCacheMs ?? 1000;
  let last: { at: number; answer: Promise<Readiness> } | null = null;

  const check = async (): Promise<Readiness> => {
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
    return { ready: database === 'ok' && executor === 'ok', checks: { database, executor } };
  };

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const now = Date.now();
    if (!last || now - last.at >= cacheMs) last = { at: now, answer: check() };
    const { ready, checks } = await last.answer;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });

  return router;
}
