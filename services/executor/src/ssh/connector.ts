import type { Duplex } from 'node:stream';
import { AppError } from '../errors';
import type { ExecutorMetrics } from '../metrics/metrics';
import { ConnectionLostError, connectErrorToAppError, type Hop } from './errors';
import { KeyedSemaphore } from './semaphore';
import { SshConnection, type SshEndpoint } from './ssh-connection';

/** Less time than this left after waiting for a handshake slot: give up rather than start one. */
const MIN_HANDSHAKE_MS = 100;

export interface ConnectorOptions {
  connectTimeoutMs: number;
  maxChannelsPerConnection: number;
  maxHandshakesPerHost: number;
  keepaliveIntervalMs?: number;
}

export interface ConnectRequest {
  hop: Hop;
  /** Key of the sshd whose handshake slots we take (host:port, or bastion + target). */
  limiterKey: string;
  /** Opens the transport once a handshake slot is ours (e.g. a jump host's forwardOut). */
  openSock?: () => Promise<Duplex>;
}

/**
 * Opens SSH connections for every session, with a per-host bound on handshakes in
 * flight: sshd's MaxStartups drops bursts of new connections, so a burst of first
 * actions to one host waits here instead. The wait counts against the connect timeout.
 */
export class SshConnector {
  private readonly handshakeSlots: KeyedSemaphore;

  constructor(
    private readonly opts: ConnectorOptions,
    private readonly metrics?: ExecutorMetrics,
  ) {
    this.handshakeSlots = new KeyedSemaphore(opts.maxHandshakesPerHost);
  }

  /** Connects, verifies the host key and authenticates, or rejects with an AppError. */
  async connect(endpoint: SshEndpoint, req: ConnectRequest): Promise<SshConnection> {
    const started = Date.now();
    const budget = this.opts.connectTimeoutMs;
    const where = { hop: req.hop, host: endpoint.host, port: endpoint.port };
    try {
      let release;
      try {
        release = await this.handshakeSlots.acquire(req.limiterKey, AbortSignal.timeout(budget));
      } catch {
        throw new AppError('ROUTER_UNREACHABLE', `No SSH session with the ${label(req.hop)} within ${budget} ms`, {
          ...where,
          reason: 'CONNECT_TIMEOUT',
        });
      }
      try {
        // A handshake started with almost no time left only burns one of the router's
        // MaxStartups slots and fails anyway.
        if (budget - (Date.now() - started) < Math.min(MIN_HANDSHAKE_MS, budget / 4)) {
          throw new AppError('ROUTER_UNREACHABLE', `No SSH session with the ${label(req.hop)} within ${budget} ms`, {
            ...where,
            reason: 'CONNECT_TIMEOUT',
          });
        }
        const sock = req.openSock ? await withTimeout(req.openSock(), budget - (Date.now() - started), where, budget) : undefined;
        const conn = await SshConnection.open(endpoint, {
          hop: req.hop,
          connectTimeoutMs: Math.max(1, budget - (Date.now() - started)),
          maxChannels: this.opts.maxChannelsPerConnection,
          keepaliveIntervalMs: this.opts.keepaliveIntervalMs,
          sock,
          onChannelDelta: (d) => this.metrics?.channelsInFlight.inc(d),
        });
        this.metrics?.handshakes.inc({ hop: req.hop, outcome: 'ok' });
        return conn;
      } finally {
        release();
      }
    } catch (err) {
      // A bastion connection that died under us is retried by the pool, so it keeps its type.
      if (err instanceof ConnectionLostError) throw err;
      const appErr =
        err instanceof AppError
          ? err
          : connectErrorToAppError(err, {
              ...where,
              seenHostKey: null,
              expectedHostKey: endpoint.hostKeySha256 ?? null,
              hostKeyMismatch: false,
              timedOut: false,
              timeoutMs: budget,
            });
      this.metrics?.handshakes.inc({ hop: req.hop, outcome: appErr.code });
      throw appErr;
    }
  }
}

function label(hop: Hop): string {
  return hop === 'router' ? 'router' : 'jump host';
}

function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  where: { hop: Hop; host: string; port: number },
  budget: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => {
      reject(
        new AppError('ROUTER_UNREACHABLE', `No SSH session with the ${label(where.hop)} within ${budget} ms`, {
          ...where,
          reason: 'CONNECT_TIMEOUT',
        }),
      );
      // A stream that arrives after we gave up is closed so the bastion frees it.
      p.then((v) => (v as { destroy?: () => void })?.destroy?.(), () => {});
    }, Math.max(1, ms));
    t.unref();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
