import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The router listing in creation order for admins (all routers, a page at a time) reads this
 * index instead of sorting the whole table; a user's own routers use routers_owner_idx.
 */
export class RoutersListIndex1795307000000 implements MigrationInterface {
  name = 'RoutersListIndex1795307000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX routers_created_idx ON routers (created_at, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX routers_created_idx');
  }
}
