import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Convergence: what a router reports of its boot (a new boot id means its firewall may be
 * empty), what the reconciler last saw (a summary per router, the last time each block was
 * seen enforced), who runs each command (the controller instance, so a dead one's commands
 * can be finished), and the live controller instances.
 */
export class Convergence1795308000000 implements MigrationInterface {
  name = 'Convergence1795308000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE routers
        ADD COLUMN boot_id text,
        ADD COLUMN uptime_seconds bigint,
        ADD COLUMN convergence text CHECK (convergence IN ('in-sync', 'drifting', 'pending', 'unreachable')),
        ADD COLUMN last_reconciled_at timestamptz,
        ADD COLUMN last_reconcile_error text,
        ADD COLUMN reconcile_failures integer NOT NULL DEFAULT 0,
        ADD COLUMN reconcile_lease_owner uuid,
        ADD COLUMN reconcile_lease_instance uuid,
        ADD COLUMN reconcile_lease_until timestamptz`);
    await q.query('CREATE INDEX routers_reconciled_idx ON routers (last_reconciled_at NULLS FIRST)');
    await q.query('ALTER TABLE blocks ADD COLUMN verified_at timestamptz');
    await q.query(`
      ALTER TABLE commands
        ADD COLUMN actor text NOT NULL DEFAULT 'user' CHECK (actor IN ('user', 'system')),
        ADD COLUMN owner_instance uuid`);
    await q.query(`CREATE INDEX commands_open_idx ON commands (created_at) WHERE status IN ('pending', 'sent')`);
    await q.query(`
      CREATE TABLE controller_instances (
        id uuid PRIMARY KEY,
        host text NOT NULL,
        pid integer NOT NULL,
        -- The job queue's worker pool of this process: its jobs are unlocked when it dies.
        worker_pool_id text,
        started_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE controller_instances');
    await q.query('DROP INDEX commands_open_idx');
    await q.query('ALTER TABLE commands DROP COLUMN owner_instance, DROP COLUMN actor');
    await q.query('ALTER TABLE blocks DROP COLUMN verified_at');
    await q.query('DROP INDEX routers_reconciled_idx');
    await q.query(`
      ALTER TABLE routers
        DROP COLUMN reconcile_lease_until, DROP COLUMN reconcile_lease_instance, DROP COLUMN reconcile_lease_owner, DROP COLUMN reconcile_failures, DROP COLUMN last_reconcile_error, DROP COLUMN last_reconciled_at,
        DROP COLUMN convergence, DROP COLUMN uptime_seconds, DROP COLUMN boot_id`);
  }
}
