import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { SshLogin } from '@netpilot/contracts';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import type { ExecResult } from '../platforms/types';
import {
  ActionTimeoutError,
  ChannelRefusedError,
  ConnectionClosedDuringConnect,
  ConnectionLostError,
  connectErrorToAppError,
  ForwardFailedError,
  type Hop,
  OutputTooLargeError,
  PrivateKeyError,
} from './errors';
import { sha256Fingerprint } from './fingerprint';
import { Semaphore } from './semaphore';

/** Where and as whom to log in; credentials live only in memory for the duration of a connect. */
export type SshEndpoint = SshLogin;

export interface OpenOptions {
  hop: Hop;
  connectTimeoutMs: number;
  /** Concurrent exec channels on this connection (OpenSSH's MaxSessions is 10). */
  maxChannels: number;
  keepaliveIntervalMs?: number;
  /** An already-open stream to the server (a channel forwarded by a jump host). */
  sock?: Duplex;
  /** Called with +1/-1 as exec channels open and close (in-flight channels gauge). */
  onChannelDelta?: (delta: number) => void;
}

/** Most output any allowlisted command produces is a few KB; this only guards memory. */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;
/** After we close a timed-out channel, how long the server gets to confirm before we drop the connection. */
const CHANNEL_CLOSE_GRACE_MS = 2000;

/**
 * One authenticated ssh2 connection. Several commands may run at once, each on its
 * own exec channel, at most `maxChannels` at a time. Emits 'closed' once, when the
 * connection is gone for whatever reason.
 */
export class SshConnection extends EventEmitter {
  private readonly channels: Semaphore;
  private isClosed = false;
  private closeReason = 'closed';
  private readonly onChannelDelta: (delta: number) => void;
  readonly openedAt = Date.now();
  /** The address the router sees this connection come from (its SSH_CLIENT), once learned. */
  seenFrom: string | null = null;

  private constructor(
    private readonly client: Client,
    readonly hostKeySha256: string,
    readonly hop: Hop,
    opts: OpenOptions,
  ) {
    super();
    // One 'closed' listener per running command plus the pool's.
    this.setMaxListeners(opts.maxChannels + 8);
    this.channels = new Semaphore(opts.maxChannels);
    this.onChannelDelta = opts.onChannelDelta ?? (() => {});
    client.on('error', (err) => this.markClosed(`connection error: ${err.message}`));
    client.on('end', () => this.markClosed('connection ended by the server'));
    client.on('close', () => this.markClosed('connection closed'));
  }

