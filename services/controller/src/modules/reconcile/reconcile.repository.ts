import type { Sql } from '../../db/sql';
import type { Convergence } from '../routers/router.entity';

/** The reconcile lease and convergence summary columns of `routers`, and which routers are due a drift check. */
export class ReconcileRepository {
  constructor(private readonly db: Sql) {}

  /**
   * Takes the router's reconcile lease for `owner` until `ms` from now, unless someone else
   * holds a lease that has not expired: never two reconciles of one router at once, across
   * replicas, and a lease of a process that died lapses by itself.
   */
  async takeLease(routerId: string, owner: string, ms: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE routers SET reconcile_lease_owner = $2, reconcile_lease_until = now() + $3 * interval '1 millisecond'
        WHERE id = $1 AND (reconcile_lease_until IS NULL OR reconcile_lease_until < now() OR reconcile_lease_owner = $2)
        RETURNING id`,
      [routerId, owner, ms],
      'reconcile_take_lease',
    );
    return rows.length > 0;
  }

  async releaseLease(routerId: string, owner: string): Promise<void> {
    await this.db.query(
      `UPDATE routers SET reconcile_lease_owner = NULL, reconcile_lease_until = NULL WHERE id = $1 AND reconcile_lease_owner = $2`,
      [routerId, owner],
      'reconcile_release_lease',
    );
  }

  /**
   * Records what a reconcile saw. `failed` counts consecutive failures (for the backoff) and
   * is reset by a reconcile that ended in sync; returns the count after this one.
   */
  async recordOutcome(routerId: string, outcome: { convergence: Convergence; error: string | null; read: boolean; failed: boolean }): Promise<number> {
    const rows = await this.db.query<{ failures: number }>(
      `UPDATE routers
          SET convergence = $2, last_reconcile_error = $3,
              last_reconciled_at = CASE WHEN $4 THEN now() ELSE last_reconciled_at END,
              reconcile_failures = CASE WHEN $5 THEN reconcile_failures + 1 ELSE 0 END
        WHERE id = $1 RETURNING reconcile_failures AS failures`,
      [routerId, outcome.convergence, outcome.error, outcome.read, outcome.failed],
      'reconcile_record',
    );
    return rows[0]?.failures ?? 0;
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
