import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counters of rate-limiter-flexible's RateLimiterPostgres (login and 2FA failures), shared by
 * every controller replica. The shape is the library's own (key, points, expire in epoch ms);
 * the app passes `tableCreated: true` so it never issues DDL at run time.
 */
export class RateLimits1795305600000 implements MigrationInterface {
  name = 'RateLimits1795305600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
    await q.query('CREATE INDEX rate_limits_expire_idx ON rate_limits (expire)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE rate_limits');
  }
}
