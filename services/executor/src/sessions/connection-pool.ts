import { createHmac, randomBytes } from 'node:crypto';
import type { JumpHost, RouterTarget, SshLogin } from '@netpilot/contracts';
import { AppError } from '../errors';
import type { Logger } from '@netpilot/service-kit';
import type { ExecutorMetrics } from '../metrics/metrics';
import { CommandFailedError, FirewallNotPreparedError, type CommandRunner, type PlatformDriver } from '../platforms/types';
import type { SshConnector } from '../ssh/connector';
import { ActionTimeoutError, ConnectionLostError } from '../ssh/errors';
import type { SshConnection, SshEndpoint } from '../ssh/ssh-connection';

/** Per-process key so connection keys never hold a plain hash of a password. */
const KEY_SECRET = randomBytes(32);

function credentialTag(c: { password?: string; privateKey?: string; passphrase?: string }): string {
  return createHmac('sha256', KEY_SECRET)
    .update(JSON.stringify([c.password ?? null, c.privateKey ?? null, c.passphrase ?? null]))
    .digest('base64url')
    .slice(0, 22);
}

/** Pool key of a bastion: where, as whom, with which credentials. */
export function jumpHostKey(j: JumpHost): string {
  return [j.host, j.port, j.username, credentialTag(j)].join('|');
}

/**
 * Pool key of a router connection. Changed credentials, address, platform or route
 * give a new key, so an old connection is never reused for a changed router. The pinned
 * fingerprint is left out on purpose: pinning the key a connection already showed
 * (trust on first use) must keep that connection.
 */
export function routerConnectionKey(r: RouterTarget): string {
  return [
    r.id,
    r.host,
    r.port,
    r.username,
    r.platform,
    credentialTag(r),
    JSON.stringify(r.options ?? {}),
    r.jumpHost ? jumpHostKey(r.jumpHost) : '-',
  ].join('|');
}

export interface PoolOptions {
  connector: SshConnector;
  logger: Logger;
  metrics?: ExecutorMetrics;
  connectionIdleMs: number;
  actionTimeoutMs: number;
}

/** What an action learned about its connection; filled as far as it got, also on failure. */
export interface RunInfo {
  connectionReused: boolean | null;
  hostKeySha256: string | null;
  jumpHostKeySha256: string | null;
}

interface RouterEntry {
  key: string;
  conn?: SshConnection;
  pending?: Promise<SshConnection>;
  /** A prepare running again on `conn` after a failed command (see ConnectionPool.run). */
  reprepare?: { conn: SshConnection; done: Promise<void> };
  jumpHostKeySha256: string | null;
  busy: number;
  lastUsed: number;
  idleTimer?: NodeJS.Timeout;
}

interface BastionEntry {
  key: string;
  conn?: SshConnection;
  pending?: Promise<SshConnection>;
  refs: number;
  lastUsed: number;
  idleTimer?: NodeJS.Timeout;
}

interface BastionLease {
  conn: SshConnection;
  release(): void;
}

/** The session ended while an action waited or ran. */
export function sessionEndedError(sessionId: string): AppError {
  return new AppError('SESSION_NOT_FOUND', 'The session ended during the action', { sessionId });
}

/**
 * One session's SSH connections: one per router (and one per bastion), created on
 * first use, shared by concurrent callers while the handshake is in flight, reused
 * afterwards, evicted when they drop and closed when idle or when the session ends.
 */
export class ConnectionPool {
  private readonly routers = new Map<string, RouterEntry>();
  private readonly bastions = new Map<string, BastionEntry>();
  private isClosed = false;

  constructor(
    readonly sessionId: string,
    private readonly opts: PoolOptions,
  ) {}

