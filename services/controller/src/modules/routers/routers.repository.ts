import type { Queryable, Sql, Tx } from '../../db/sql';
import type { PageCursor } from '../../lib/cursor';
import type { RouterAssignmentEntity, RouterEntity } from './router.entity';
import type { Visibility } from './router-listing.repository';

/** Every router column, named as the entity names it. */
export const ROUTER_COLUMNS = `r.id, r.owner_id AS "ownerId", r.name, r.host, r.port, r.username, r.platform,
  r.credentials_enc AS "credentialsEnc", r.auth_method AS "authMethod", r.options, r.jump_host AS "jumpHost",
  r.jump_credentials_enc AS "jumpCredentialsEnc", r.tunnel_port AS "tunnelPort", r.host_key_sha256 AS "hostKeySha256",
  r.status, r.last_seen_at AS "lastSeenAt", r.provision_key_hash AS "provisionKeyHash",
  r.provision_key_expires_at AS "provisionKeyExpiresAt", r.router_token_hash AS "routerTokenHash",
  r.previous_router_token_hash AS "previousRouterTokenHash", r.previous_router_token_expires_at AS "previousRouterTokenExpiresAt",
  r.registered_at AS "registeredAt", r.network_info AS "networkInfo", r.boot_id AS "bootId", r.convergence,
  r.last_reconciled_at AS "lastReconciledAt", r.last_reconcile_error AS "lastReconcileError", r.time_zone AS "timeZone",
  r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;

/** What a create or an owner's change writes: each field maps to one column. */
export type RouterColumns = Pick<
  RouterEntity,
  | 'name' | 'host' | 'port' | 'username' | 'platform' | 'credentialsEnc' | 'authMethod' | 'options'
  | 'jumpHost' | 'jumpCredentialsEnc' | 'tunnelPort' | 'hostKeySha256' | 'timeZone'
>;

const COLUMN_OF: Record<keyof RouterColumns, string> = {
  name: 'name',
  host: 'host',
  port: 'port',
  username: 'username',
  platform: 'platform',
  credentialsEnc: 'credentials_enc',
  authMethod: 'auth_method',
  options: 'options',
  jumpHost: 'jump_host',
  jumpCredentialsEnc: 'jump_credentials_enc',
  tunnelPort: 'tunnel_port',
  hostKeySha256: 'host_key_sha256',
  timeZone: 'time_zone',
};

const JSON_COLUMNS = new Set<keyof RouterColumns>(['options', 'jumpHost']);
const param = (key: keyof RouterColumns, value: unknown) => (JSON_COLUMNS.has(key) && value !== null ? JSON.stringify(value) : value);

/** The routers and router_assignments tables: a router's own columns and who may use it. */
export class RoutersRepository {
  constructor(private readonly db: Sql) {}

  private q(tx?: Tx): Queryable {
    return tx ?? this.db;
  }

  async insert(values: RouterColumns & { id: string; ownerId: string }, tx?: Tx): Promise<RouterEntity> {
    const keys = Object.keys(COLUMN_OF) as (keyof RouterColumns)[];
    const rows = await this.q(tx).query<RouterEntity>(
      `INSERT INTO routers AS r (id, owner_id, ${keys.map((k) => COLUMN_OF[k]).join(', ')})
       VALUES ($1, $2, ${keys.map((_, i) => `$${i + 3}`).join(', ')})
       RETURNING ${ROUTER_COLUMNS}`,
      [values.id, values.ownerId, ...keys.map((k) => param(k, values[k]))],
    );
    return rows[0];
  }

  /**
   * Writes exactly the columns in `changes` (nothing read earlier is written back, so a
   * concurrent heartbeat or registration keeps what it wrote); null when the router is gone.
   */
  async update(id: string, changes: Partial<RouterColumns>, tx?: Tx): Promise<RouterEntity | null> {
    const keys = (Object.keys(changes) as (keyof RouterColumns)[]).filter((k) => changes[k] !== undefined);
    const sets = [...keys.map((k, i) => `${COLUMN_OF[k]} = $${i + 2}`), 'updated_at = now()'];
    const rows = await this.q(tx).query<RouterEntity>(
      `UPDATE routers r SET ${sets.join(', ')} WHERE r.id = $1 RETURNING ${ROUTER_COLUMNS}`,
      [id, ...keys.map((k) => param(k, changes[k]))],
    );
    return rows[0] ?? null;
  }

  async delete(id: string, tx?: Tx): Promise<boolean> {
    return (await this.q(tx).query('DELETE FROM routers WHERE id = $1 RETURNING id', [id])).length > 0;
  }

  async findById(id: string): Promise<RouterEntity | null> {
    return this.db.one<RouterEntity>(`SELECT ${ROUTER_COLUMNS} FROM routers r WHERE r.id = $1`, [id], 'routers_find');
  }

  /** A router the user may see (owned, assigned, or any for an admin), in one prepared round trip. */
  async findVisible(id: string, who: Visibility): Promise<{ router: RouterEntity; assigned: boolean } | null> {
    const row = await this.db.one<RouterEntity & { assigned: boolean }>(
      `SELECT ${ROUTER_COLUMNS},
              EXISTS (SELECT 1 FROM router_assignments a WHERE a.router_id = r.id AND a.user_id = $2::uuid) AS assigned
         FROM routers r WHERE r.id = $1::uuid`,
      [id, who.userId],
      'routers_find_visible',
    );
    if (!row) return null;
    const { assigned, ...router } = row;
    if (who.isAdmin || router.ownerId === who.userId || assigned) return { router, assigned: assigned && router.ownerId !== who.userId };
    return null;
  }

  /**
   * The routers among `ids` (or all, when null) that the user may operate (owned, assigned,
   * any for an admin), by id, `limit` at most.
   */
  async visibleIds(who: Visibility, ids: string[] | null, limit: number, tx: Tx): Promise<string[]> {
    // Locked against deletion until the caller's transaction ends (its rows refer to them).
    const rows = await tx.query<{ id: string }>(
      `SELECT r.id FROM routers r
        WHERE ($1::uuid[] IS NULL OR r.id = ANY($1::uuid[]))
          AND ($3 OR r.owner_id = $2::uuid OR EXISTS (SELECT 1 FROM router_assignments a WHERE a.router_id = r.id AND a.user_id = $2::uuid))
        ORDER BY r.id LIMIT $4 FOR KEY SHARE OF r`,
      [ids, who.userId, who.isAdmin, limit],
    );
    return rows.map((r) => r.id);
  }

  async findByIds(ids: string[]): Promise<RouterEntity[]> {
    if (!ids.length) return [];
    return this.db.query<RouterEntity>(`SELECT ${ROUTER_COLUMNS} FROM routers r WHERE r.id = ANY($1::uuid[])`, [ids]);
  }

  /** Trust on first use: pins the router's key unless one is pinned already (then that one stays). */
  async pinHostKey(id: string, key: string, tx?: Tx): Promise<boolean> {
    const rows = await this.q(tx).query(
      'UPDATE routers SET host_key_sha256 = $2, updated_at = now() WHERE id = $1 AND host_key_sha256 IS NULL RETURNING id',
      [id, key],
    );
    return rows.length > 0;
  }

  /** Trust on first use for the jump host's key, the same way. */
  async pinJumpHostKey(id: string, key: string, tx?: Tx): Promise<boolean> {
    const rows = await this.q(tx).query(
      `UPDATE routers SET jump_host = jsonb_set(jump_host, '{hostKeySha256}', to_jsonb($2::text)), updated_at = now()
        WHERE id = $1 AND jump_host IS NOT NULL AND NOT (jump_host ? 'hostKeySha256') RETURNING id`,
      [id, key],
    );
    return rows.length > 0;
  }

  /** Adds an assignment; false when it already existed. */
  async addAssignment(routerId: string, userId: string, assignedBy: string, tx?: Tx): Promise<boolean> {
    const rows = await this.q(tx).query(
      `INSERT INTO router_assignments (router_id, user_id, assigned_by) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING router_id`,
      [routerId, userId, assignedBy],
    );
    return rows.length > 0;
  }

  async removeAssignment(routerId: string, userId: string, tx?: Tx): Promise<boolean> {
    const rows = await this.q(tx).query('DELETE FROM router_assignments WHERE router_id = $1 AND user_id = $2 RETURNING router_id', [routerId, userId]);
    return rows.length > 0;
  }

  /**
   * The routers `ownerId` owns that other users are assigned to. Every router they own is
   * locked first (FOR UPDATE), and the assignments are read after, in a statement of its own:
   * an assignment added meanwhile either committed before the lock (and is seen) or waits
   * for this transaction (its foreign-key check needs the router row).
   */
  async ownedAndShared(ownerId: string, tx: Tx): Promise<{ id: string; name: string }[]> {
    await tx.query('SELECT id FROM routers WHERE owner_id = $1 FOR UPDATE', [ownerId]);
    return tx.query<{ id: string; name: string }>(
      `SELECT r.id, r.name FROM routers r
        WHERE r.owner_id = $1 AND EXISTS (SELECT 1 FROM router_assignments a WHERE a.router_id = r.id AND a.user_id <> $1)
        ORDER BY r.name, r.id`,
      [ownerId],
    );
  }

  /** Gives a router a new owner; an assignment of the new owner to it ends (they own it now). */
  async transfer(id: string, ownerId: string, tx: Tx): Promise<RouterEntity | null> {
    await tx.query('DELETE FROM router_assignments WHERE router_id = $1 AND user_id = $2', [id, ownerId]);
    const rows = await tx.query<RouterEntity>(`UPDATE routers r SET owner_id = $2, updated_at = now() WHERE r.id = $1 RETURNING ${ROUTER_COLUMNS}`, [id, ownerId]);
    return rows[0] ?? null;
  }

  /** A router's assignments, oldest first, after the cursor's; `limit` rows at most. */
  async listAssignments(routerId: string, limit: number, after: PageCursor | null): Promise<RouterAssignmentEntity[]> {
    // Cursors hold milliseconds (a JS Date); the ordering key is truncated to match.
    return this.db.query<RouterAssignmentEntity>(
      `SELECT router_id AS "routerId", user_id AS "userId", assigned_by AS "assignedBy", created_at AS "createdAt"
         FROM router_assignments
        WHERE router_id = $1 AND ($2::timestamptz IS NULL OR (date_trunc('milliseconds', created_at), user_id) > ($2::timestamptz, $3::uuid))
        ORDER BY date_trunc('milliseconds', created_at), user_id LIMIT $4`,
      [routerId, after?.at ?? null, after?.id ?? null, limit],
    );
  }
}
