import type { Sql } from '../../db/sql';
import type { BlockEntity } from '../blocks/block.entity';
import type { Contact } from '../commands/commands.repository';
import type { ScheduleEntity } from '../schedules/schedule.entity';
import type { Convergence, RouterEntity } from '../routers/router.entity';
import { ROUTER_COLUMNS } from '../routers/routers.repository';

/** The reconcile lease and convergence summary columns of `routers`, and which routers are due a drift check. */
export class ReconcileRepository {
  constructor(private readonly db: Sql) {}

  /**
   * Takes the router's reconcile lease for the run `owner` of controller `instance` until `ms`
   * from now, unless another run holds a lease that has not expired and whose controller is
   * alive (heartbeat within `deadAfterMs`): never two reconciles of one router at once, across
   * replicas; the lease of a controller that died is free as soon as it is known dead.
   * Returns the router when the lease is taken (one round trip), null otherwise.
   */
  async takeLease(routerId: string, lease: { owner: string; instance: string; ms: number; deadAfterMs: number }): Promise<RouterEntity | null> {
    return this.db.one<RouterEntity>(
      `UPDATE routers r SET reconcile_lease_owner = $2, reconcile_lease_instance = $3,
              reconcile_lease_until = now() + $4 * interval '1 millisecond'
        WHERE r.id = $1
          AND (r.reconcile_lease_until IS NULL OR r.reconcile_lease_until < now()
               OR NOT EXISTS (SELECT 1 FROM controller_instances i
                               WHERE i.id = r.reconcile_lease_instance
                                 AND i.last_seen_at > now() - $5 * interval '1 millisecond'))
        RETURNING ${ROUTER_COLUMNS}`,
      [routerId, lease.owner, lease.instance, lease.ms, lease.deadAfterMs],
      'reconcile_take_lease',
    );
  }

  async releaseLease(routerId: string, owner: string): Promise<void> {
    await this.db.query(
      `UPDATE routers SET reconcile_lease_owner = NULL, reconcile_lease_instance = NULL, reconcile_lease_until = NULL
        WHERE id = $1 AND reconcile_lease_owner = $2`,
      [routerId, owner],
      'reconcile_release_lease',
    );
  }

  /**
   * Ends a reconcile in one statement: the blocks seen enforced are verified now (applied
   * unless being removed), the router's convergence summary and failure count (reset by a
   * reconcile that ended in sync) are written, what the read said of the router's presence
   * (`contact`) is recorded, and the lease is released. Returns the failure count after this
   * one and the router's status before (to tell a return or a loss); null if the lease was lost.
   */
  async finish(
    routerId: string,
    owner: string,
    outcome: { convergence: Convergence; error: string | null; read: boolean; failed: boolean; contact: Contact; verifiedIds: string[] },
  ): Promise<{ failures: number; statusBefore: string } | null> {
    return this.db.one<{ failures: number; statusBefore: string }>(
      `WITH verified AS (
         UPDATE blocks SET status = CASE WHEN status = 'removing' THEN status ELSE 'applied' END,
                applied_at = COALESCE(applied_at, now()), verified_at = now(),
                last_error_code = CASE WHEN status = 'removing' THEN last_error_code END,
                last_error = CASE WHEN status = 'removing' THEN last_error END, updated_at = now()
          WHERE id = ANY($7::uuid[]) AND router_id = $1),
       before AS (SELECT status FROM routers WHERE id = $1)
       UPDATE routers r
          SET convergence = $3, last_reconcile_error = $4,
              last_reconciled_at = CASE WHEN $5 THEN now() ELSE r.last_reconciled_at END,
              reconcile_failures = CASE WHEN $6 THEN r.reconcile_failures + 1 ELSE 0 END,
              status = CASE $8 WHEN 'reached' THEN 'online' WHEN 'unreachable' THEN 'offline' ELSE r.status END,
              last_seen_at = CASE WHEN $8 = 'reached' THEN now() ELSE r.last_seen_at END,
              reconcile_lease_owner = NULL, reconcile_lease_instance = NULL, reconcile_lease_until = NULL
         FROM before
        WHERE r.id = $1 AND r.reconcile_lease_owner = $2
       RETURNING r.reconcile_failures AS failures, before.status AS "statusBefore"`,
      [routerId, owner, outcome.convergence, outcome.error, outcome.read, outcome.failed, outcome.verifiedIds, outcome.contact],
      'reconcile_finish',
    );
  }

  /** A change could not reach the router yet: it waits (the reconciler retries). */
  async markPending(routerId: string, error: string): Promise<number> {
    const rows = await this.db.query<{ failures: number }>(
      `UPDATE routers SET convergence = 'pending', last_reconcile_error = $2, reconcile_failures = reconcile_failures + 1
        WHERE id = $1 RETURNING reconcile_failures AS failures`,
      [routerId, error],
    );
    return rows[0]?.failures ?? 0;
  }

  /**
   * A router's blocks and schedules, the two parts of its desired state, in one round trip
   * (a drift check stays at three statements: the lease, this, and the closing write).
   */
  async desired(routerId: string): Promise<{ blocks: BlockEntity[]; schedules: ScheduleEntity[] }> {
    type Row = BlockEntity & ScheduleEntity & { part: 'block' | 'schedule' };
    const rows = await this.db.query<Row>(
      `SELECT 'block' AS part, b.id, b.router_id AS "routerId", b.kind, b.value, b.reason, b.status, b.last_error_code AS "lastErrorCode",
              b.last_error AS "lastError", b.created_by AS "createdBy", b.created_at AS "createdAt", b.updated_at AS "updatedAt",
              b.applied_at AS "appliedAt", b.verified_at AS "verifiedAt", b.expires_at AS "expiresAt",
              NULL::text AS label, NULL::jsonb AS windows, NULL::boolean AS enabled
         FROM blocks b WHERE b.router_id = $1
       UNION ALL
       SELECT 'schedule', s.id, s.router_id, s.kind, s.value, NULL, NULL, NULL, NULL, s.created_by, s.created_at, s.updated_at,
              NULL, NULL, NULL, s.label, s.windows, s.enabled
         FROM schedules s WHERE s.router_id = $1
       ORDER BY "createdAt", id`,
      [routerId],
      'reconcile_desired',
    );
    const blocks: BlockEntity[] = [];
    const schedules: ScheduleEntity[] = [];
    for (const { part, label, windows, enabled, ...rest } of rows) {
      if (part === 'block') blocks.push(rest as BlockEntity);
      else {
        const { id, routerId, kind, value, createdBy, createdAt, updatedAt } = rest;
        schedules.push({ id, routerId, kind, value, label, windows, enabled, createdBy, createdAt, updatedAt });
      }
    }
    return { blocks, schedules };
  }

  async exists(routerId: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM routers WHERE id = $1', [routerId])).length > 0;
  }

  /** Routers not read by a reconcile for `intervalMs` (or never), oldest first, at most `limit`. */
  async due(intervalMs: number, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM routers
        WHERE last_reconciled_at IS NULL OR last_reconciled_at < now() - $1 * interval '1 millisecond'
        ORDER BY last_reconciled_at NULLS FIRST LIMIT $2`,
      [intervalMs, limit],
    );
    return rows.map((r) => r.id);
  }
}
