import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { Batcher } from '../../lib/batcher';
import {
  BlockEntity,
  CommandEntity,
  DeviceEntity,
  RouterAssignmentEntity,
  RouterEntity,
  type BlockKind,
} from './router.entity';

export interface PageCursor {
  at: Date;
  id: string;
}

/** Opaque cursors: base64url of `<iso time>|<id>`. */
export function encodeCursor(c: PageCursor): string {
  return Buffer.from(`${c.at.toISOString()}|${c.id}`).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Cursor times PostgreSQL can hold and we could have written (years 1970 to 9999). */
const CURSOR_TIME_RANGE = [Date.UTC(1970, 0, 1), Date.UTC(10000, 0, 1)] as const;

/**
 * The cursor, or null if it is not one this API wrote. Strict, because a page query is read
 * together with other callers' (see listVisible): a value PostgreSQL refused would fail them too.
 */
export function decodeCursor(text: string): PageCursor | null {
  const [at, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  const time = date.getTime();
  if (rest.length || !id || !UUID.test(id) || !(time >= CURSOR_TIME_RANGE[0] && time < CURSOR_TIME_RANGE[1])) return null;
  return { at: date, id };
}

const ROUTER_COLUMNS = [
  'id', 'owner_id', 'name', 'host', 'port', 'username', 'platform', 'credentials_enc', 'auth_method', 'options',
  'jump_host', 'jump_credentials_enc', 'tunnel_port', 'host_key_sha256', 'status', 'last_seen_at',
  'provision_key_hash', 'provision_key_expires_at', 'router_token_hash', 'registered_at', 'network_info',
  'created_at', 'updated_at',
].map((c) => `r.${c}`).join(', ');

function blockFromRow(row: Record<string, unknown>): BlockEntity {
  return Object.assign(new BlockEntity(), {
    id: row.id,
    routerId: row.router_id,
    kind: row.kind,
    value: row.value,
    reason: row.reason,
    status: row.status,
    lastErrorCode: row.last_error_code,
    lastError: row.last_error,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    appliedAt: row.applied_at,
  });
}

/** A raw `routers` row as a RouterEntity (what TypeORM would build, without its overhead). */
function routerFromRow(row: Record<string, unknown>): RouterEntity {
  return Object.assign(new RouterEntity(), {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    host: row.host,
    port: row.port,
    username: row.username,
    platform: row.platform,
    credentialsEnc: row.credentials_enc,
    authMethod: row.auth_method,
    options: row.options,
    jumpHost: row.jump_host,
    jumpCredentialsEnc: row.jump_credentials_enc,
    tunnelPort: row.tunnel_port,
    hostKeySha256: row.host_key_sha256,
    status: row.status,
    lastSeenAt: row.last_seen_at,
    provisionKeyHash: row.provision_key_hash,
    provisionKeyExpiresAt: row.provision_key_expires_at,
    routerTokenHash: row.router_token_hash,
    registeredAt: row.registered_at,
    networkInfo: row.network_info,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it (PostgreSQL truncates to ms, like a JS Date). */
const isoSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A router as the API shows it (`toPublicRouter` in routers.service.ts), written by
 * PostgreSQL as compact JSON text for the listing's hot path: the row `v` (LISTED_COLUMNS),
 * for the caller given by two SQL expressions. A test checks that every listed item equals
 * what `GET /routers/:id` answers.
 */
const publicRouterJson = (callerIsAdmin: string, callerId: string) => `(SELECT row_to_json(p)::text FROM (SELECT
    v.id, v.name, v.host, v.port, v.username, v.platform, v.auth_method AS "authMethod",
    coalesce(v.options, '{}'::jsonb) AS options, v.jump_host AS "jumpHost", v.tunnel_port AS "tunnelPort",
    v.host_key_sha256 AS "hostKeySha256", v.status, ${isoSql('v.last_seen_at')} AS "lastSeenAt",
    ${isoSql('v.registered_at')} AS "registeredAt", v.owner_id AS "ownerId",
    CASE WHEN v.owner_id = ${callerId} THEN 'owner' WHEN ${callerIsAdmin} THEN 'admin' ELSE 'assigned' END AS access,
    ${isoSql('v.created_at')} AS "createdAt", ${isoSql('v.updated_at')} AS "updatedAt") p)`;

/**
 * The columns a listing shows. Credentials, token and key hashes and network info stay in
 * the database: the list never needs them, and sealed credentials are most of a row's bytes.
 */
const LISTED_COLUMNS = [
  'id', 'owner_id', 'name', 'host', 'port', 'username', 'platform', 'auth_method', 'options', 'jump_host',
  'tunnel_port', 'host_key_sha256', 'status', 'last_seen_at', 'registered_at', 'created_at', 'updated_at',
].map((c) => `r.${c}`).join(', ');

/** After the caller's cursor in (created_at, id) order; the first page starts below every row. */
const AFTER_CURSOR = `(r.created_at, r.id) > (coalesce(q.after_at, '-infinity'), coalesce(q.after_id, '00000000-0000-0000-0000-000000000000'))`;

/**
 * Pages of the router listing for many callers at once: the arrays `$1`..`$5` hold each
 * caller's admin flag, id, cursor (time, id) and page size; one row per caller comes back, in
 * order, with the page's items as JSON text, whether more follow, and the last item's key.
 *
 * Each caller's page is the first `limit + 1` rows (the extra one says whether another page
 * follows) of three branches merged in (created_at, id) order, of which only an admin's or
 * only a user's run: for an admin, all routers (routers_created_idx); for a user, their own
 * (routers_owner_idx) and those assigned to them (their assignments first, then sorted: the
 * fence keeps the planner from walking every router in order to find a few). The cost
 * follows the caller's routers and the page, not the size of the fleet.
 */
const LIST_VISIBLE_BATCH = `
  SELECT pg.items, pg.more, pg.last_at, pg.last_id
    FROM unnest($1::boolean[], $2::uuid[], $3::timestamptz[], $4::uuid[], $5::int[])
         WITH ORDINALITY AS q(is_admin, user_id, after_at, after_id, lim, i)
   CROSS JOIN LATERAL (
         SELECT string_agg(publicRouter.item, ',' ORDER BY v.n) FILTER (WHERE v.n <= q.lim) AS items,
                max(v.n) > q.lim AS more,
                max(v.created_at) FILTER (WHERE v.n = q.lim) AS last_at,
                max(v.id::text) FILTER (WHERE v.n = q.lim) AS last_id
           FROM (SELECT v.*, row_number() OVER (ORDER BY v.created_at, v.id) AS n
                   FROM ((SELECT ${LISTED_COLUMNS} FROM routers r
                           WHERE q.is_admin AND ${AFTER_CURSOR}
                           ORDER BY r.created_at, r.id LIMIT q.lim + 1)
                         UNION ALL
                         (SELECT ${LISTED_COLUMNS} FROM routers r
                           WHERE NOT q.is_admin AND r.owner_id = q.user_id AND ${AFTER_CURSOR}
                           ORDER BY r.created_at, r.id LIMIT q.lim + 1)
                         UNION ALL
                         (SELECT assigned.* FROM (
                                 SELECT ${LISTED_COLUMNS} FROM router_assignments a JOIN routers r ON r.id = a.router_id
                                  WHERE NOT q.is_admin AND a.user_id = q.user_id AND r.owner_id <> q.user_id AND ${AFTER_CURSOR}
                                 OFFSET 0) assigned
                           ORDER BY assigned.created_at, assigned.id LIMIT q.lim + 1)) v
                  ORDER BY v.created_at, v.id
                  LIMIT q.lim + 1) v
          CROSS JOIN LATERAL (SELECT ${publicRouterJson('q.is_admin', 'q.user_id')} AS item) publicRouter) pg
   ORDER BY q.i`;

interface ListRequest {
  who: Visibility;
  limit: number;
  after: PageCursor | null;
}

/** One page of the router listing: the items as a JSON array text, and where the next page starts. */
export interface ListedPage {
  itemsJson: string;
  next: PageCursor | null;
}

export interface Visibility {
  userId: string;
  isAdmin: boolean;
}

/** The only place routers, assignments, blocks, devices and commands touch TypeORM. */
export class RoutersRepository {
  constructor(private readonly ds: DataSource) {}

  private routers() {
    return this.ds.getRepository(RouterEntity);
  }

  async insertRouter(values: Partial<RouterEntity>): Promise<RouterEntity> {
    const repo = this.routers();
    return repo.save(repo.create(values));
  }

  async saveRouter(router: RouterEntity): Promise<RouterEntity> {
    return this.routers().save(router);
  }

  async deleteRouter(id: string): Promise<void> {
    await this.routers().delete({ id });
  }

  /** A router the user may see (owned, assigned, or any for an admin), in one prepared round trip. */
  async findVisible(id: string, who: Visibility): Promise<{ router: RouterEntity; assigned: boolean } | null> {
    const { rows } = await this.pool().query<Record<string, unknown>>({
      name: 'routers_find_visible',
      text: `SELECT ${ROUTER_COLUMNS},
                    EXISTS (SELECT 1 FROM router_assignments a WHERE a.router_id = r.id AND a.user_id = $2::uuid) AS assigned
               FROM routers r WHERE r.id = $1::uuid`,
      values: [id, who.userId],
    });
    const row = rows[0];
    if (!row) return null;
    const router = routerFromRow(row);
    const assigned = row.assigned === true;
    if (who.isAdmin || router.ownerId === who.userId || assigned) return { router, assigned: assigned && router.ownerId !== who.userId };
    return null;
  }

  /** The driver's pg pool, for named (server-side prepared) statements on hot paths. */
  private pool(): Pool {
    return (this.ds.driver as unknown as { master: Pool }).master;
  }

  /**
   * The hot path of `GET /routers`. PostgreSQL writes each page's items as the JSON the API
   * sends (publicRouterJson), so Node neither parses rows nor serialises them again. The
   * listings asked for during one turn of the event loop are read by one named (server-side
   * prepared) statement: under load that is one round trip for many requests, and equal
   * requests (same caller, same page) are read once. Each answer still comes from a read
   * that started after its request arrived (see Batcher).
   */
  listVisible(who: Visibility, limit: number, after: PageCursor | null): Promise<ListedPage> {
    return this.listBatcher.load({ who, limit, after });
  }

  private readonly listBatcher = new Batcher<ListRequest, ListedPage>(
    (requests) => this.listVisibleBatch(requests),
    (r) => `${r.who.isAdmin ? 'a' : 'u'}|${r.who.userId}|${r.limit}|${r.after ? `${r.after.at.getTime()}|${r.after.id}` : ''}`,
    64,
    // SQLSTATE class 22 (data exception) may be one caller's value; anything else is the database's.
    (err) => err instanceof Error && String((err as { code?: unknown }).code).startsWith('22'),
  );

  private async listVisibleBatch(requests: ListRequest[]): Promise<ListedPage[]> {
    const { rows } = await this.pool().query<{ items: string | null; more: boolean | null; last_at: Date | null; last_id: string | null }>({
      name: 'routers_list_visible',
      text: LIST_VISIBLE_BATCH,
      values: [
        requests.map((r) => r.who.isAdmin),
        requests.map((r) => r.who.userId),
        requests.map((r) => r.after?.at ?? null),
        requests.map((r) => r.after?.id ?? null),
        requests.map((r) => r.limit),
      ],
    });
    return rows.map((row) => ({
      itemsJson: `[${row.items ?? ''}]`,
      next: row.more && row.last_at && row.last_id ? { at: row.last_at, id: row.last_id } : null,
    }));
  }

  async findByProvisionKeyHash(hash: string): Promise<RouterEntity | null> {
    return this.routers().findOne({ where: { provisionKeyHash: hash } });
  }

  async findByRouterTokenHash(hash: string): Promise<RouterEntity | null> {
    return this.routers().findOne({ where: { routerTokenHash: hash } });
  }

  /** Spends a provision key atomically: only one caller can exchange it for a router token. */
  async spendProvisionKey(
    hash: string,
    now: Date,
    values: { routerTokenHash: string; networkInfo: Record<string, unknown> },
  ): Promise<RouterEntity | null> {
    const rows: { id: string }[] = await this.ds.query(
      `UPDATE routers
          SET provision_key_hash = NULL, provision_key_expires_at = NULL,
              router_token_hash = $2, network_info = $3, registered_at = $4,
              status = 'online', last_seen_at = $4, updated_at = now()
        WHERE provision_key_hash = $1 AND provision_key_expires_at > $4
        RETURNING id`,
      [hash, values.routerTokenHash, JSON.stringify(values.networkInfo), now],
    );
    const id = Array.isArray(rows[0]) ? (rows[0] as { id: string }[])[0]?.id : rows[0]?.id;
    return id ? this.routers().findOne({ where: { id } }) : null;
  }

  async touchHeartbeat(id: string, now: Date): Promise<void> {
    await this.routers().update({ id }, { lastSeenAt: now, status: 'online' });
  }

  /** Marks routers silent since `before` offline; returns them. */
  async markOffline(before: Date): Promise<{ id: string; name: string }[]> {
    const result: [{ id: string; name: string }[], number] = await this.ds.query(
      `UPDATE routers SET status = 'offline', updated_at = now()
        WHERE status = 'online' AND last_seen_at < $1
        RETURNING id, name`,
      [before],
    );
    return result[0];
  }

  /** Adds an assignment; false when it already existed. */
  async addAssignment(routerId: string, userId: string, assignedBy: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO router_assignments (router_id, user_id, assigned_by) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING router_id`,
      [routerId, userId, assignedBy],
    );
    return rows.length > 0;
  }

  async removeAssignment(routerId: string, userId: string): Promise<boolean> {
    const res = await this.ds.getRepository(RouterAssignmentEntity).delete({ routerId, userId });
    return (res.affected ?? 0) > 0;
  }

  async listAssignments(routerId: string): Promise<RouterAssignmentEntity[]> {
    return this.ds.getRepository(RouterAssignmentEntity).find({ where: { routerId }, order: { createdAt: 'ASC' } });
  }

  // --- blocks -------------------------------------------------------------------------
  // The block and unblock paths run one statement per step on the driver's pool (named,
  // so each connection prepares it once): no query runner, no query builder.

  async findBlock(routerId: string, id: string): Promise<BlockEntity | null> {
    const { rows } = await this.pool().query<Record<string, unknown>>({
      name: 'blocks_find',
      text: 'SELECT * FROM blocks WHERE router_id = $1 AND id = $2',
      values: [routerId, id],
    });
    return rows[0] ? blockFromRow(rows[0]) : null;
  }

  async findBlockByValue(routerId: string, kind: BlockKind, value: string): Promise<BlockEntity | null> {
    return this.ds.getRepository(BlockEntity).findOne({ where: { routerId, kind, value } });
  }

  async listBlocks(routerId: string): Promise<BlockEntity[]> {
    return this.ds.getRepository(BlockEntity).find({ where: { routerId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /**
   * Inserts the desired block, or returns the existing one (one row per router and address),
   * and the command that will apply it, in one statement: one round trip and one commit
   * before the router is called, where there were two. The command is the `run` lifecycle's
   * pending row (see insertCommand).
   */
  async upsertBlockWithCommand(
    values: Pick<BlockEntity, 'routerId' | 'kind' | 'value' | 'reason' | 'createdBy'>,
    command: Pick<CommandEntity, 'action' | 'params' | 'sessionId' | 'requestId'>,
  ): Promise<{ block: BlockEntity; created: boolean; command: { id: string } }> {
    // Two identical requests at once: the loser's INSERT waits for the winner, does nothing,
    // and its statement's snapshot predates the winner's row, so it finds no block. The
    // winner has committed by then; the same statement again sees its row.
    for (let attempt = 0; ; attempt++) {
      const found = await this.tryUpsertBlockWithCommand(values, command);
      if (found || attempt === 2) {
        if (!found) throw new Error('block row not found after upsert');
        return found;
      }
    }
  }

  private async tryUpsertBlockWithCommand(
    values: Pick<BlockEntity, 'routerId' | 'kind' | 'value' | 'reason' | 'createdBy'>,
    command: Pick<CommandEntity, 'action' | 'params' | 'sessionId' | 'requestId'>,
  ): Promise<{ block: BlockEntity; created: boolean; command: { id: string } } | null> {
    const { rows } = await this.pool().query<Record<string, unknown>>({
      name: 'blocks_upsert_with_command',
      text: `WITH ins AS (
               INSERT INTO blocks (router_id, kind, value, reason, status, created_by)
               VALUES ($1, $2, $3, $4, 'pending', $5)
               ON CONFLICT (router_id, kind, value) DO NOTHING
               RETURNING *, true AS created),
             b AS (
               SELECT * FROM ins
               UNION ALL
               SELECT *, false AS created FROM blocks
                WHERE router_id = $1 AND kind = $2 AND value = $3 AND NOT EXISTS (SELECT 1 FROM ins)),
             -- From b, so that no command is left behind when there is no block row to act on.
             cmd AS (
               INSERT INTO commands (router_id, action, params, status, requested_by, session_id, request_id)
               SELECT $1, $6::text, $7::jsonb, 'pending', $5, $8::uuid, $9::text FROM b
               RETURNING id)
           SELECT b.*, cmd.id AS command_id FROM b, cmd`,
      values: [
        values.routerId, values.kind, values.value, values.reason, values.createdBy,
        command.action, JSON.stringify(command.params), command.sessionId, command.requestId,
      ],
    });
    if (!rows[0]) return null;
    return { block: blockFromRow(rows[0]), created: rows[0].created === true, command: { id: rows[0].command_id as string } };
  }

  /** Writes a block's state fields with one UPDATE (no read-before-write). */
  async updateBlock(block: BlockEntity): Promise<void> {
    await this.pool().query({
      name: 'blocks_update_state',
      text: 'UPDATE blocks SET status = $2, last_error_code = $3, last_error = $4, applied_at = $5, updated_at = now() WHERE id = $1',
      values: [block.id, block.status, block.lastErrorCode, block.lastError, block.appliedAt],
    });
  }

  /** Marks a block `removing` and returns it, in one round trip; null when the router has no such block. */
  async markBlockRemoving(routerId: string, id: string): Promise<BlockEntity | null> {
    const { rows } = await this.pool().query<Record<string, unknown>>({
      name: 'blocks_mark_removing',
      text: `UPDATE blocks SET status = 'removing', updated_at = now() WHERE router_id = $1 AND id = $2 RETURNING *`,
      values: [routerId, id],
    });
    return rows[0] ? blockFromRow(rows[0]) : null;
  }

  async deleteBlock(id: string): Promise<void> {
    await this.pool().query({ name: 'blocks_delete', text: 'DELETE FROM blocks WHERE id = $1', values: [id] });
  }

  // --- devices ------------------------------------------------------------------------

  /** Upserts scanned devices by MAC: first seen stays, the rest is refreshed. */
  async upsertDevices(
    routerId: string,
    devices: { mac: string; ip: string | null; hostname: string | null; vendor: string | null; interface: string | null; source: string }[],
    seenAt: Date,
  ): Promise<void> {
    if (!devices.length) return;
    const values: unknown[] = [];
    const rows = devices.map((d, i) => {
      const o = i * 7;
      values.push(routerId, d.mac, d.ip, d.hostname, d.vendor, d.interface, d.source);
      return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}, $${devices.length * 7 + 1}, $${devices.length * 7 + 1})`;
    });
    values.push(seenAt);
    await this.ds.query(
      `INSERT INTO devices (router_id, mac, ip, hostname, vendor, interface, source, first_seen_at, last_seen_at)
       VALUES ${rows.join(', ')}
       ON CONFLICT (router_id, mac) DO UPDATE SET
         ip = EXCLUDED.ip,
         hostname = COALESCE(EXCLUDED.hostname, devices.hostname),
         vendor = COALESCE(EXCLUDED.vendor, devices.vendor),
         interface = COALESCE(EXCLUDED.interface, devices.interface),
         source = EXCLUDED.source,
         last_seen_at = EXCLUDED.last_seen_at`,
      values,
    );
  }

  async listDevices(routerId: string): Promise<DeviceEntity[]> {
    return this.ds.getRepository(DeviceEntity).find({ where: { routerId }, order: { lastSeenAt: 'DESC', mac: 'ASC' } });
  }

  // --- commands -----------------------------------------------------------------------

  /** A new commands row in state pending, in one round trip. */
  async insertCommand(values: Pick<CommandEntity, 'routerId' | 'action' | 'params' | 'requestedBy' | 'sessionId' | 'requestId'>): Promise<{ id: string }> {
    const { rows } = await this.pool().query<{ id: string }>({
      name: 'commands_insert',
      text: `INSERT INTO commands (router_id, action, params, status, requested_by, session_id, request_id)
             VALUES ($1, $2, $3::jsonb, 'pending', $4, $5, $6) RETURNING id`,
      values: [values.routerId, values.action, JSON.stringify(values.params), values.requestedBy, values.sessionId, values.requestId],
    });
    return rows[0];
  }

  /** pending → sent; guarded so that a late write can never overwrite the final state. */
  async markCommandSent(id: string, at: Date): Promise<void> {
    await this.pool().query({
      name: 'commands_mark_sent',
      text: `UPDATE commands SET status = 'sent', sent_at = $2 WHERE id = $1 AND status = 'pending'`,
      values: [id, at],
    });
  }

  /** sent → succeeded | failed, with duration and error. */
  async finishCommand(
    id: string,
    values: { status: 'succeeded' | 'failed'; durationMs: number; errorCode?: string | null; errorMessage?: string | null; sentAt: Date },
  ): Promise<void> {
    await this.pool().query({
      name: 'commands_finish',
      text: `UPDATE commands SET status = $2, duration_ms = $3, error_code = $4, error_message = $5,
                    sent_at = COALESCE(sent_at, $6), finished_at = clock_timestamp()
              WHERE id = $1`,
      values: [id, values.status, values.durationMs, values.errorCode ?? null, values.errorMessage ?? null, values.sentAt],
    });
  }

  async listCommands(routerId: string, limit: number, before: PageCursor | null): Promise<CommandEntity[]> {
    const qb = this.ds.getRepository(CommandEntity).createQueryBuilder('c').where('c.router_id = :routerId', { routerId });
    if (before) qb.andWhere('(c.created_at, c.id) < (:at, :id)', { at: before.at, id: before.id });
    return qb.orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC').limit(limit).getMany();
  }
}
