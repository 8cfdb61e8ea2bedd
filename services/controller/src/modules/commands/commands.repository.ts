import type { Sql, Tx } from '../../db/sql';
import type { PageCursor } from '../../lib/cursor';
import type { CommandEntity, NewCommand } from './command.entity';
import { deleteOlderThan } from '../../db/retention';

const COMMAND_COLUMNS = `c.id, c.router_id AS "routerId", c.action, c.params, c.status, c.error_code AS "errorCode",
  c.error_message AS "errorMessage", c.duration_ms AS "durationMs", c.requested_by AS "requestedBy",
  c.session_id AS "sessionId", c.request_id AS "requestId", c.actor, c.owner_instance AS "ownerInstance",
  c.created_at AS "createdAt", c.sent_at AS "sentAt", c.finished_at AS "finishedAt"`;

/** What a finished action tells about its router's reachability. */
export type Contact = 'reached' | 'unreachable' | 'unknown';

/**
 * The commands table: each router action's row through pending → sent → succeeded | failed.
 * One named statement per step on the pool (each connection prepares it once).
 */
export class CommandsRepository {
  constructor(private readonly db: Sql) {}

  /** A new row in state pending. */
  async insert(values: NewCommand): Promise<{ id: string }> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO commands (router_id, action, params, status, requested_by, session_id, request_id, actor, owner_instance)
       VALUES ($1, $2, $3::jsonb, 'pending', $4, $5, $6, $7, $8) RETURNING id`,
      [values.routerId, values.action, JSON.stringify(values.params), values.requestedBy, values.sessionId, values.requestId, values.actor, values.ownerInstance],
      'commands_insert',
    );
    return rows[0];
  }

  /**
   * The pending rows of a bulk operation, one per router, in one statement (in the
   * operation's transaction); the rest of `values` is the same for every router.
   */
  async insertForOperation(operationId: string, routerIds: string[], values: Omit<NewCommand, 'routerId'>, tx: Tx): Promise<void> {
    if (!routerIds.length) return;
    await tx.query(
      `INSERT INTO commands (router_id, action, params, status, requested_by, session_id, request_id, actor, owner_instance, operation_id)
       SELECT r, $2, $3::jsonb, 'pending', $4, $5, $6, $7, $8, $9 FROM unnest($1::uuid[]) AS r`,
      [routerIds, values.action, JSON.stringify(values.params), values.requestedBy, values.sessionId, values.requestId, values.actor, values.ownerInstance, operationId],
    );
  }

  /**
   * Takes up to `limit` of the operation's commands still pending (pending → sent, owned by
   * `instanceId` from now), just before they are sent: a job run again after a crash takes
   * only what nobody sent, and a command is never `sent` long before its call.
   */
  async claimForOperation(operationId: string, instanceId: string, limit: number): Promise<{ id: string; routerId: string }[]> {
    return this.db.query(
      `UPDATE commands SET status = 'sent', sent_at = clock_timestamp(), owner_instance = $2
        WHERE id IN (SELECT id FROM commands WHERE operation_id = $1 AND status = 'pending' ORDER BY router_id LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id, router_id AS "routerId"`,
      [operationId, instanceId, limit],
      'commands_claim_for_operation',
    );
  }

  /**
   * `finish` for many commands in one statement, with what each outcome says of its router;
   * the routers whose status this changed, with their status before.
   */
  async finishMany(
    values: { id: string; status: 'succeeded' | 'failed'; durationMs: number; errorCode: string | null; errorMessage: string | null; contact: Contact }[],
    tx: Tx,
  ): Promise<{ routerId: string; statusBefore: string; contact: Contact }[]> {
    if (!values.length) return [];
    return tx.query(
      `WITH o AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[])
                AS o (id, status, duration_ms, error_code, error_message, contact)),
       c AS (
         UPDATE commands c SET status = o.status, duration_ms = o.duration_ms, error_code = o.error_code,
                error_message = o.error_message, finished_at = clock_timestamp()
           -- Only a command still sent: one the orphan sweep already finished keeps its INTERRUPTED.
           FROM o WHERE c.id = o.id AND c.status = 'sent' RETURNING c.router_id, o.contact),
       before AS (SELECT r.id, r.status, r.last_seen_at, c.contact FROM routers r JOIN c ON r.id = c.router_id),
       touched AS (
         UPDATE routers r
            SET status = CASE WHEN before.contact = 'reached' THEN 'online' ELSE 'offline' END,
                last_seen_at = CASE WHEN before.contact = 'reached' THEN now() ELSE r.last_seen_at END
           FROM before
          WHERE r.id = before.id
            AND ((before.contact = 'reached' AND (before.status <> 'online' OR before.last_seen_at IS NULL OR before.last_seen_at < now() - interval '15 seconds'))
              OR (before.contact = 'unreachable' AND before.status <> 'offline'))
         RETURNING r.id AS "routerId", before.status AS "statusBefore", before.contact, r.status AS now)
       -- A router seen again while online only had its last contact moved: not a change of status.
       SELECT "routerId", "statusBefore", contact FROM touched WHERE "statusBefore" <> now`,
      [
        values.map((v) => v.id), values.map((v) => v.status), values.map((v) => v.durationMs),
        values.map((v) => v.errorCode), values.map((v) => v.errorMessage), values.map((v) => v.contact),
      ],
      'commands_finish_many',
    );
  }

  /** pending → sent; guarded so that a late write can never overwrite the final state. */
  async markSent(id: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE commands SET status = 'sent', sent_at = $2 WHERE id = $1 AND status = 'pending'`, [id, at], 'commands_mark_sent');
  }

  /**
   * sent → succeeded | failed, with duration and error; and what the outcome says of the
   * router, in the same statement: a router that answered is online (observed, not
   * inferred), one that could not be reached is offline. Returns the router's status before,
   * when this changed it (e.g. 'offline' for a router that just came back).
   */
  async finish(
    id: string,
    values: { status: 'succeeded' | 'failed'; durationMs: number; errorCode?: string | null; errorMessage?: string | null; sentAt: Date; contact: Contact },
  ): Promise<{ statusBefore: string } | null> {
    const rows = await this.db.query<{ was: string | null }>(
      `WITH c AS (
         UPDATE commands SET status = $2, duration_ms = $3, error_code = $4, error_message = $5,
                sent_at = COALESCE(sent_at, $6), finished_at = clock_timestamp()
          WHERE id = $1 RETURNING router_id),
       before AS (SELECT r.id, r.status, r.last_seen_at FROM routers r JOIN c ON r.id = c.router_id),
       touched AS (
         UPDATE routers r
            SET status = CASE WHEN $7 = 'reached' THEN 'online' ELSE 'offline' END,
                last_seen_at = CASE WHEN $7 = 'reached' THEN now() ELSE r.last_seen_at END
           FROM before
          WHERE r.id = before.id
            AND (($7 = 'reached' AND (before.status <> 'online' OR before.last_seen_at IS NULL OR before.last_seen_at < now() - interval '15 seconds'))
              OR ($7 = 'unreachable' AND before.status <> 'offline'))
         RETURNING before.status AS was, r.status AS now)
       -- A router seen again while online only had its last contact moved: not a change of status.
       SELECT (SELECT was FROM touched WHERE was <> now) AS was`,
      [id, values.status, values.durationMs, values.errorCode ?? null, values.errorMessage ?? null, values.sentAt, values.contact],
      'commands_finish',
    );
    const was = rows[0]?.was;
    return was ? { statusBefore: was } : null;
  }

  /**
   * Finishes as failed INTERRUPTED every command still pending or sent whose owner is gone
   * (no live controller instance has it) or that outlived `maxAgeMs` anyway; returns them.
   */
  async interruptOrphans(liveWithinMs: number, maxAgeMs: number): Promise<{ id: string; routerId: string; action: string }[]> {
    return this.db.query<{ id: string; routerId: string; action: string }>(
      `UPDATE commands c
          SET status = 'failed', error_code = 'INTERRUPTED', finished_at = clock_timestamp(),
              error_message = 'The controller running this command stopped before it finished; the reconciler checks the router'
        WHERE c.status IN ('pending', 'sent')
          -- A hung call is measured from when it was sent (a bulk operation sends its commands long after it wrote them).
          AND (COALESCE(c.sent_at, c.created_at) < now() - $2 * interval '1 millisecond'
               OR NOT EXISTS (SELECT 1 FROM controller_instances i
                               WHERE i.id = c.owner_instance AND i.last_seen_at > now() - $1 * interval '1 millisecond'))
        RETURNING c.id, c.router_id AS "routerId", c.action`,
      [liveWithinMs, maxAgeMs],
    );
  }

  /** A router's history, newest first, from `before` (exclusive). */
  async list(routerId: string, limit: number, before: PageCursor | null): Promise<CommandEntity[]> {
    return this.db.query<CommandEntity>(
      `SELECT ${COMMAND_COLUMNS} FROM commands c
        WHERE c.router_id = $1 AND ($2::timestamptz IS NULL OR (c.created_at, c.id) < ($2, $3::uuid))
        ORDER BY c.created_at DESC, c.id DESC LIMIT $4`,
      [routerId, before?.at ?? null, before?.id ?? null, limit],
    );
  }

  /** Commands finished more than `days` ago, in batches; the number deleted. */
  deleteFinishedBefore(days: number): Promise<number> {
    return deleteOlderThan(this.db, 'commands', 'finished_at', days);
  }
}
