import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What a row's router is: its target when that is a router, else details.routerId (the same rule as `routerIdOf` in audit-hash.ts). */
const UUID_RE = `'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`;
const ROUTER_ID_EXPR = `CASE
  WHEN target_type = 'router' AND target_id ~* ${UUID_RE} THEN target_id::uuid
  WHEN details->>'routerId' ~* ${UUID_RE} THEN (details->>'routerId')::uuid
END`;

/** The columns only the sealer may set, once, on a row that has none of them yet. */
const SEAL_COLUMNS = `'{seal_seq,prev_hash,hash,router_id}'::text[]`;

/**
 * Audit rows are appended by a plain INSERT (no lock every writer waits on) and sealed
 * afterwards: the sealer gives each new row the next position in the chain (`seal_seq`,
 * since rows commit in another order than their ids), its prev_hash and hash. Rows chained
 * before this migration keep their hashes, with their id as their position. The append-only
 * trigger now lets exactly that one write through. `router_id` is what `?router=` filters on,
 * derived from the target and details by PostgreSQL itself (and checked again by verify);
 * the listing's indexes end in its page order (at, id).
 */
export class AuditSealing1795311000000 implements MigrationInterface {
  name = 'AuditSealing1795311000000';

  async up(q: QueryRunner): Promise<void> {
    // A stored generated column is filled by rewriting the table, which fires no row trigger.
    await q.query(`ALTER TABLE audit_log ADD COLUMN router_id uuid GENERATED ALWAYS AS (${ROUTER_ID_EXPR}) STORED`);
    await q.query('ALTER TABLE audit_log ADD COLUMN seal_seq bigint, ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL');
    // The existing chain was built in id order: its positions are its ids.
    await q.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await q.query('UPDATE audit_log SET seal_seq = id');
    await q.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    await q.query(`
      ALTER TABLE audit_log ADD CONSTRAINT audit_log_sealed_whole
        CHECK ((seal_seq IS NULL) = (hash IS NULL) AND (hash IS NULL) = (prev_hash IS NULL) AND seal_seq > 0)`);
    await q.query('CREATE UNIQUE INDEX audit_log_seal_seq_key ON audit_log (seal_seq)');
    await q.query('CREATE INDEX audit_log_unsealed_idx ON audit_log (id) WHERE seal_seq IS NULL');
    // GET /audit pages newest first in (at, id) order: each filter's index ends in that order, so
    // a filter alone or with a time range reads one index range and stops at the page's end.
    await q.query('CREATE INDEX audit_log_router_idx ON audit_log (router_id, at DESC, id DESC) WHERE router_id IS NOT NULL');
    await q.query('DROP INDEX audit_log_actor_idx');
    await q.query('CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, at DESC, id DESC)');
    await q.query('DROP INDEX audit_log_action_idx');
    await q.query('CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC, id DESC)');
    await q.query('DROP INDEX audit_log_at_idx');
    await q.query('CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC)');
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The sealer's one write: the seal columns of an unsealed row, every other column as it was
        -- (router_id is generated from them; in a BEFORE trigger NEW does not hold it yet).
        IF TG_OP = 'UPDATE'
           AND OLD.seal_seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
           AND NEW.seal_seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
           AND to_jsonb(NEW) - ${SEAL_COLUMNS} = to_jsonb(OLD) - ${SEAL_COLUMNS} THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
  }

  /**
   * Back to one chain in id order: possible only while every row is sealed and the chain's
   * order is still the id order (hashes cannot be rewritten: that is what they are for).
   */
  async down(q: QueryRunner): Promise<void> {
    const [{ unsealed, reordered }] = await q.query(`
      SELECT count(*) FILTER (WHERE seal_seq IS NULL)::int AS unsealed,
             count(*) FILTER (WHERE prev_id > id)::int AS reordered
        FROM (SELECT id, seal_seq, lag(id) OVER (ORDER BY seal_seq) AS prev_id FROM audit_log) s`);
    if (unsealed || reordered) {
      throw new Error(
        `cannot revert AuditSealing: ${unsealed} audit row(s) are not sealed and ${reordered} were sealed out of id order; ` +
          'the older schema chains rows in id order only (run `audit verify` to seal pending rows first)',
      );
    }
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query('DROP INDEX audit_log_at_idx');
    await q.query('CREATE INDEX audit_log_at_idx ON audit_log (at)');
    await q.query('DROP INDEX audit_log_action_idx');
    await q.query('CREATE INDEX audit_log_action_idx ON audit_log (action, id)');
    await q.query('DROP INDEX audit_log_actor_idx');
    await q.query('CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, id)');
    await q.query('DROP INDEX audit_log_router_idx');
    await q.query('DROP INDEX audit_log_unsealed_idx');
    await q.query('DROP INDEX audit_log_seal_seq_key');
    await q.query('ALTER TABLE audit_log DROP CONSTRAINT audit_log_sealed_whole');
    await q.query('ALTER TABLE audit_log DROP COLUMN seal_seq, DROP COLUMN router_id, ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL');
  }
}
