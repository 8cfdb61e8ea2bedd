import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk operations: one block (or unblock) of one address on many routers. The operation and
 * a line per router are written in the same transaction as the desired state (the blocks
 * rows), so nothing is lost if the controller stops halfway; a job applies them.
 */
export class Operations1795312000000 implements MigrationInterface {
  name = 'Operations1795312000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE operations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('block', 'unblock')),
        target_kind text NOT NULL CHECK (target_kind IN ('ip', 'mac')),
        target_value text NOT NULL,
        reason text,
        expires_at timestamptz,
        requested_by uuid REFERENCES users (id) ON DELETE SET NULL,
        requested_ip text,
        status text NOT NULL CHECK (status IN ('running', 'done')),
        total integer NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz(3)
      )`);
    await q.query('CREATE INDEX operations_finished_idx ON operations (finished_at) WHERE finished_at IS NOT NULL');
    await q.query(`CREATE INDEX operations_running_idx ON operations (created_at) WHERE status = 'running'`);
    // No foreign key on router_id: a router deleted later keeps its line in the operation's record.
    await q.query(`
      CREATE TABLE operation_items (
        operation_id uuid NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
        position integer NOT NULL,
        router_id uuid NOT NULL,
        block_id uuid,
        status text NOT NULL CHECK (status IN ('queued', 'applied', 'removed', 'pending', 'failed')),
        error_code text,
        error_message text,
        updated_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (operation_id, router_id)
      )`);
    await q.query('ALTER TABLE commands ADD COLUMN operation_id uuid');
    await q.query('CREATE INDEX commands_operation_idx ON commands (operation_id) WHERE operation_id IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE commands DROP COLUMN operation_id');
    await q.query('DROP TABLE operation_items');
    await q.query('DROP TABLE operations');
  }
}
