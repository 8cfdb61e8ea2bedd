import type { Logger } from '@netpilot/service-kit';
import type { ExecutorMetrics } from '../metrics/metrics';
import type { SshConnector } from '../ssh/connector';
import { ConnectionPool } from './connection-pool';

export interface SessionRegistryOptions {
  connector: SshConnector;
  logger: Logger;
  metrics?: ExecutorMetrics;
  sessionIdleMs: number;
  connectionIdleMs: number;
  actionTimeoutMs: number;
}

/** One controller session as the executor knows it: its SSH pool and when it was last used. */
export class Session {
  lastUsed = Date.now();
  inFlight = 0;
  idleTimer?: NodeJS.Timeout;
  constructor(
    readonly id: string,
    readonly pool: ConnectionPool,
  ) {}
}

/**
 * Sessions live only in memory (the executor stores nothing on disk). A session ends
 * when the controller says so or after SESSION_IDLE_MS without actions; either way its
 * SSH connections close at once.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly opts: SessionRegistryOptions) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Starts a session, or refreshes it when it exists. Returns true when it was new. */
  start(sessionId: string): boolean {
    const existing = this.sessions.get(sessionId);
    if (existing) {
      existing.lastUsed = Date.now();
      return false;
    }
    const session = new Session(
      sessionId,
      new ConnectionPool(sessionId, {
        connector: this.opts.connector,
        logger: this.opts.logger,
        metrics: this.opts.metrics,
        connectionIdleMs: this.opts.connectionIdleMs,
        actionTimeoutMs: this.opts.actionTimeoutMs,
      }),
    );
    this.sessions.set(sessionId, session);
    this.opts.metrics?.sessionsActive.inc();
    this.armIdle(session, this.opts.sessionIdleMs);
    this.opts.logger.debug('session started', { sessionId });
    return true;
  }

  /** Ends a session and closes its connections. Returns true when it existed. */
  end(sessionId: string, why = 'ended'): boolean {
    const session = this.sessions.get(sessionId);
    if (!session) return false;
    this.sessions.delete(sessionId);
    clearTimeout(session.idleTimer);
    session.pool.close();
    this.opts.metrics?.sessionsActive.dec();
    this.opts.logger.debug(`session ${why}`, { sessionId });
    return true;
  }

  get(sessionId: string): Session | undefined {
    return this.sessions.get(sessionId);
  }

  /** Runs `fn` as one use of the session, so it cannot idle out underneath. */
  async use<T>(session: Session, fn: () => Promise<T>): Promise<T> {
    session.inFlight++;
    session.lastUsed = Date.now();
    try {
      return await fn();
    } finally {
      session.inFlight--;
      session.lastUsed = Date.now();
    }
  }

  /** Ends every session (graceful stop). */
  closeAll(): void {
    for (const id of [...this.sessions.keys()]) this.end(id, 'closed at shutdown');
  }

  private armIdle(session: Session, ms: number): void {
    const idleMs = this.opts.sessionIdleMs;
    session.idleTimer = setTimeout(() => {
      if (this.sessions.get(session.id) !== session) return;
      const quiet = Date.now() - session.lastUsed;
      if (session.inFlight === 0 && quiet >= idleMs) this.end(session.id, 'idle, ended');
      else this.armIdle(session, session.inFlight === 0 ? idleMs - quiet : idleMs);
    }, ms);
    // Idle bookkeeping must never keep the process alive.
    session.idleTimer.unref();
  }
}
