import Joi from 'joi';
import type { ApiRegistry } from '../../http/api';
import { queryDate } from '../../http/common.schemas';
import type { AuditListFilter, AuditService } from './audit.service';

const listQuery = Joi.object({
  actor: Joi.string().trim().max(64),
  router: Joi.string().trim().max(64),
  action: Joi.string().trim().max(64),
  from: queryDate,
  to: queryDate,
  limit: Joi.number().integer().min(1).max(200).default(50),
  cursor: Joi.string().max(200),
});

const auditEntry = Joi.object({
  id: Joi.string().required(),
  at: Joi.string().isoDate().required(),
  actorUserId: Joi.string().allow(null).required(),
  actorUsername: Joi.string().allow(null).required(),
  actorIp: Joi.string().allow(null).required(),
  action: Joi.string().required(),
  targetType: Joi.string().allow(null).required(),
  targetId: Joi.string().allow(null).required(),
  outcome: Joi.string().required(),
  details: Joi.object().unknown(true).required(),
}).label('AuditEntry');

const auditPage = Joi.object({ items: Joi.array().items(auditEntry).required(), nextCursor: Joi.string().allow(null).required() });

const verifyResponse = Joi.object({
  ok: Joi.boolean().required(),
  entries: Joi.number().integer().min(0).required(),
  firstBadId: Joi.string(),
  reason: Joi.string().valid('hash_mismatch', 'prev_hash_mismatch', 'router_id_mismatch', 'head_missing', 'head_mismatch'),
  message: Joi.string(),
}).label('AuditVerification');

const headResponse = Joi.object({
  head: Joi.object({ id: Joi.string().required(), hash: Joi.string().required(), at: Joi.string().isoDate().required() }).allow(null).required(),
}).label('AuditHead');

const verifyQuery = Joi.object({
  headId: Joi.string().pattern(/^[0-9]{1,19}$/),
  headHash: Joi.string().hex().length(64),
}).and('headId', 'headHash');

/** GET /audit for admins: newest first, filtered, cursor-paginated; GET /audit/verify checks the hash chain. */
export function registerAuditRoutes(api: ApiRegistry, deps: { audit: AuditService }): void {
  api.route(
    {
      method: 'get',
      path: '/audit/verify',
      summary: 'Recompute the hash chain from the first entry; names the first entry that does not fit (as `npm run cli -- audit verify`)',
      tags: ['Admin: audit'],
      auth: 'admin',
      query: verifyQuery,
      responses: { 200: { description: 'The verdict (ok false names the first bad entry); with headId and headHash, also whether that exported head is still there', schema: verifyResponse } },
    },
    async (req, res) => {
      const q = req.query as { headId?: string; headHash?: string };
      res.json(await deps.audit.verify(q.headId && q.headHash ? { expectHead: { id: q.headId, hash: q.headHash } } : {}));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/audit/head',
      summary: "The chain's newest entry (id, hash, time): keep it outside NetPilot, and verify with it later to notice entries cut from the end",
      tags: ['Admin: audit'],
      auth: 'admin',
      responses: { 200: { description: 'The head, or null while the log is empty', schema: headResponse } },
    },
    async (_req, res) => {
      res.json({ head: await deps.audit.head() });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/audit',
      summary: 'The append-only audit log, newest first',
      tags: ['Admin: audit'],
      auth: 'admin',
      query: listQuery,
      responses: { 200: { description: 'A page of entries', schema: auditPage } },
    },
    async (req, res) => {
      res.json(await deps.audit.list(req.query as unknown as AuditListFilter));
    },
  );
}
