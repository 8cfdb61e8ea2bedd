import type { Logger } from '@netpilot/service-kit';
import type { ExecutorMetrics } from '../metrics/metrics';
import type { SshConnector } from '../ssh/connector';
import { ConnectionPool } from './connection-pool';
import { startIdleTimer, type IdleTimer } from './idle-timer';

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
  idle?: IdleTimer;
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
    session.idle = startIdleTimer({
      idleMs: this.opts.sessionIdleMs,
      lastUsed: () => session.lastUsed,
      isIdle: () => session.inFlight === 0,
      abandoned: () => this.sessions.get(sessionId) !== session,
      expire: () => this.end(sessionId, 'idle, ended'),
    });
    this.opts.logger.debug('session started', { sessionId });
    return true;
  }

  /** Ends a session and closes its connections. Returns true when it existed. */
  end(sessionId: string, why = 'ended'): boolean {
    const session = this.sessions.get(sessionId);
    if (!session) return false;
    this.sessions.delete(sessionId);
    session.idle?.stop();
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
}
