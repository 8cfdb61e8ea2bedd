import Joi from 'joi';
import { Router, type RequestHandler } from 'express';
import { requireRole } from '../../http/auth';
import { validate } from '../../http/validate';
import type { AuditListFilter, AuditService } from './audit.service';

const listQuery = Joi.object({
  actor: Joi.string().trim().max(64),
  router: Joi.string().trim().max(64),
  action: Joi.string().trim().max(64),
  from: Joi.date().iso(),
  to: Joi.date().iso(),
  limit: Joi.number().integer().min(1).max(200).default(50),
  cursor: Joi.string().max(200),
});

/** GET /audit for admins: newest first, filtered, cursor-paginated. */
export function auditRoutes(deps: { audit: AuditService; requireAuth: RequestHandler }): Router {
  const router = Router();
  router.use(deps.requireAuth, requireRole('admin'));
  router.get('/', validate({ query: listQuery }), async (req, res) => {
    res.json(await deps.audit.list(req.query as unknown as AuditListFilter));
  });
  return router;
}