  /** Router connections ready or being opened. */
  get size(): number {
    return this.routers.size;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Runs `fn` with a command runner on the router's pooled connection, bounded by the
   * action timeout. If the connection turns out dead before any command started, the
   * call is made once more on a fresh connection (all our actions are idempotent).
   *
   * With `reprepareOnFailure` (the actions that use our table or chain): the table or chain
   * is prepared once per connection, but the router may lose it while the connection stays
   * open, since a firewall reload (`flush ruleset`, `iptables-restore`) removes it. So when
   * the command fails (non-zero exit, or the driver saw our chain missing), it is prepared again on the same connection (one
   * prepare per connection, shared by the actions that failed at the same time) and the
   * call is made once more. The first command, the prepare and the retry share one action
   * deadline. If preparing fails, the first error stands; if the retry fails, its error is
   * the one reported (the router's state now).
   */
  async run<T>(
    router: RouterTarget,
    driver: PlatformDriver,
    fn: (runner: CommandRunner) => Promise<T>,
    info: RunInfo,
    opts: { reprepareOnFailure?: boolean } = {},
  ): Promise<T> {
    /** When the action's deadline passes; set when its first command starts. */
    let deadlineAt: number | null = null;
    let reprepared: { conn: SshConnection; reused: boolean | null } | null = null;
    for (let attempt = 0; ; attempt++) {
      let conn: SshConnection | undefined;
      let entry: RouterEntry | undefined;
      // A retry reports the connection it ended on, not the dead one.
      info.connectionReused = null;
      info.hostKeySha256 = null;
      info.jumpHostKeySha256 = null;
      try {
        const got = await this.acquire(router, driver);
        conn = got.conn;
        entry = got.entry;
        if (reprepared) info.connectionReused = got.conn === reprepared.conn ? reprepared.reused : false;
        else info.connectionReused = attempt === 0 ? got.reused : false;
        info.hostKeySha256 = conn.hostKeySha256;
        info.jumpHostKeySha256 = got.entry.jumpHostKeySha256;
        got.entry.busy++;
        try {
          deadlineAt ??= Date.now() + this.opts.actionTimeoutMs;
          return await this.withDeadline((signal) => fn(runnerFor(conn!, signal)), deadlineAt - Date.now());
        } finally {
          got.entry.busy--;
          got.entry.lastUsed = Date.now();
        }
      } catch (err) {
        if (this.isClosed) throw sessionEndedError(this.sessionId);
        if (attempt === 0 && err instanceof ConnectionLostError && err.beforeCommand) {
          conn?.close('lost');
          deadlineAt = null; // no command ran: the fresh connection gets the whole deadline
          this.opts.logger.debug('ssh connection was gone, retrying on a fresh one', { sessionId: this.sessionId });
          continue;
        }
        const remainingMs = deadlineAt === null ? 0 : deadlineAt - Date.now();
        if (
          opts.reprepareOnFailure &&
          !reprepared &&
          conn &&
          entry &&
          !conn.closed &&
          remainingMs > 0 &&
          err instanceof CommandFailedError &&
          (err.exitCode !== 0 || err instanceof FirewallNotPreparedError)
        ) {
          reprepared = { conn, reused: info.connectionReused };
          try {
            await this.reprepare(entry, conn, driver, router, remainingMs);
          } catch {
            if (this.isClosed) throw sessionEndedError(this.sessionId);
            throw err;
          }
          this.opts.logger.info('a router command failed; prepared the firewall again and retrying once', {
            sessionId: this.sessionId,
            routerId: router.id,
          });
          continue;
        }
        throw err;
      }
    }
  }

  /** The driver's prepare (our table or chain) on `conn`, under the action deadline or the `ms` left of it. */
  private prepare(conn: SshConnection, driver: PlatformDriver, router: RouterTarget, ms?: number): Promise<void> {
    return this.withDeadline((signal) => driver.prepare(runnerFor(conn, signal), router), ms);
  }

  /** Prepares `conn` again; actions that failed at the same time share one prepare. */
  private reprepare(entry: RouterEntry, conn: SshConnection, driver: PlatformDriver, router: RouterTarget, ms: number): Promise<void> {
    if (entry.reprepare?.conn === conn) return entry.reprepare.done;
    const done = this.prepare(conn, driver, router, ms).finally(() => {
      if (entry.reprepare?.done === done) entry.reprepare = undefined;
    });
    entry.reprepare = { conn, done };
    return done;
  }

  /** Closes every connection of this session now; later calls fail with SESSION_NOT_FOUND. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const e of this.routers.values()) {
      clearTimeout(e.idleTimer);
      e.conn?.close('session ended');
    }
    for (const b of this.bastions.values()) {
      clearTimeout(b.idleTimer);
      b.conn?.close('session ended');
    }
    this.routers.clear();
    this.bastions.clear();
  }

  private async acquire(
    router: RouterTarget,
    driver: PlatformDriver,
  ): Promise<{ conn: SshConnection; entry: RouterEntry; reused: boolean }> {
    if (this.isClosed) throw sessionEndedError(this.sessionId);
    const key = routerConnectionKey(router);
    const existing = this.routers.get(key);
    if (existing?.conn && !existing.conn.closed) {
      checkPins(existing.conn, existing, router);
      existing.lastUsed = Date.now();
      return { conn: existing.conn, entry: existing, reused: true };
    }
    if (existing?.pending) {
      // Someone else's handshake for the same router is in flight: share it.
      const conn = await existing.pending;
      checkPins(conn, existing, router);
      return { conn, entry: existing, reused: false };
    }

    const entry: RouterEntry = { key, busy: 0, lastUsed: Date.now(), jumpHostKeySha256: null };
    const pending = this.create(router, driver, entry);
    entry.pending = pending;
    this.routers.set(key, entry);
    try {
      const conn = await pending;
      return { conn, entry, reused: false };
    } catch (err) {
      if (this.routers.get(key) === entry) this.routers.delete(key);
      throw err;
    } finally {
      entry.pending = undefined;
    }
  }

  private async create(router: RouterTarget, driver: PlatformDriver, entry: RouterEntry): Promise<SshConnection> {
    let lease: BastionLease | undefined;
    if (router.jumpHost) lease = await this.leaseBastion(router.jumpHost);
    let conn: SshConnection;
    try {
      const via = router.jumpHost ? `${router.jumpHost.host}:${router.jumpHost.port}>` : '';
      conn = await this.opts.connector.connect(endpointOf(router), {
        hop: 'router',
        limiterKey: `${via}${router.host}:${router.port}`,
        openSock: lease ? () => lease!.conn.forwardOut(router.host, router.port) : undefined,
      });
    } catch (err) {
      lease?.release();
      throw err;
    }
    entry.jumpHostKeySha256 = lease?.conn.hostKeySha256 ?? null;
    this.opts.metrics?.connectionsPooled.inc({ hop: 'router' });
    conn.once('closed', () => {
      this.opts.metrics?.connectionsPooled.dec({ hop: 'router' });
      clearTimeout(entry.idleTimer);
      if (this.routers.get(entry.key) === entry && entry.conn === conn) this.routers.delete(entry.key);
      lease?.release();
    });
    if (this.isClosed) {
      conn.close('session ended');
      throw sessionEndedError(this.sessionId);
    }
    try {
      // Our table/chain is set up once per connection, so each action is one command.
      await this.prepare(conn, driver, router);
    } catch (err) {
      conn.close('prepare failed');
      throw err;
    }
    if (this.isClosed) {
      conn.close('session ended');
      throw sessionEndedError(this.sessionId);
    }
    entry.conn = conn;
    entry.lastUsed = Date.now();
    this.scheduleIdle(entry, () => entry.busy === 0, () => conn.close('idle'));
    return conn;
  }

  private async leaseBastion(jump: JumpHost): Promise<BastionLease> {
    const key = jumpHostKey(jump);
    let entry = this.bastions.get(key);
    let conn: SshConnection;
    if (entry?.conn && !entry.conn.closed) {
      conn = entry.conn;
    } else if (entry?.pending) {
      conn = await entry.pending;
    } else {
      const e: BastionEntry = { key, refs: 0, lastUsed: Date.now() };
      entry = e;
      e.pending = this.opts.connector.connect(endpointOf(jump), {
        hop: 'jumpHost',
        limiterKey: `${jump.host}:${jump.port}`,
      });
      this.bastions.set(key, e);
      try {
        conn = await e.pending;
      } catch (err) {
        if (this.bastions.get(key) === e) this.bastions.delete(key);
        throw err;
      } finally {
        e.pending = undefined;
      }
      const c = conn;
      e.conn = c;
      this.opts.metrics?.connectionsPooled.inc({ hop: 'jumpHost' });
      c.once('closed', () => {
        this.opts.metrics?.connectionsPooled.dec({ hop: 'jumpHost' });
        clearTimeout(e.idleTimer);
        if (this.bastions.get(key) === e && e.conn === c) this.bastions.delete(key);
      });
      if (this.isClosed) {
        c.close('session ended');
        throw sessionEndedError(this.sessionId);
      }
      this.scheduleIdle(e, () => e.refs === 0, () => c.close('idle'));
    }
    if (jump.hostKeySha256 && conn.hostKeySha256 !== jump.hostKeySha256) {
      throw hostKeyMismatch('jumpHost', jump, jump.hostKeySha256, conn.hostKeySha256);
    }
    const e = entry!;
    e.refs++;
    let released = false;
    return {
      conn,
      release: () => {
        if (released) return;
        released = true;
        e.refs--;
        e.lastUsed = Date.now();
      },
    };
  }

  /**
   * Closes an entry's connection once it has been unused for CONNECTION_IDLE_MS. One
   * timer per connection, re-armed for the remainder instead of reset on every action.
   */
  private scheduleIdle(
    entry: { lastUsed: number; idleTimer?: NodeJS.Timeout },
    isIdle: () => boolean,
    closeIt: () => void,
  ): void {
    const idleMs = this.opts.connectionIdleMs;
    const arm = (ms: number) => {
      entry.idleTimer = setTimeout(check, ms);
      entry.idleTimer.unref();
    };
    const check = () => {
      if (this.isClosed) return;
      const quiet = Date.now() - entry.lastUsed;
      if (isIdle() && quiet >= idleMs) closeIt();
      else arm(isIdle() ? idleMs - quiet : idleMs);
    };
    arm(idleMs);
  }

  /**
   * Runs `fn` under the action timeout (or the `ms` left of it); its signal closes any
   * channel still open when time is up.
   */
  private async withDeadline<T>(fn: (signal: AbortSignal) => Promise<T>, ms = this.opts.actionTimeoutMs): Promise<T> {
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new ActionTimeoutError(this.opts.actionTimeoutMs);
        ac.abort(err);
        reject(err);
      }, ms);
      timer.unref();
    });
    try {
      return await Promise.race([fn(ac.signal), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function runnerFor(conn: SshConnection, signal: AbortSignal): CommandRunner {
  return { exec: (command) => conn.exec(command, signal) };
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

function hostKeyMismatch(
  hop: 'router' | 'jumpHost',
  where: { host: string; port: number },
  expected: string,
  seen: string,
): AppError {
  const label = hop === 'router' ? 'router' : 'jump host';
  return new AppError('HOST_KEY_MISMATCH', `The ${label}'s host key does not match the pinned fingerprint`, {
    hop,
    host: where.host,
    port: where.port,
    expected,
    seen,
  });
}

/** A pooled connection was opened before a pin arrived; it must show the pinned key to be used. */
function checkPins(conn: SshConnection, entry: RouterEntry, router: RouterTarget): void {
  if (router.hostKeySha256 && conn.hostKeySha256 !== router.hostKeySha256) {
    throw hostKeyMismatch('router', router, router.hostKeySha256, conn.hostKeySha256);
  }
  const pinnedJump = router.jumpHost?.hostKeySha256;
  if (pinnedJump && entry.jumpHostKeySha256 !== pinnedJump) {
    throw hostKeyMismatch('jumpHost', router.jumpHost!, pinnedJump, entry.jumpHostKeySha256 ?? '');
  }
}
