import { randomToken, sha256Hex } from '../../lib/tokens';
import type { PageRequest } from '../../http/common.schemas';
import { cursorOf, pageOf } from '../../lib/cursor';
import type { Transactor, Tx } from '../../db/sql';
import type { AuditActor, AuditService } from '../audit/audit.service';
import type { Publish } from '../stream/stream.events';
import type { ExecutorSessions } from './executor-sessions';
import type { SessionCache } from './session-cache';
import type { SessionEntity } from './session.entity';
import type { ActiveSession, SessionsRepository } from './sessions.repository';
import { AuthErrors } from '../auth/auth.errors';
import { SessionErrors } from './sessions.errors';

/** A session as the API shows it: never a token or a hash. */
export interface SessionView {
  id: string;
  userId: string;
  username?: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current?: boolean;
}

export type RevokeReason =
  | 'logout'
  | 'terminated_by_user'
  | 'terminated_by_admin'
  | 'password_changed'
  | 'password_reset'
  | 'mfa_enabled'
  | 'user_disabled'
  | 'user_deleted'
  | 'refresh_token_reuse'
  | 'session_limit'
  | 'expired';

export function toSessionView(s: SessionEntity & { username?: string }, currentId?: string): SessionView {
  const view: SessionView = {
    id: s.id,
    userId: s.userId,
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    ip: s.ip,
    userAgent: s.userAgent,
  };
  if (s.username !== undefined) view.username = s.username;
  if (currentId !== undefined) view.current = s.id === currentId;
  return view;
}

export interface SessionsServiceDeps {
  repo: SessionsRepository;
  cache: SessionCache;
  executorSessions: ExecutorSessions;
  audit: AuditService;
  transaction: Transactor;
  /** Absolute lifetime of a login session (and so of its refresh tokens). */
  sessionTtlSeconds: number;
  /** Active sessions a user may have; a login beyond it ends the least recently used. */
  maxSessionsPerUser: number;
  /** Tells every replica's live streams (the ended sessions' own streams close). */
  publish?: Publish;
}

/**
 * Login sessions: the row that every access token is bound to, its rotating refresh token,
 * and the executor session of the same id.
 */
export class SessionsService {
  constructor(private readonly deps: SessionsServiceDeps) {}

  /**
   * Opens a session with a fresh refresh token; the raw token exists only in the return value.
   * The user's least recently used sessions beyond `maxSessionsPerUser` end (`ended`: pass
   * them to finishRevocation once the transaction has committed).
   */
  async open(
    input: { userId: string; ip: string | null; userAgent: string | null },
    tx: Tx,
  ): Promise<{ session: SessionEntity; refreshToken: string; ended: string[] }> {
    const refreshToken = randomToken(32);
    const session = await this.deps.repo.create(
      {
        userId: input.userId,
        ip: input.ip,
        userAgent: input.userAgent ? input.userAgent.slice(0, 512) : null,
        expiresAt: new Date(Date.now() + this.deps.sessionTtlSeconds * 1000),
        refreshTokenHash: sha256Hex(refreshToken),
      },
      tx,
    );
    const ended = await this.deps.repo.revokeBeyond(input.userId, this.deps.maxSessionsPerUser, tx);
    return { session, refreshToken, ended };
  }

  /** Starts the executor session once the login has committed (best effort). */
  startExecutorSession(sessionId: string): Promise<boolean> {
    return this.deps.executorSessions.start(sessionId);
  }

  /**
   * Spends a refresh token and hands out its successor. A spent token presented again means
   * it was copied: the whole session is revoked and the event audited.
   */
  async rotate(refreshToken: string, actor: AuditActor): Promise<{ session: SessionEntity; refreshToken: string }> {
    const next = randomToken(32);
    const outcome = await this.deps.repo.rotateRefreshToken(sha256Hex(refreshToken), sha256Hex(next));
    if (outcome.kind === 'rotated') return { session: outcome.session, refreshToken: next };
    if (outcome.kind === 'reused') {
      const session = await this.deps.repo.findById(outcome.sessionId);
      const revoked = await this.deps.repo.revoke(outcome.sessionId, 'refresh_token_reuse');
      if (revoked) await this.finishRevocation([outcome.sessionId]);
      await this.deps.audit.recordQuietly({
        action: 'auth.refresh_token_reuse',
        outcome: 'failure',
        actor: { userId: session?.userId ?? null, ip: actor.ip },
        target: { type: 'session', id: outcome.sessionId },
        details: { sessionRevoked: revoked },
      });
    }
    throw AuthErrors.invalidRefreshToken();
  }

