import type { Queryable, Sql, Tx } from '../../db/sql';
import type { PageCursor } from '../../lib/cursor';
import type { Role } from '../users/user.entity';
import type { SessionEntity } from './session.entity';
import { deleteOlderThan } from '../../db/retention';

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

const SESSION_COLUMNS = `s.id, s.user_id AS "userId", s.created_at AS "createdAt", s.last_used_at AS "lastUsedAt",
  s.expires_at AS "expiresAt", s.ip, s.user_agent AS "userAgent", s.revoked_at AS "revokedAt", s.revoked_reason AS "revokedReason"`;

export class SessionsRepository {
  constructor(private readonly db: Sql) {}

  private q(tx?: Tx): Queryable {
    return tx ?? this.db;
  }

  /** A new session with its first refresh token (stored only as a hash). */
  async create(
    input: { userId: string; expiresAt: Date; ip: string | null; userAgent: string | null; refreshTokenHash: string },
    tx?: Tx,
  ): Promise<SessionEntity> {
    // One statement: the session and its first refresh token commit together.
    const rows = await this.q(tx).query<SessionEntity>(
      `WITH s AS (
         INSERT INTO sessions (user_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4) RETURNING *),
       t AS (INSERT INTO refresh_tokens (session_id, token_hash) SELECT id, $5 FROM s)
       SELECT ${SESSION_COLUMNS} FROM s`,
      [input.userId, input.expiresAt, input.ip, input.userAgent, input.refreshTokenHash],
    );
    return rows[0];
  }

  /**
   * Spends `presentedHash` and stores `nextHash` in its place, atomically: of two requests
   * racing with the same token only one can win the `spent_at IS NULL` update. A token that
   * exists but was spent already is reported as reuse.
   */
  async rotateRefreshToken(presentedHash: string, nextHash: string): Promise<RefreshOutcome> {
    return this.db.transaction(async (tx) => {
      const spent = await tx.query<{ session_id: string }>(
        `UPDATE refresh_tokens rt SET spent_at = now()
           FROM sessions s
          WHERE rt.token_hash = $1 AND rt.spent_at IS NULL AND s.id = rt.session_id
            AND s.revoked_at IS NULL AND s.expires_at > now()
        RETURNING rt.session_id`,
        [presentedHash],
      );
      if (spent.length === 1) {
        const sessionId = spent[0].session_id;
        await tx.query('INSERT INTO refresh_tokens (session_id, token_hash) VALUES ($1, $2)', [sessionId, nextHash]);
        const rows = await tx.query<SessionEntity>(
          `UPDATE sessions s SET last_used_at = now() WHERE s.id = $1 RETURNING ${SESSION_COLUMNS}`,
          [sessionId],
        );
        return { kind: 'rotated', session: rows[0] };
      }
      const known = await tx.query<{ session_id: string; spent: boolean }>(
        'SELECT session_id, spent_at IS NOT NULL AS spent FROM refresh_tokens WHERE token_hash = $1',
        [presentedHash],
      );
      if (known[0]?.spent) return { kind: 'reused', sessionId: known[0].session_id };
      return { kind: 'unknown' };
    });
  }

  /**
   * The session if it is active (not revoked, not expired) and its user, in one round trip;
   * marks it used. Called at most once per cache period per replica.
   */
  async touchActive(sessionId: string): Promise<ActiveSession | null> {
    const rows = await this.db.query<SessionEntity & { username: string; role: Role; disabled: boolean }>(
      `UPDATE sessions s SET last_used_at = now()
         FROM users u
        WHERE s.id = $1 AND u.id = s.user_id AND s.revoked_at IS NULL AND s.expires_at > now()
      RETURNING ${SESSION_COLUMNS}, u.username, u.role, u.disabled`,
      [sessionId],
    );
    if (!rows.length) return null;
    const { username, role, disabled, ...session } = rows[0];
    return { session, user: { id: session.userId, username, role, disabled } };
  }

  async findById(id: string): Promise<SessionEntity | null> {
    return (await this.db.query<SessionEntity>(`SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id = $1`, [id]))[0] ?? null;
  }

  /** Active sessions, newest first, before the cursor's; all users' unless `userId` is given; `limit` rows at most. */
  async listActive(filter: { userId?: string }, limit: number, before: PageCursor | null): Promise<SessionListRow[]> {
    // Cursors hold milliseconds (a JS Date); the ordering key is truncated to match.
    return this.db.query<SessionListRow>(
      `SELECT ${SESSION_COLUMNS}, u.username FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.revoked_at IS NULL AND s.expires_at > now() AND ($1::uuid IS NULL OR s.user_id = $1::uuid)
          AND ($2::timestamptz IS NULL OR (date_trunc('milliseconds', s.created_at), s.id) < ($2::timestamptz, $3::uuid))
        ORDER BY date_trunc('milliseconds', s.created_at) DESC, s.id DESC LIMIT $4`,
      [filter.userId ?? null, before?.at ?? null, before?.id ?? null, limit],
    );
  }

  /**
   * Ends a user's active sessions beyond the `keep` most recently used (reason
   * 'session_limit'); returns the ids ended.
   */
  async revokeBeyond(userId: string, keep: number, tx?: Tx): Promise<string[]> {
    const rows = await this.q(tx).query<{ id: string }>(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = 'session_limit'
        WHERE id IN (
          SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL
          ORDER BY last_used_at DESC, created_at DESC OFFSET $2)
      RETURNING id`,
      [userId, keep],
    );
    return rows.map((r) => r.id);
  }

  /** Sessions ended more than `days` ago (their refresh tokens go by cascade), in batches; the number deleted. */
  deleteEndedBefore(days: number): Promise<number> {
    return deleteOlderThan(this.db, 'sessions', 'revoked_at', days);
  }

  /** Revokes one session if it is still active; true when this call revoked it. */
  async revoke(sessionId: string, reason: string, tx?: Tx): Promise<boolean> {
    const rows = await this.q(tx).query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
        WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
      [sessionId, reason],
    );
    return rows.length === 1;
  }

  /** Revokes every active session of a user except `exceptId`; returns the ids revoked. */
  async revokeAllForUser(userId: string, reason: string, opts: { exceptId?: string } = {}, tx?: Tx): Promise<string[]> {
    const rows = await this.q(tx).query<{ id: string }>(
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
    const rows = await this.db.query<{ id: string; user_id: string }>(
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
    const rows = await this.db.query(
      `DELETE FROM refresh_tokens rt USING sessions s
        WHERE rt.session_id = s.id AND s.revoked_at < now() - interval '1 day'
      RETURNING rt.id`,
    );
    return rows.length;
  }
}
