import type { Queryable, Sql, Tx } from '../../db/sql';
import type { NewCommand } from '../commands/command.entity';
import { joinDeviceOf } from '../devices/devices.repository';
import type { BlockEntity, NamedBlock } from './block.entity';

/** Every block column as the entity names it, of the row alias `t`. */
const columns = (t: string) => `${t}.id, ${t}.router_id AS "routerId", ${t}.kind, ${t}.value, ${t}.reason, ${t}.status,
  ${t}.last_error_code AS "lastErrorCode", ${t}.last_error AS "lastError", ${t}.created_by AS "createdBy",
  ${t}.created_at AS "createdAt", ${t}.updated_at AS "updatedAt", ${t}.applied_at AS "appliedAt", ${t}.verified_at AS "verifiedAt",
  ${t}.expires_at AS "expiresAt"`;
const BLOCK_COLUMNS = columns('blocks');

export type NewBlock = Pick<BlockEntity, 'routerId' | 'kind' | 'value' | 'reason' | 'createdBy' | 'expiresAt'>;

/**
 * The blocks table, the desired state. Every state write is one guarded UPDATE (no
 * read-before-write): a block being removed is never marked applied behind the unblock's
 * back, and only a row still being removed is deleted when its unblock ends.
 */
export class BlocksRepository {
  constructor(private readonly db: Sql) {}

  private q(tx?: Tx): Queryable {
    return tx ?? this.db;
  }

  async find(routerId: string, id: string): Promise<BlockEntity | null> {
    return this.db.one<BlockEntity>(`SELECT ${BLOCK_COLUMNS} FROM blocks WHERE router_id = $1 AND id = $2`, [routerId, id], 'blocks_find');
  }

  async list(routerId: string): Promise<BlockEntity[]> {
    return this.db.query<BlockEntity>(`SELECT ${BLOCK_COLUMNS} FROM blocks WHERE router_id = $1 ORDER BY created_at, id`, [routerId]);
  }

  /** A router's blocks with the device each is for (as the API shows them). */
  async listNamed(routerId: string): Promise<NamedBlock[]> {
    return this.db.query<NamedBlock>(
      `SELECT ${columns('b')}, dev."deviceId", dev."deviceName" FROM blocks b ${joinDeviceOf('b')} WHERE b.router_id = $1 ORDER BY b.created_at, b.id`,
      [routerId],
      'blocks_list_named',
    );
  }

  /** One block with the device it is for. */
  async findNamed(routerId: string, id: string): Promise<NamedBlock | null> {
    return this.db.one<NamedBlock>(`SELECT ${columns('b')}, dev."deviceId", dev."deviceName" FROM blocks b ${joinDeviceOf('b')} WHERE b.router_id = $1 AND b.id = $2`, [routerId, id], 'blocks_find_named');
  }

  /** Temporary blocks still to end (for planning their end), across routers. */
  async listTemporary(): Promise<Pick<BlockEntity, 'id' | 'routerId' | 'expiresAt' | 'status'>[]> {
    return this.db.query(`SELECT id, router_id AS "routerId", expires_at AS "expiresAt", status FROM blocks WHERE expires_at IS NOT NULL AND status <> 'removing'`);
  }

  async findById(id: string): Promise<BlockEntity | null> {
    return this.db.one<BlockEntity>(`SELECT ${BLOCK_COLUMNS} FROM blocks WHERE id = $1`, [id], 'blocks_find_by_id');
  }

  /** A block kept as it is gets a new end (null: until unblocked); not a row being removed. */
  async setExpiry(id: string, expiresAt: Date | null): Promise<BlockEntity | null> {
    return this.db.one<BlockEntity>(
      `UPDATE blocks SET expires_at = $2, updated_at = now() WHERE id = $1 AND status <> 'removing' RETURNING ${BLOCK_COLUMNS}`,
      [id, expiresAt],
    );
  }

  /** Temporary blocks of the router past their end at `now` go: marked removing (the reconciler lifts them); returns them. */
  async markExpired(routerId: string, now: Date, tx?: Tx): Promise<BlockEntity[]> {
    return this.q(tx).query<BlockEntity>(
      `UPDATE blocks SET status = 'removing', updated_at = now()
        WHERE router_id = $1 AND expires_at <= $2 AND status <> 'removing' RETURNING ${BLOCK_COLUMNS}`,
      [routerId, now],
    );
  }

