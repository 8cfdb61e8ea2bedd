import type { DataSource } from 'typeorm';
import { queryRows } from '../../lib/sql';
import type { Tx } from '../../lib/transactions';
import type { Role } from '../users/user.entity';
import { RefreshTokenEntity, SessionEntity } from './session.entity';

/** A session with the few user facts an authenticated request needs. */
export interface ActiveSession {
  session: SessionEntity;
  user: { id: string; username: string; role: Role; disabled: boolean };
}

export interface SessionListRow extends SessionEntity {
  username: string;
}

export type RefreshOutcome =
  | { kind: 'rotated'; session: SessionEntity }
  | { kind: 'reused'; sessionId: string }
  | { kind: 'unknown' };

interface RawSessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

function sessionFromRaw(r: RawSessionRow): SessionEntity {
  return Object.assign(new SessionEntity(), {
    id: r.id,
    userId: r.user_id,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    ip: r.ip,
    userAgent: r.user_agent,
    revokedAt: r.revoked_at,
    revokedReason: r.revoked_reason,
  });
}

const SESSION_COLUMNS = 's.id, s.user_id, s.created_at, s.last_used_at, s.expires_at, s.ip, s.user_agent, s.revoked_at, s.revoked_reason';

export class SessionsRepository {
  constructor(private readonly ds: DataSource) {}

  private m(tx?: Tx) {
    return tx ?? this.ds.manager;
  }

  /** A new session with its first refresh token (stored only as a hash). */
  async create(
    input: { userId: string; expiresAt: Date; ip: string | null; userAgent: string | null; refreshTokenHash: string },
    tx?: Tx,
  ): Promise<SessionEntity> {
    const m = this.m(tx);
    const session = await m.getRepository(SessionEntity).save(
      m.getRepository(SessionEntity).create({
        userId: input.userId,
        expiresAt: input.expiresAt,
        ip: input.ip,
        userAgent: input.userAgent,
      }),
    );
    await m.getRepository(RefreshTokenEntity).insert({ sessionId: session.id, tokenHash: input.refreshTokenHash });
    return session;
  }

  /**
   * Spends `presentedHash` and stores `nextHash` in its place, atomically: of two requests
   * racing with the same token only one can win the `spent_at IS NULL` update. A token that
   * exists but was spent already is reported as reuse.
   */
  async rotateRefreshToken(presentedHash: string, nextHash: string): Promise<RefreshOutcome> {
    return this.ds.transaction(async (m) => {
      const spent = await queryRows<{ session_id: string }>(
        m,
        `UPDATE refresh_tokens rt SET spent_at = now()
           FROM sessions s
          WHERE rt.token_hash = $1 AND rt.spent_at IS NULL AND s.id = rt.session_id
            AND s.revoked_at IS NULL AND s.expires_at > now()
        RETURNING rt.session_id`,
        [presentedHash],
      );
      if (spent.length === 1) {
        const sessionId = spent[0].session_id;
        await m.getRepository(RefreshTokenEntity).insert({ sessionId, tokenHash: nextHash });
        const rows = await queryRows<RawSessionRow>(
          m,
          `UPDATE sessions s SET last_used_at = now() WHERE s.id = $1 RETURNING ${SESSION_COLUMNS}`,
          [sessionId],
        );
        return { kind: 'rotated', session: sessionFromRaw(rows[0]) };
      }
      const known = await m.getRepository(RefreshTokenEntity).findOne({ where: { tokenHash: presentedHash } });
      if (known?.spentAt) return { kind: 'reused', sessionId: known.sessionId };
      return { kind: 'unknown' };
    });
  }

  /**
   * The session if it is active (not revoked, not expired) and its user, in one round trip;
   * marks it used. Called at most once per cache period per replica.
   */
  async touchActive(sessionId: string): Promise<ActiveSession | null> {
    const rows = await queryRows<RawSessionRow & { username: string; role: Role; disabled: boolean }>(
      this.ds,
      `UPDATE sessions s SET last_used_at = now()
         FROM users u
        WHERE s.id = $1 AND u.id = s.user_id AND s.revoked_at IS NULL AND s.expires_at > now()
      RETURNING ${SESSION_COLUMNS}, u.username, u.role, u.disabled`,
      [sessionId],
    );
    if (!rows.length) return null;
    const r = rows[0];
    return { session: sessionFromRaw(r), user: { id: r.user_id, username: r.username, role: r.role, disabled: r.disabled } };
  }

  findById(id: string): Promise<SessionEntity | null> {
    return this.ds.getRepository(SessionEntity).findOne({ where: { id } });
  }

  /** Active sessions, newest first; all users' unless `userId` is given. */
  async listActive(filter: { userId?: string } = {}): Promise<SessionListRow[]> {
    const params: unknown[] = [];
    let extra = '';
    if (filter.userId) {
      params.push(filter.userId);
      extra = 'AND s.user_id = $1';
    }
    const rows = await queryRows<RawSessionRow & { username: string }>(
      this.ds,
      `SELECT ${SESSION_COLUMNS}, u.username FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.revoked_at IS NULL AND s.expires_at > now() ${extra}
        ORDER BY s.created_at DESC, s.id`,
      params,
    );
    return rows.map((r) => Object.assign(sessionFromRaw(r), { username: r.username }));
  }

  /** Revokes one session if it is still active; true when this call revoked it. */
  async revoke(sessionId: string, reason: string, tx?: Tx): Promise<boolean> {
    const rows = await queryRows<unknown>(
      this.m(tx),
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
        WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
      [sessionId, reason],
    );
    return rows.length === 1;
  }

  /** Revokes every active session of a user except `exceptId`; returns the ids revoked. */
  async revokeAllForUser(userId: string, reason: string, opts: { exceptId?: string } = {}, tx?: Tx): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.m(tx),
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
        WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)
      RETURNING id`,
      [userId, reason, opts.exceptId ?? null],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Marks every session past its expiry as revoked ('expired') and returns them. The UPDATE
   * claims each row once, so several replicas running the sweep never end one twice.
   */
  async expireDue(limit = 500): Promise<{ id: string; userId: string }[]> {
    const rows = await queryRows<{ id: string; user_id: string }>(
      this.ds,
      `UPDATE sessions SET revoked_at = now(), revoked_reason = 'expired'
        WHERE id IN (
          SELECT id FROM sessions WHERE revoked_at IS NULL AND expires_at <= now()
          ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING id, user_id`,
      [limit],
    );
    return rows.map((r) => ({ id: r.id, userId: r.user_id }));
  }

  /** Spent refresh tokens of sessions that ended a day ago or more are no longer needed for reuse detection. */
  async pruneRefreshTokens(): Promise<number> {
    const rows = await queryRows<unknown>(
      this.ds,
      `DELETE FROM refresh_tokens rt USING sessions s
        WHERE rt.session_id = s.id AND s.revoked_at < now() - interval '1 day'
      RETURNING rt.id`,
    );
    return rows.length;
  }
}
