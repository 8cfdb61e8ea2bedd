import type { ActiveSession } from './sessions.repository';

/**
 * A short-lived, per-app cache of "this session is active" answers, so that an
 * authenticated request costs no database round trip most of the time. The TTL bounds how
 * long another replica may keep accepting a session revoked elsewhere; a revocation in this
 * process is dropped from the cache at once.
 */
export class SessionCache {
  private readonly entries = new Map<string, { value: ActiveSession; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(sessionId: string): ActiveSession | undefined {
    const hit = this.entries.get(sessionId);
    if (!hit) return undefined;
    if (hit.expiresAt <= this.now()) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return hit.value;
  }

  set(sessionId: string, value: ActiveSession): void {
    if (this.ttlMs <= 0) return;
    // Map keeps insertion order: dropping the first key evicts the oldest entry.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(sessionId, { value, expiresAt: this.now() + this.ttlMs });
  }

  invalidate(sessionIds: Iterable<string>): void {
    for (const id of sessionIds) this.entries.delete(id);
  }

  /** Drops every cached session of a user (role change, disable). */
  invalidateUser(userId: string): void {
    for (const [id, e] of this.entries) if (e.value.user.id === userId) this.entries.delete(id);
  }
}
