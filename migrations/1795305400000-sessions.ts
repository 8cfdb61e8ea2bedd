import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Login sessions (one per login, revocable) and their rotating refresh tokens. */
export class Sessions1795305400000 implements MigrationInterface {
  name = 'Sessions1795305400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ip text,
        user_agent text,
        revoked_at timestamptz,
        revoked_reason text
      )`);
    // The hot queries: a user's active sessions, and the sweep of expired ones.
    await q.query('CREATE INDEX sessions_user_active_idx ON sessions (user_id) WHERE revoked_at IS NULL');
    await q.query('CREATE INDEX sessions_expiry_active_idx ON sessions (expires_at) WHERE revoked_at IS NULL');

    // Spent tokens are kept (spent_at set) so that presenting one again is recognised as theft.
    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        spent_at timestamptz
      )`);
    await q.query('CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE refresh_tokens');
    await q.query('DROP TABLE sessions');
  }
}
