import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention job deletes ended sessions and finished commands past their age, oldest
 * first, a batch at a time: these indexes let each batch find its rows without a scan.
 */
export class Retention1795310000000 implements MigrationInterface {
  name = 'Retention1795310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX sessions_ended_idx ON sessions (revoked_at) WHERE revoked_at IS NOT NULL');
    await q.query('CREATE INDEX commands_finished_idx ON commands (finished_at) WHERE finished_at IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX commands_finished_idx');
    await q.query('DROP INDEX sessions_ended_idx');
  }
}
