import type { Queryable, Sql, Tx } from '../../db/sql';
import type { RouterEntity } from '../routers/router.entity';
import { ROUTER_COLUMNS } from '../routers/routers.repository';

/** The columns of `routers` that onboarding and liveness own: provision key, router token, heartbeats. */
export class OnboardingRepository {
  constructor(private readonly db: Sql) {}

  private q(tx?: Tx): Queryable {
    return tx ?? this.db;
  }

  /** Stores a new provision key's hash and expiry (and nothing else of the router). */
  async setProvisionKey(id: string, hash: string, expiresAt: Date, tx?: Tx): Promise<boolean> {
    const rows = await this.q(tx).query(
      'UPDATE routers SET provision_key_hash = $2, provision_key_expires_at = $3, updated_at = now() WHERE id = $1 RETURNING id',
      [id, hash, expiresAt],
    );
    return rows.length > 0;
  }

  /** Spends a provision key atomically: only one caller can exchange it for a router token. */
  async spendProvisionKey(
    hash: string,
    now: Date,
    values: { routerTokenHash: string; networkInfo: Record<string, unknown> },
    tx?: Tx,
  ): Promise<{ id: string } | null> {
    const rows = await this.q(tx).query<{ id: string }>(
      `UPDATE routers
          SET provision_key_hash = NULL, provision_key_expires_at = NULL,
              router_token_hash = $2, previous_router_token_hash = NULL, previous_router_token_expires_at = NULL,
              network_info = $3, registered_at = $4,
              status = 'online', last_seen_at = $4, updated_at = now()
        WHERE provision_key_hash = $1 AND provision_key_expires_at > $4
        RETURNING id`,
      [hash, values.routerTokenHash, JSON.stringify(values.networkInfo), now],
    );
    return rows[0] ?? null;
  }

  /** The router of a token: its current one, or the one before a rotation while its grace period lasts (database clock). */
  async findByRouterTokenHash(hash: string): Promise<RouterEntity | null> {
    return this.db.one<RouterEntity>(
      `(SELECT ${ROUTER_COLUMNS} FROM routers r WHERE r.router_token_hash = $1)
       UNION ALL
       (SELECT ${ROUTER_COLUMNS} FROM routers r WHERE r.previous_router_token_hash = $1 AND r.previous_router_token_expires_at > now())
       LIMIT 1`,
      [hash],
      'routers_by_token',
    );
  }

  /**
   * A new router token: the current one becomes the previous one, accepted for `graceMs` more
   * (one before it stops at once). Returns when the previous one stops; null when the router
   * has no token (never registered) or is gone.
   */
  async rotateToken(id: string, newHash: string, graceMs: number, tx?: Tx): Promise<{ previousExpiresAt: Date } | null> {
    const rows = await this.q(tx).query<{ previousExpiresAt: Date }>(
      `UPDATE routers SET previous_router_token_hash = router_token_hash,
              previous_router_token_expires_at = now() + $3 * interval '1 millisecond',
              router_token_hash = $2, updated_at = now()
        WHERE id = $1 AND router_token_hash IS NOT NULL
        RETURNING previous_router_token_expires_at AS "previousExpiresAt"`,
      [id, newHash, graceMs],
    );
    return rows[0] ?? null;
  }

  /**
   * What a router reports of its network: merged into its network info; a new SSH address
   * or tunnel port (already checked against the destination rules) where given.
   */
  async updateNetwork(id: string, values: { networkInfo: Record<string, unknown>; host: string | null; tunnelPort: number | null }, tx?: Tx): Promise<RouterEntity | null> {
    const rows = await this.q(tx).query<RouterEntity>(
      `UPDATE routers r SET network_info = COALESCE(r.network_info, '{}'::jsonb) || $2::jsonb,
              host = COALESCE($3, r.host), tunnel_port = COALESCE($4, r.tunnel_port), updated_at = now()
        WHERE r.id = $1 RETURNING ${ROUTER_COLUMNS}`,
      [id, JSON.stringify(values.networkInfo), values.host, values.tunnelPort],
    );
    return rows[0] ?? null;
  }

  /**
   * Records a heartbeat at the database's clock (every replica agrees on it): online, last
   * seen now, the boot id and uptime it reported. Returns what was stored before, so the
   * caller can tell a reboot or a return.
   */
  async recordHeartbeat(
    id: string,
    report: { bootId: string | null; uptimeSeconds: number | null },
  ): Promise<{ lastSeenAt: Date; before: { status: string; bootId: string | null; uptimeSeconds: number | null } } | null> {
    const rows = await this.db.query<{ last_seen_at: Date; status: string; boot_id: string | null; uptime_seconds: string | null }>(
      `UPDATE routers r
          SET last_seen_at = now(), status = 'online', boot_id = COALESCE($2, r.boot_id),
              uptime_seconds = COALESCE($3, r.uptime_seconds)
         FROM (SELECT status, boot_id, uptime_seconds FROM routers WHERE id = $1 FOR UPDATE) before
        WHERE r.id = $1
       RETURNING r.last_seen_at, before.status, before.boot_id, before.uptime_seconds`,
      [id, report.bootId, report.uptimeSeconds === null ? null : Math.floor(report.uptimeSeconds)],
      'routers_heartbeat',
    );
    const row = rows[0];
    if (!row) return null;
    return {
      lastSeenAt: row.last_seen_at,
      before: { status: row.status, bootId: row.boot_id, uptimeSeconds: row.uptime_seconds === null ? null : Number(row.uptime_seconds) },
    };
  }

  /**
   * Marks offline the routers that send heartbeats (they have a router token) and have been
   * silent for `silentMs` by the database's clock; returns them. Routers without heartbeats
   * get their status from what actions observe.
   */
  async markOffline(silentMs: number): Promise<{ id: string; name: string }[]> {
    return this.db.query<{ id: string; name: string }>(
      `UPDATE routers SET status = 'offline'
        WHERE status = 'online' AND router_token_hash IS NOT NULL
          AND last_seen_at < now() - $1 * interval '1 millisecond'
        RETURNING id, name`,
      [silentMs],
    );
  }
}