  /** The session behind an access token, if it is still active (cached briefly). */
  async authenticate(sessionId: string): Promise<ActiveSession | null> {
    const cached = this.deps.cache.get(sessionId);
    if (cached) return cached;
    const found = await this.deps.repo.touchActive(sessionId);
    if (found) this.deps.cache.set(sessionId, found);
    return found;
  }

  /** A page of active sessions, newest first: one user's (marking `currentId`), or everyone's. */
  async list(filter: { userId?: string }, page: PageRequest, currentId?: string): Promise<{ items: SessionView[]; nextCursor: string | null }> {
    const rows = await this.deps.repo.listActive(filter, page.limit + 1, cursorOf(page.cursor));
    const { items, nextCursor } = pageOf(rows, page.limit, (s) => ({ at: s.createdAt, id: s.id }));
    return { items: items.map((s) => toSessionView(s, currentId)), nextCursor };
  }

  /** Deletes sessions that ended more than `days` ago, in batches; the number deleted. */
  async deleteEndedBefore(days: number): Promise<number> {
    return this.deps.repo.deleteEndedBefore(days);
  }

  /**
   * Ends one session: revoked here, dropped from this replica's cache, its executor session
   * ended, and audited. With `ownerId`, another user's session is answered as not found.
   */
  async terminate(
    sessionId: string,
    opts: { reason: RevokeReason; actor: AuditActor; ownerId?: string; action?: string },
  ): Promise<void> {
    const session = await this.deps.repo.findById(sessionId);
    if (!session || (opts.ownerId !== undefined && session.userId !== opts.ownerId) || session.revokedAt) {
      throw SessionErrors.notFound();
    }
    await this.deps.transaction(async (tx) => {
      // Two terminations racing: only the one whose UPDATE matched records the event.
      if (!(await this.deps.repo.revoke(sessionId, opts.reason, tx))) {
        throw SessionErrors.notFound();
      }
      await this.deps.audit.record(
        {
          action: opts.action ?? 'session.terminate',
          actor: opts.actor,
          target: { type: 'session', id: sessionId },
          details: { userId: session.userId, reason: opts.reason },
        },
        tx,
      );
    });
    await this.finishRevocation([sessionId]);
  }

  /**
   * Revokes every active session of a user (optionally but one) inside the caller's
   * transaction. Call `finishRevocation` with the result after the commit.
   */
  revokeAllForUser(userId: string, reason: RevokeReason, opts: { exceptId?: string } = {}, tx?: Tx): Promise<string[]> {
    return this.deps.repo.revokeAllForUser(userId, reason, opts, tx);
  }

  /**
   * After revocations have committed: forget them in this replica's cache (other replicas
   * forget within the cache TTL) and end their executor sessions.
   */
  async finishRevocation(sessionIds: readonly string[]): Promise<void> {
    if (!sessionIds.length) return;
    this.deps.cache.invalidate(sessionIds);
    await this.deps.publish?.({ kind: 'session.revoked', ids: [...sessionIds] });
    await this.deps.executorSessions.end(sessionIds);
  }

  /** Forget cached user facts (role, disabled) after a change to the user. */
  forgetUser(userId: string): void {
    this.deps.cache.invalidateUser(userId);
  }

  /** The background sweep: sessions past their expiry end here and in the executor. */
  async expireDue(): Promise<number> {
    const expired = await this.deps.repo.expireDue();
    for (const s of expired) {
      await this.deps.audit.recordQuietly({
        action: 'session.expire',
        target: { type: 'session', id: s.id },
        details: { userId: s.userId },
      });
    }
    await this.finishRevocation(expired.map((s) => s.id));
    await this.deps.repo.pruneRefreshTokens();
    return expired.length;
  }
}
