import { isIP } from 'node:net';
import type { RouterTarget } from '@netpilot/contracts';
import type { Logger } from '@netpilot/service-kit';
import { CommandFailedError, FirewallNotPreparedError, type CommandRunner, type PlatformDriver } from '../platforms/types';
import { ActionTimeoutError, ChannelRefusedError, ConnectionLostError } from '../ssh/errors';
import type { SshConnection } from '../ssh/ssh-connection';
import type { RouterPool } from './router-pool';
import { sessionEndedError } from './session-errors';

export interface ActionRunnerOptions {
  logger: Logger;
  actionTimeoutMs: number;
}

/** How many times one action asks again for a channel the router refused. */
const CHANNEL_RETRIES = 3;

/** What an action learned about its connection; filled as far as it got, also on failure. */
export interface RunInfo {
  connectionReused: boolean | null;
  hostKeySha256: string | null;
  jumpHostKeySha256: string | null;
}

/** Runs one session's actions on its pooled router connections, under the action deadline and with the retries that are safe. */
export class ActionRunner {
  /** Prepares running again after a failed command, by connection (see `run`). */
  private readonly reprepares = new Map<SshConnection, Promise<void>>();

  constructor(
    private readonly routers: RouterPool,
    private readonly opts: ActionRunnerOptions,
  ) {}

  /**
   * Runs `fn` with a command runner on the router's pooled connection, bounded by the
   * action timeout. If the connection turns out dead before any command started, the
   * call is made once more on a fresh connection (all our actions are idempotent).
   *
   * With `reprepareOnFailure` (the actions that use our table or chain): the table or chain
   * is prepared once per connection, but the router may lose it while the connection stays
   * open, since a firewall reload (`flush ruleset`, `iptables-restore`) removes it. So when
   * the command fails (non-zero exit, or the driver saw our chain missing), it is prepared
   * again on the same connection (one prepare per connection, shared by the actions that
   * failed at the same time) and the call is made once more. The first command, the
   * prepare and the retry share one action deadline. If preparing fails, the first error
   * stands; if the retry fails, its error is the one reported (the router's state now).
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
    /** The first connection was found dead and replaced. */
    let replaced = false;
    /** Channels the router refused so far (see below). */
    let refusals = 0;
    /** Whether the connection was reused when the action first got it (an action asked again keeps that answer). */
    let reusedAtFirst: boolean | null = null;
    for (;;) {
      let conn: SshConnection | undefined;
      // A retry reports the connection it ended on, not the dead one.
      info.connectionReused = null;
      info.hostKeySha256 = null;
      info.jumpHostKeySha256 = null;
      try {
        const lease = await this.routers.acquire(router, (c) => this.prepareNew(c, driver, router));
        conn = lease.conn;
        if (reprepared) info.connectionReused = lease.conn === reprepared.conn ? reprepared.reused : false;
        else info.connectionReused = replaced ? false : (reusedAtFirst ??= lease.reused);
        info.hostKeySha256 = lease.conn.hostKeySha256;
        info.jumpHostKeySha256 = lease.jumpHostKeySha256;
        try {
          deadlineAt ??= Date.now() + this.opts.actionTimeoutMs;
          return await this.withDeadline((signal) => fn(runnerFor(lease.conn, signal)), deadlineAt - Date.now());
        } finally {
          lease.release();
        }
      } catch (err) {
        if (this.routers.closed) throw sessionEndedError(this.routers.sessionId);
        if (!replaced && err instanceof ConnectionLostError && err.beforeCommand) {
          replaced = true;
          conn?.close('lost');
          deadlineAt = null; // no command ran: the fresh connection gets the whole deadline
          this.opts.logger.debug('ssh connection was gone, retrying on a fresh one', { sessionId: this.routers.sessionId });
          continue;
        }
        const remainingMs = deadlineAt === null ? 0 : deadlineAt - Date.now();
        // A router may refuse a new channel for a moment (its per-connection session limit, while
        // the closes of channels just finished are still on their way): the command did not
        // start, so it is asked again shortly, within the action's deadline.
        if (err instanceof ChannelRefusedError && refusals < CHANNEL_RETRIES && remainingMs > 0) {
          refusals++;
          await new Promise((r) => setTimeout(r, Math.min(remainingMs, 20 * 2 ** refusals)));
          this.opts.logger.debug('the router refused a channel; asking again', { sessionId: this.routers.sessionId, routerId: router.id, refusals });
          continue;
        }
        if (
          opts.reprepareOnFailure &&
          !reprepared &&
          conn &&
          !conn.closed &&
          remainingMs > 0 &&
          err instanceof CommandFailedError &&
          (err.exitCode !== 0 || err instanceof FirewallNotPreparedError)
        ) {
          reprepared = { conn, reused: info.connectionReused };
          try {
            await this.reprepare(conn, driver, router, remainingMs);
          } catch {
            if (this.routers.closed) throw sessionEndedError(this.routers.sessionId);
            throw err;
          }
          this.opts.logger.info('a router command failed; prepared the firewall again and retrying once', {
            sessionId: this.routers.sessionId,
            routerId: router.id,
          });
          continue;
        }
        throw err;
      }
    }
  }

  /**
   * A new connection: our table or chain prepared, and where the router sees us from learned
   * (its SSH_CLIENT), so that a block of that address can be refused instead of cutting the
   * management path. A router that will not say keeps `seenFrom` null.
   */
  private async prepareNew(conn: SshConnection, driver: PlatformDriver, router: RouterTarget): Promise<void> {
    // Two channels at once on the new connection: one round trip instead of two.
    const [, said] = await Promise.all([
      this.prepare(conn, driver, router),
      this.withDeadline((signal) => conn.exec('echo "$SSH_CLIENT"', signal)).catch(() => null),
    ]);
    const address = said?.code === 0 ? said.stdout.trim().split(/\s+/)[0] : '';
    conn.seenFrom = isIP(address) ? address : null;
  }

  /** The driver's prepare (our table or chain) on `conn`, under the action deadline or the `ms` left of it. */
  private prepare(conn: SshConnection, driver: PlatformDriver, router: RouterTarget, ms?: number): Promise<void> {
    return this.withDeadline((signal) => driver.prepare(runnerFor(conn, signal), router), ms);
  }

  /** Prepares `conn` again; actions that failed at the same time share one prepare. */
  private reprepare(conn: SshConnection, driver: PlatformDriver, router: RouterTarget, ms: number): Promise<void> {
    const running = this.reprepares.get(conn);
    if (running) return running;
    const done = this.prepare(conn, driver, router, ms).finally(() => {
      if (this.reprepares.get(conn) === done) this.reprepares.delete(conn);
    });
    this.reprepares.set(conn, done);
    return done;
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
  return { exec: (command) => conn.exec(command, signal), seenFrom: conn.seenFrom };
}
