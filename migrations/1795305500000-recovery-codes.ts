import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One-time 2FA recovery codes, stored only as keyed hashes. */
export class RecoveryCodes1795305500000 implements MigrationInterface {
  name = 'RecoveryCodes1795305500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        UNIQUE (user_id, code_hash)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE recovery_codes');
  }
}