  /**
   * Inserts the desired block, or takes the existing one (one row per router and address),
   * and inserts the pending commands row that will apply it, in one statement: one round
   * trip and one commit before the router is called. A row on its way out (`removing`) is
   * taken back to `pending`: the newer intent wins, and the unblock in flight sees that it
   * must not delete it (see deleteIfRemoving); so is a temporary row past its end at `now`.
   */
  async upsertWithCommand(values: NewBlock, command: NewCommand, now: Date): Promise<{ block: BlockEntity; created: boolean; command: { id: string } }> {
    // Two identical requests at once: the loser's INSERT waits for the winner, does nothing,
    // and its statement's snapshot predates the winner's row, so it finds no block. The
    // winner has committed by then; the same statement again sees its row.
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = await this.db.one<BlockEntity & { created: boolean; commandId: string }>(
        `WITH ins AS (
           INSERT INTO blocks AS b (router_id, kind, value, reason, status, created_by, expires_at)
           VALUES ($1, $2, $3, $4, 'pending', $5, $13)
           ON CONFLICT (router_id, kind, value) DO UPDATE
              SET status = 'pending', reason = EXCLUDED.reason, created_by = EXCLUDED.created_by,
                  last_error_code = NULL, last_error = NULL, updated_at = now(), expires_at = EXCLUDED.expires_at
            WHERE b.status = 'removing' OR b.expires_at <= $14
           RETURNING *, true AS created),
         b AS (
           SELECT * FROM ins
           UNION ALL
           SELECT *, false AS created FROM blocks
            WHERE router_id = $1 AND kind = $2 AND value = $3 AND NOT EXISTS (SELECT 1 FROM ins)),
         -- From b, so that no command is left behind when there is no block row to act on.
         cmd AS (
           INSERT INTO commands (router_id, action, params, status, requested_by, session_id, request_id, actor, owner_instance)
           SELECT $1, $6::text, $7::jsonb, 'pending', $8, $9::uuid, $10::text, $11::text, $12::uuid FROM b
           RETURNING id)
         SELECT ${columns('b')}, b.created, cmd.id AS "commandId" FROM b, cmd`,
        [
          values.routerId, values.kind, values.value, values.reason, values.createdBy,
          command.action, JSON.stringify(command.params), command.requestedBy, command.sessionId, command.requestId,
          command.actor, command.ownerInstance, values.expiresAt, now,
        ],
        'blocks_upsert_with_command',
      );
      if (row) {
        const { created, commandId, ...block } = row;
        return { block, created, command: { id: commandId } };
      }
    }
    throw new Error('block row not found after upsert');
  }

  /**
   * A bulk block's desired state: the block of one address on many routers, in one
   * statement. A new row is pending; an existing one is kept (its reason, end and creator
   * become this request's), and taken back to pending when it was on its way out or past
   * its end. Rows are locked in router order, so two bulk operations never deadlock.
   */
  async upsertMany(routerIds: string[], values: Omit<NewBlock, 'routerId'>, now: Date, tx: Tx): Promise<{ routerId: string; blockId: string }[]> {
    if (!routerIds.length) return [];
    return tx.query(
      `INSERT INTO blocks AS b (router_id, kind, value, reason, status, created_by, expires_at)
       SELECT r, $2, $3, $4, 'pending', $5, $6 FROM unnest($1::uuid[]) AS r ORDER BY r
       ON CONFLICT (router_id, kind, value) DO UPDATE
          SET reason = EXCLUDED.reason, created_by = EXCLUDED.created_by, expires_at = EXCLUDED.expires_at, updated_at = now(),
              status = CASE WHEN b.status = 'removing' OR b.expires_at <= $7 THEN 'pending' ELSE b.status END,
              last_error_code = CASE WHEN b.status = 'removing' OR b.expires_at <= $7 THEN NULL ELSE b.last_error_code END,
              last_error = CASE WHEN b.status = 'removing' OR b.expires_at <= $7 THEN NULL ELSE b.last_error END
       RETURNING router_id AS "routerId", id AS "blockId"`,
      [routerIds, values.kind, values.value, values.reason, values.createdBy, values.expiresAt, now],
    );
  }

  /** A bulk unblock's desired state: the address's rows on these routers marked removing, in one statement. */
  async markRemovingMany(routerIds: string[], kind: string, value: string, tx: Tx): Promise<{ routerId: string; blockId: string }[]> {
    if (!routerIds.length) return [];
    return tx.query(
      `UPDATE blocks SET status = 'removing', updated_at = now()
        WHERE id IN (SELECT id FROM blocks WHERE router_id = ANY($1::uuid[]) AND kind = $2 AND value = $3 ORDER BY router_id FOR UPDATE)
        RETURNING router_id AS "routerId", id AS "blockId"`,
      [routerIds, kind, value],
    );
  }

  /**
   * Locks these rows in router order (the order `upsertMany` and `markRemovingMany` lock in),
   * so that one bulk operation's writes never deadlock with another's.
   */
  async lockMany(ids: string[], tx: Tx): Promise<void> {
    if (ids.length) await tx.query('SELECT id FROM blocks WHERE id = ANY($1::uuid[]) ORDER BY router_id, id FOR UPDATE', [ids], 'blocks_lock_many');
  }

  /** `markApplied` for many rows in one statement. */
  async markAppliedMany(ids: string[], tx: Tx): Promise<void> {
    if (!ids.length) return;
    await tx.query(
      `UPDATE blocks SET status = 'applied', applied_at = now(), verified_at = now(), last_error_code = NULL, last_error = NULL, updated_at = now()
        WHERE id = ANY($1::uuid[]) AND status <> 'removing'`,
      [ids],
      'blocks_mark_applied_many',
    );
  }

  /** `markFailed` for many rows in one statement (each keeps its status). */
  async markFailedMany(failures: { id: string; code: string; message: string }[], tx: Tx): Promise<void> {
    if (!failures.length) return;
    await tx.query(
      `UPDATE blocks b SET last_error_code = f.code, last_error = f.message, updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS f (id, code, message) WHERE b.id = f.id`,
      [failures.map((f) => f.id), failures.map((f) => f.code), failures.map((f) => f.message)],
      'blocks_mark_failed_many',
    );
  }

  /** `deletePending` for many rows. */
  async deletePendingMany(ids: string[], tx: Tx): Promise<void> {
    if (ids.length) await tx.query(`DELETE FROM blocks WHERE id = ANY($1::uuid[]) AND status = 'pending'`, [ids]);
  }

  /** `deleteIfRemoving` for many rows; the ids deleted (a row a newer block took back meanwhile stays, and is not among them). */
  async deleteRemovingMany(ids: string[], tx: Tx): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await tx.query<{ id: string }>(`DELETE FROM blocks WHERE id = ANY($1::uuid[]) AND status = 'removing' RETURNING id`, [ids], 'blocks_delete_removing_many');
    return rows.map((r) => r.id);
  }

  /** The router accepted the block; not for a row being removed. The row as it is now, or null if it is not that. */
  async markApplied(id: string): Promise<BlockEntity | null> {
    return this.db.one<BlockEntity>(
      `UPDATE blocks SET status = 'applied', applied_at = now(), verified_at = now(), last_error_code = NULL, last_error = NULL, updated_at = now()
        WHERE id = $1 AND status <> 'removing' RETURNING ${BLOCK_COLUMNS}`,
      [id],
      'blocks_mark_applied',
    );
  }

  /** The router was seen enforcing these blocks: applied (unless being removed), verified now, errors cleared. */
  async markVerified(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.db.query(
      `UPDATE blocks SET status = CASE WHEN status = 'removing' THEN status ELSE 'applied' END,
              applied_at = COALESCE(applied_at, now()), verified_at = now(),
              last_error_code = CASE WHEN status = 'removing' THEN last_error_code END,
              last_error = CASE WHEN status = 'removing' THEN last_error END, updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [ids],
      'blocks_mark_verified',
    );
  }

  /**
   * A block or unblock of this row failed: the error is kept. The status stays (an applied
   * block is enforced already, a removing one still goes), unless the router was seen not
   * enforcing it (`notEnforced`): then an applied block is pending again.
   */
  async markFailed(id: string, error: { code: string; message: string }, opts: { notEnforced?: boolean } = {}): Promise<BlockEntity | null> {
    return this.db.one<BlockEntity>(
      `UPDATE blocks SET last_error_code = $2, last_error = $3, updated_at = now(),
              status = CASE WHEN $4 AND status = 'applied' THEN 'pending' ELSE status END
        WHERE id = $1 RETURNING ${BLOCK_COLUMNS}`,
      [id, error.code, error.message, opts.notEnforced === true],
      'blocks_mark_failed',
    );
  }

  /** Marks a block `removing` and returns it, in one round trip; null when the router has no such block. */
  async markRemoving(routerId: string, id: string): Promise<BlockEntity | null> {
    return this.db.one<BlockEntity>(
      `UPDATE blocks SET status = 'removing', updated_at = now() WHERE router_id = $1 AND id = $2 RETURNING ${BLOCK_COLUMNS}`,
      [routerId, id],
      'blocks_mark_removing',
    );
  }

  /** Deletes a block the router never accepted (it is still pending); false when it moved on meanwhile. */
  async deletePending(id: string): Promise<boolean> {
    return (await this.db.query(`DELETE FROM blocks WHERE id = $1 AND status = 'pending' RETURNING id`, [id])).length > 0;
  }

  /** Deletes the row if it is still being removed; false when a newer block took it back meanwhile. */
  async deleteIfRemoving(id: string, tx?: Tx): Promise<boolean> {
    const rows = await this.q(tx).query(`DELETE FROM blocks WHERE id = $1 AND status = 'removing' RETURNING id`, [id], 'blocks_delete_removing');
    return rows.length > 0;
  }
}
