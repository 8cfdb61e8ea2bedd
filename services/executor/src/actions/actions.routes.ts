import { Router } from 'express';
import { describeCatalog, okEnvelope } from '@netpilot/contracts';
import type { ActionService } from './action-service';

/** GET /actions (the catalog) and POST /actions/:name (run one allowlisted action). */
export function actionsRouter(service: ActionService): Router {
  const router = Router();
  const catalog = describeCatalog();
  router.get('/actions', (_req, res) => {
    res.json(okEnvelope(catalog));
  });
  router.post('/actions/:name', async (req, res) => {
    const { data, metadata } = await service.execute(req.params.name, req.body);
    res.json(okEnvelope(data, metadata));
  });
  return router;
}
