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
              router_token_hash = $2, network_info = $3, registered_at = $4,
              status = 'online', last_seen_at = $4, updated_at = now()
        WHERE provision_key_hash = $1 AND provision_key_expires_at > $4
        RETURNING id`,
      [hash, values.routerTokenHash, JSON.stringify(values.networkInfo), now],
    );
    return rows[0] ?? null;
  }

  async findByRouterTokenHash(hash: string): Promise<RouterEntity | null> {
    return this.db.one<RouterEntity>(`SELECT ${ROUTER_COLUMNS} FROM routers r WHERE r.router_token_hash = $1`, [hash], 'routers_by_token');
  }

  async touchHeartbeat(id: string, now: Date): Promise<void> {
    await this.db.query(`UPDATE routers SET last_seen_at = $2, status = 'online', updated_at = now() WHERE id = $1`, [id, now], 'routers_heartbeat');
  }

  /** Marks routers silent since `before` offline; returns them. */
  async markOffline(before: Date): Promise<{ id: string; name: string }[]> {
    return this.db.query<{ id: string; name: string }>(
      `UPDATE routers SET status = 'offline', updated_at = now()
        WHERE status = 'online' AND last_seen_at < $1
        RETURNING id, name`,
      [before],
    );
  }
}