  /** Connects, verifies the host key, authenticates. Rejects with an AppError carrying the contract code. */
  static open(endpoint: SshEndpoint, opts: OpenOptions): Promise<SshConnection> {
    return new Promise<SshConnection>((resolve, reject) => {
      const client = new Client();
      let seenHostKey: string | null = null;
      let hostKeyMismatch = false;
      let timedOut = false;
      let settled = false;

      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.removeAllListeners('ready');
        // Keep an error listener: ssh2 may still emit after we gave up.
        client.on('error', () => {});
        client.destroy();
        sock.destroy();
        reject(
          connectErrorToAppError(err, {
            hop: opts.hop,
            host: endpoint.host,
            port: endpoint.port,
            seenHostKey,
            expectedHostKey: endpoint.hostKeySha256 ?? null,
            hostKeyMismatch,
            timedOut,
            timeoutMs: opts.connectTimeoutMs,
          }),
        );
      };

      let sock: Duplex;
      if (opts.sock) {
        sock = opts.sock;
      } else {
        const tcp = net.connect({ host: endpoint.host, port: endpoint.port });
        // Without no-delay every exec round trip waits on Nagle + delayed ACK (44–88 ms).
        tcp.setNoDelay(true);
        tcp.setKeepAlive(true, 15_000);
        // ssh2 turns socket errors into client errors; this only covers the moments
        // before it attaches (a key it cannot parse) and after we gave up.
        tcp.on('error', () => {});
        sock = tcp;
      }

      const timer = setTimeout(() => {
        timedOut = true;
        fail(new Error('connect timeout'));
      }, opts.connectTimeoutMs);
      timer.unref();

      client.once('ready', () => {
        if (settled) {
          client.end();
          return;
        }
        settled = true;
        clearTimeout(timer);
        client.removeAllListeners('error');
        client.removeAllListeners('close');
        client.removeAllListeners('end');
        resolve(new SshConnection(client, seenHostKey ?? '', opts.hop, opts));
      });
      client.on('error', fail);
      client.on('close', () => fail(new ConnectionClosedDuringConnect()));

      const config: ConnectConfig = {
        sock,
        username: endpoint.username,
        // We run our own timer over connect + handshake + auth.
        readyTimeout: 0,
        keepaliveInterval: opts.keepaliveIntervalMs ?? 15_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          seenHostKey = sha256Fingerprint(key);
          if (endpoint.hostKeySha256 && seenHostKey !== endpoint.hostKeySha256) {
            hostKeyMismatch = true;
            return false;
          }
          return true;
        },
      };
      if (endpoint.password !== undefined) config.password = endpoint.password;
      if (endpoint.privateKey !== undefined) {
        config.privateKey = endpoint.privateKey;
        if (endpoint.passphrase !== undefined) config.passphrase = endpoint.passphrase;
      }
      try {
        client.connect(config);
      } catch (err) {
        // ssh2 parses the key synchronously; its message can quote the key's header, so we use ours.
        const msg = String((err as Error)?.message ?? '');
        fail(
          new PrivateKeyError(
            /passphrase/i.test(msg) ? 'wrong or missing passphrase' : 'unsupported or malformed private key',
          ),
        );
      }
    });
  }

  /** True once the connection is gone; a closed connection is never used again. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Exec channels open right now. */
  get activeChannels(): number {
    return this.channels.inUse;
  }

  /**
   * Runs one command on its own channel. `signal` carries the action's deadline: when it
   * fires the channel is closed and the call rejects with the signal's reason.
   */
  async exec(command: string, signal?: AbortSignal): Promise<ExecResult> {
    if (this.isClosed) throw new ConnectionLostError(this.closeReason, true);
    const release = signal ? await this.channels.acquireWithSignal(signal) : await this.channels.acquire();
    if (this.isClosed) {
      release();
      throw new ConnectionLostError(this.closeReason, true);
    }
    this.onChannelDelta(1);
    let slotFreed = false;
    const freeSlot = () => {
      if (slotFreed) return;
      slotFreed = true;
      this.onChannelDelta(-1);
      release();
    };

    return new Promise<ExecResult>((resolve, reject) => {
      let done = false;
      let stream: ClientChannel | undefined;
      let graceTimer: NodeJS.Timeout | undefined;

      const finish = (err: Error | null, result?: ExecResult) => {
        if (done) return;
        done = true;
        signal?.removeEventListener('abort', onAbort);
        this.off('closed', onConnClosed);
        if (err) reject(err);
        else resolve(result!);
      };

      const onAbort = () => {
        const reason = signal?.reason instanceof Error ? signal.reason : new ActionTimeoutError(0);
        if (stream) {
          stream.close();
          // The slot stays taken until the server confirms the close; a server that never
          // does has a stuck connection, which we drop rather than leak a channel.
          graceTimer = setTimeout(() => {
            if (!slotFreed) this.close('channel did not close after timeout');
          }, CHANNEL_CLOSE_GRACE_MS);
          graceTimer.unref();
        }
        // Without a stream the channel is still opening: its callback frees the slot
        // (closing the channel first if it did open), so the server never holds more
        // channels than we count.
        finish(reason);
      };

      const onConnClosed = () => {
        freeSlot();
        finish(new ConnectionLostError(this.closeReason, stream === undefined));
      };

      if (signal?.aborted) {
        freeSlot();
        finish(signal.reason instanceof Error ? signal.reason : new ActionTimeoutError(0));
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.once('closed', onConnClosed);

      try {
        this.client.exec(command, (err, ch) => {
          if (err) {
            freeSlot();
            // A channel that cannot open on a dead connection: nothing ran, retry is safe.
            if (this.isClosed || /No response from server|Not connected/i.test(err.message)) {
              finish(new ConnectionLostError(this.closeReason, true));
            } else {
              finish(new ChannelRefusedError(err.message.replace(/^\(SSH\) /, '')));
            }
            return;
          }
          stream = ch;
          if (done) {
            // Aborted while the channel was opening.
            ch.close();
            ch.on('close', freeSlot);
            return;
          }
          const out: Buffer[] = [];
          const errOut: Buffer[] = [];
          let size = 0;
          let exitCode: number | null = null;
          const collect = (into: Buffer[]) => (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_OUTPUT_BYTES) {
              ch.close();
              finish(new OutputTooLargeError(MAX_OUTPUT_BYTES));
              return;
            }
            into.push(chunk);
          };
          ch.on('data', collect(out));
          ch.stderr.on('data', collect(errOut));
          ch.on('exit', (code: number | null) => {
            exitCode = typeof code === 'number' ? code : null;
          });
          ch.on('close', () => {
            if (graceTimer) clearTimeout(graceTimer);
            freeSlot();
            if (this.isClosed && exitCode === null) {
              finish(new ConnectionLostError(this.closeReason, false));
              return;
            }
            finish(null, {
              stdout: Buffer.concat(out).toString('utf8'),
              stderr: Buffer.concat(errOut).toString('utf8'),
              code: exitCode,
            });
          });
        });
      } catch (err) {
        // ssh2 throws 'Not connected' synchronously when the socket is already gone.
        this.markClosed((err as Error).message);
        freeSlot();
        finish(new ConnectionLostError(this.closeReason, true));
      }
    });
  }

  /** Opens a TCP stream from the server to host:port (jump-host forwarding). */
  forwardOut(host: string, port: number): Promise<Duplex> {
    if (this.isClosed) return Promise.reject(new ConnectionLostError(this.closeReason, true));
    return new Promise<Duplex>((resolve, reject) => {
      try {
        this.client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
          if (err) {
            reject(
              this.isClosed || /No response from server|Not connected/i.test(err.message)
                ? new ConnectionLostError(this.closeReason, true)
                : new ForwardFailedError(err.message.replace(/^\(SSH\) /, '')),
            );
            return;
          }
          resolve(stream);
        });
      } catch (err) {
        this.markClosed((err as Error).message);
        reject(new ConnectionLostError(this.closeReason, true));
      }
    });
  }

  /** Closes the connection now; in-flight commands fail with ConnectionLostError. */
  close(reason = 'closed by the executor'): void {
    this.markClosed(reason);
    this.client.end();
    // end() is polite; make sure the socket does not linger if the peer never answers.
    setTimeout(() => this.client.destroy(), 1000).unref();
  }

  private markClosed(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closeReason = reason;
    this.channels.rejectWaiters(new ConnectionLostError(reason, true));
    // Keep a listener so a late socket error after close cannot crash the process.
    this.client.on('error', () => {});
    this.emit('closed', reason);
  }
}
