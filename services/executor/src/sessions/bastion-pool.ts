import type { JumpHost } from '@netpilot/contracts';
import { hostKeyMismatchError } from '../ssh/errors';
import type { SshConnection } from '../ssh/ssh-connection';
import { jumpHostKey } from './connection-keys';
import { HopPool, type HopEntry, type HopPoolOptions } from './hop-pool';

/** A jump-host connection held by one router connection; released when that one closes. */
export interface BastionLease {
  conn: SshConnection;
  release(): void;
}

interface BastionEntry extends HopEntry {
  /** Router connections tunnelled through `conn`; it is idle only at zero. */
  refs: number;
}

/**
 * A session's jump-host connections: one per bastion (address, user, credentials),
 * shared by every router connection tunnelled through it.
 */
export class BastionPool extends HopPool<BastionEntry> {
  constructor(sessionId: string, opts: HopPoolOptions) {
    super(sessionId, 'jumpHost', opts);
  }

  /** A lease on the bastion's pooled connection, opened when there is none; checks its pinned host key on every lease. */
  async lease(jump: JumpHost): Promise<BastionLease> {
    const key = jumpHostKey(jump);
    let entry = this.entries.get(key);
    let conn: SshConnection;
    if (entry?.conn && !entry.conn.closed) {
      conn = entry.conn;
    } else if (entry?.pending) {
      conn = await entry.pending;
    } else {
      const e: BastionEntry = { key, refs: 0, lastUsed: Date.now() };
      entry = e;
      conn = await this.share(e, this.connect(jump, `${jump.host}:${jump.port}`));
      e.conn = conn;
      this.track(e, conn);
      this.closeWhenIdle(e, conn, () => e.refs === 0);
    }
    if (jump.hostKeySha256 && conn.hostKeySha256 !== jump.hostKeySha256) {
      throw hostKeyMismatchError('jumpHost', jump, jump.hostKeySha256, conn.hostKeySha256);
    }
    const held = entry;
    held.refs++;
    let released = false;
    return {
      conn,
      release: () => {
        if (released) return;
        released = true;
        held.refs--;
        held.lastUsed = Date.now();
      },
    };
  }
}
