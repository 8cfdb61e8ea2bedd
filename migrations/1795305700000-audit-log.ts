import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Append-only audit log. Each row carries the hash of the previous one (a hash chain), so an
 * edit or a removal in the middle is detectable by `cli audit verify`; the trigger below makes
 * UPDATE, DELETE and TRUNCATE fail for everyone who cannot disable triggers.
 */
export class AuditLog1795305700000 implements MigrationInterface {
  name = 'AuditLog1795305700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_user_id uuid,
        actor_ip text,
        action text NOT NULL,
        target_type text,
        target_id text,
        outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL UNIQUE
      )`);
    // No foreign key on actor_user_id: the record of what a user did outlives the user.
    await q.query('CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, id)');
    await q.query('CREATE INDEX audit_log_action_idx ON audit_log (action, id)');
    await q.query('CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, id)');
    await q.query('CREATE INDEX audit_log_at_idx ON audit_log (at)');
    await q.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_log');
    await q.query('DROP FUNCTION audit_log_refuse_change()');
  }
}
