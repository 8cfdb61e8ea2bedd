import type { Sql } from '../../db/sql';

/** controller_instances: which controller processes are alive, by the heartbeat each one writes. */
export class InstancesRepository {
  constructor(private readonly db: Sql) {}

  async beat(id: string, host: string, pid: number, workerPoolId: string | null): Promise<void> {
    await this.db.query(
      `INSERT INTO controller_instances (id, host, pid, worker_pool_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET last_seen_at = now(), worker_pool_id = COALESCE($4, controller_instances.worker_pool_id)`,
      [id, host, pid, workerPoolId],
      'instances_beat',
    );
  }

  /**
   * Releases the queue jobs held by instances silent for `ms` (they died mid-job): the
   * queue runs those jobs again instead of leaving them locked for hours. Each dead pool once.
   */
  async releaseDeadWorkers(ms: number): Promise<number> {
    const rows = await this.db.query<{ pool: string }>(
      `UPDATE controller_instances i SET worker_pool_id = NULL
         FROM (SELECT id, worker_pool_id AS pool FROM controller_instances
                WHERE worker_pool_id IS NOT NULL AND last_seen_at < now() - $1 * interval '1 millisecond' FOR UPDATE) dead
        WHERE i.id = dead.id
       RETURNING dead.pool`,
      [ms],
    );
    if (rows.length) await this.db.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [rows.map((r) => r.pool)]);
    return rows.length;
  }

  async remove(id: string): Promise<void> {
    await this.db.query('DELETE FROM controller_instances WHERE id = $1', [id]);
  }

  /** Forgets instances silent for longer than `ms` (they died without saying so). */
  async pruneSilent(ms: number): Promise<number> {
    const rows = await this.db.query(`DELETE FROM controller_instances WHERE last_seen_at < now() - $1 * interval '1 millisecond' RETURNING id`, [ms]);
    return rows.length;
  }

  /** Instances seen within the last `ms`. */
  async countLive(ms: number): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM controller_instances WHERE last_seen_at > now() - $1 * interval '1 millisecond'`,
      [ms],
    );
    return rows[0].n;
  }
}
