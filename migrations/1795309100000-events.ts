import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Router events: what a router posts about itself (with its router token) and what the
 * controller observes (online, offline, rebooted, drift repaired, a failed block, a new
 * device, a schedule applied). Kept for EVENT_RETENTION_DAYS.
 */
export class Events1795309100000 implements MigrationInterface {
  name = 'Events1795309100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        router_id uuid NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
        source text NOT NULL CHECK (source IN ('router', 'controller')),
        level text NOT NULL CHECK (level IN ('info', 'warn', 'error')),
        type text NOT NULL,
        message text NOT NULL,
        data jsonb,
        -- Millisecond precision: keyset cursors carry a JS Date, which holds milliseconds.
        created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX events_router_idx ON events (router_id, created_at DESC, id DESC)');
    await q.query('CREATE INDEX events_created_idx ON events (created_at DESC, id DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE events');
  }
}
