import type { SshLogin } from '@netpilot/contracts';
import type { ExecutorMetrics } from '../metrics/metrics';
import type { ConnectRequest, SshConnector } from '../ssh/connector';
import type { Hop } from '../ssh/errors';
import type { SshConnection, SshEndpoint } from '../ssh/ssh-connection';
import { startIdleTimer, type IdleTimer } from './idle-timer';
import { sessionEndedError } from './session-errors';

export interface HopPoolOptions {
  connector: SshConnector;
  metrics?: ExecutorMetrics;
  connectionIdleMs: number;
}

/** What a pool keeps per key: the handshake while it is in flight, then the connection. */
export interface HopEntry {
  key: string;
  conn?: SshConnection;
  pending?: Promise<SshConnection>;
  lastUsed: number;
  idle?: IdleTimer;
}

/**
 * One session's connections to one kind of hop (routers, or the jump hosts in front of
 * them), by key. What the router and bastion pools share: a handshake in flight is
 * shared by concurrent callers, a connection leaves the pool when it closes, and every
 * connection closes with the session.
 */
export abstract class HopPool<E extends HopEntry> {
  protected readonly entries = new Map<string, E>();
  private isClosed = false;

  constructor(
    readonly sessionId: string,
    private readonly hop: Hop,
    private readonly opts: HopPoolOptions,
  ) {}

  /** Connections ready or being opened. */
  get size(): number {
    return this.entries.size;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Closes every connection now; later calls fail with SESSION_NOT_FOUND. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const e of this.entries.values()) {
      e.idle?.stop();
      e.conn?.close('session ended');
    }
    this.entries.clear();
  }

  protected connect(login: SshLogin, limiterKey: string, openSock?: ConnectRequest['openSock']): Promise<SshConnection> {
    return this.opts.connector.connect(endpointOf(login), { hop: this.hop, limiterKey, openSock });
  }

  /** Pools `entry` while its handshake runs, so concurrent callers wait for it instead of opening another. */
  protected async share(entry: E, pending: Promise<SshConnection>): Promise<SshConnection> {
    entry.pending = pending;
    this.entries.set(entry.key, entry);
    try {
      return await pending;
    } catch (err) {
      if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
      throw err;
    } finally {
      entry.pending = undefined;
    }
  }

  /**
   * Counts `conn` as pooled until it closes; then it leaves the pool and `onClosed` runs.
   * A session that ended during the handshake closes it at once.
   */
  protected track(entry: E, conn: SshConnection, onClosed?: () => void): void {
    this.opts.metrics?.connectionsPooled.inc({ hop: this.hop });
    conn.once('closed', () => {
      this.opts.metrics?.connectionsPooled.dec({ hop: this.hop });
      entry.idle?.stop();
      // A connection closed before it was pooled (a failed prepare) is forgotten by `share` instead.
      if (this.entries.get(entry.key) === entry && entry.conn === conn) this.entries.delete(entry.key);
      onClosed?.();
    });
    this.ensureOpen(conn);
  }

  /** The session may have ended while we awaited: then `conn` is closed and the caller gets SESSION_NOT_FOUND. */
  protected ensureOpen(conn: SshConnection): void {
    if (!this.isClosed) return;
    conn.close('session ended');
    throw sessionEndedError(this.sessionId);
  }

  /** Closes `conn` once `entry` has gone CONNECTION_IDLE_MS without use. */
  protected closeWhenIdle(entry: E, conn: SshConnection, isIdle: () => boolean): void {
    entry.idle = startIdleTimer({
      idleMs: this.opts.connectionIdleMs,
      lastUsed: () => entry.lastUsed,
      isIdle,
      abandoned: () => this.isClosed,
      expire: () => conn.close('idle'),
    });
  }
}

function endpointOf(t: SshLogin): SshEndpoint {
  return {
    host: t.host,
    port: t.port,
    username: t.username,
    password: t.password,
    privateKey: t.privateKey,
    passphrase: t.passphrase,
    hostKeySha256: t.hostKeySha256,
  };
}
