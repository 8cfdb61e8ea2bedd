import type { RouterTarget } from '@netpilot/contracts';
import { hostKeyMismatchError } from '../ssh/errors';
import type { SshConnection } from '../ssh/ssh-connection';
import type { BastionPool } from './bastion-pool';
import { routerConnectionKey } from './connection-keys';
import { HopPool, type HopEntry, type HopPoolOptions } from './hop-pool';
import { sessionEndedError } from './session-errors';

/** One router connection in use by one action; release it when the action is done. */
export interface RouterLease {
  conn: SshConnection;
  /** True when the connection was ready in the pool before this call. */
  reused: boolean;
  /** The host key the bastion showed when the connection was opened; null without one. */
  jumpHostKeySha256: string | null;
  release(): void;
}

/** Sets up what the actions need on a new connection (the driver's table or chain) before it is shared. */
export type PrepareConnection = (conn: SshConnection) => Promise<void>;

interface RouterEntry extends HopEntry {
  jumpHostKeySha256: string | null;
  /** Actions running on `conn`; it is idle only at zero. */
  busy: number;
}

/**
 * A session's router connections: one per router, created on first use (through the
 * router's bastion, if it has one), shared by concurrent callers while the handshake is
 * in flight, reused afterwards, evicted when they drop and closed when idle.
 */
export class RouterPool extends HopPool<RouterEntry> {
  constructor(
    sessionId: string,
    opts: HopPoolOptions,
    private readonly bastions: BastionPool,
  ) {
    super(sessionId, 'router', opts);
  }

  /** A lease on the router's pooled connection, opened and prepared when there is none. */
  async acquire(router: RouterTarget, prepare: PrepareConnection): Promise<RouterLease> {
    if (this.closed) throw sessionEndedError(this.sessionId);
    const key = routerConnectionKey(router);
    const existing = this.entries.get(key);
    if (existing?.conn && !existing.conn.closed) {
      checkPins(existing.conn, existing, router);
      existing.lastUsed = Date.now();
      return lease(existing, existing.conn, true);
    }
    if (existing?.pending) {
      // Someone else's handshake for the same router is in flight: share it.
      const conn = await existing.pending;
      checkPins(conn, existing, router);
      return lease(existing, conn, false);
    }
    const entry: RouterEntry = { key, busy: 0, lastUsed: Date.now(), jumpHostKeySha256: null };
    return lease(entry, await this.share(entry, this.open(router, entry, prepare)), false);
  }

  private async open(router: RouterTarget, entry: RouterEntry, prepare: PrepareConnection): Promise<SshConnection> {
    const jump = router.jumpHost;
    const bastion = jump ? await this.bastions.lease(jump) : undefined;
    let conn: SshConnection;
    try {
      const via = jump ? `${jump.host}:${jump.port}>` : '';
      const openSock = bastion ? () => bastion.conn.forwardOut(router.host, router.port) : undefined;
      conn = await this.connect(router, `${via}${router.host}:${router.port}`, openSock);
    } catch (err) {
      bastion?.release();
      throw err;
    }
    entry.jumpHostKeySha256 = bastion?.conn.hostKeySha256 ?? null;
    this.track(entry, conn, () => bastion?.release());
    try {
      // Our table/chain is set up once per connection, so each action is one command.
      await prepare(conn);
    } catch (err) {
      conn.close('prepare failed');
      throw err;
    }
    this.ensureOpen(conn);
    entry.conn = conn;
    entry.lastUsed = Date.now();
    this.closeWhenIdle(entry, conn, () => entry.busy === 0);
    return conn;
  }
}

function lease(entry: RouterEntry, conn: SshConnection, reused: boolean): RouterLease {
  entry.busy++;
  return {
    conn,
    reused,
    jumpHostKeySha256: entry.jumpHostKeySha256,
    release: () => {
      entry.busy--;
      entry.lastUsed = Date.now();
    },
  };
}

/** A pooled connection was opened before a pin arrived; it must show the pinned key to be used. */
function checkPins(conn: SshConnection, entry: RouterEntry, router: RouterTarget): void {
  if (router.hostKeySha256 && conn.hostKeySha256 !== router.hostKeySha256) {
    throw hostKeyMismatchError('router', router, router.hostKeySha256, conn.hostKeySha256);
  }
  const pinnedJump = router.jumpHost?.hostKeySha256;
  if (pinnedJump && entry.jumpHostKeySha256 !== pinnedJump) {
    throw hostKeyMismatchError('jumpHost', router.jumpHost!, pinnedJump, entry.jumpHostKeySha256 ?? '');
  }
}
