import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What router owners asked for (issue 13): named devices with a stable id, temporary blocks
 * (`expires_at`), weekly schedules in the router's time zone, and router tokens that can be
 * rotated with a grace period for the previous one.
 */
export class Schedules1795309000000 implements MigrationInterface {
  name = 'Schedules1795309000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE routers
        ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC',
        ADD COLUMN previous_router_token_hash text,
        ADD COLUMN previous_router_token_expires_at timestamptz`);
    await q.query(`CREATE UNIQUE INDEX routers_previous_token_idx ON routers (previous_router_token_hash) WHERE previous_router_token_hash IS NOT NULL`);

    await q.query('ALTER TABLE devices ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(), ADD COLUMN name text');
    await q.query('CREATE UNIQUE INDEX devices_id_idx ON devices (id)');

    // A temporary block ends by itself at expires_at (the reconciler lifts it).
    await q.query('ALTER TABLE blocks ADD COLUMN expires_at timestamptz');
    await q.query('CREATE INDEX blocks_expiring_idx ON blocks (expires_at) WHERE expires_at IS NOT NULL');

    // A device blocked during weekly windows: [{days, start, end}] in the router's time zone.
    await q.query(`
      CREATE TABLE schedules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        router_id uuid NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('ip', 'mac')),
        value text NOT NULL,
        label text,
        windows jsonb NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX schedules_router_idx ON schedules (router_id, created_at, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE schedules');
    await q.query('DROP INDEX blocks_expiring_idx');
    await q.query('ALTER TABLE blocks DROP COLUMN expires_at');
    await q.query('DROP INDEX devices_id_idx');
    await q.query('ALTER TABLE devices DROP COLUMN name, DROP COLUMN id');
    await q.query('DROP INDEX routers_previous_token_idx');
    await q.query('ALTER TABLE routers DROP COLUMN previous_router_token_expires_at, DROP COLUMN previous_router_token_hash, DROP COLUMN time_zone');
  }
}
