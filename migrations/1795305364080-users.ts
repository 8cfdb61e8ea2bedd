import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Users1795305364080 implements MigrationInterface {
  name = 'Users1795305364080';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL,
        email text,
        password_hash text NOT NULL,
        role text NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user')),
        disabled boolean NOT NULL DEFAULT false,
        totp_secret_enc text,
        totp_enabled boolean NOT NULL DEFAULT false,
        totp_last_step bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Usernames are unique regardless of case.
    await q.query('CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username))');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE users');
  }
}
