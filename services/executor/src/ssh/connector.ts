import { lookup } from 'node:dns/promises';
import type { Duplex } from 'node:stream';
import { destinationRefusal, type DestinationAllowances } from '@netpilot/contracts';
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
  /** Addresses the executor may dial although they are normally refused (none by default). */
  destinations?: DestinationAllowances;
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
        // Dialled directly: the name is resolved once, its address checked, and that address dialled.
        const dialled = sock ? endpoint : { ...endpoint, host: await this.allowedAddress(endpoint, req.hop) };
        const conn = await SshConnection.open(dialled, {
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

  /**
   * The address to dial for `endpoint`: its host resolved once (no second lookup a DNS
   * rebinding could answer differently), refused when any address it resolves to is one a
   * router may not have (the executor's own host, link-local and metadata, multicast) and no
   * operator allowed it by name.
   */
  private async allowedAddress(endpoint: SshEndpoint, hop: Hop): Promise<string> {
    let addresses: string[];
    try {
      addresses = (await lookup(endpoint.host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw new AppError('ROUTER_UNREACHABLE', `The ${label(hop)}'s host name does not resolve`, { hop, host: endpoint.host, port: endpoint.port, reason: 'DNS' });
    }
    for (const address of addresses) {
      const refusal = destinationRefusal(endpoint.host, address, endpoint.port, this.opts.destinations ?? NO_ALLOWANCES);
      if (refusal) {
        throw new AppError('DESTINATION_NOT_ALLOWED', `The ${label(hop)}'s address is a ${refusal} address, which routers may not have`, {
          hop,
          host: endpoint.host,
          port: endpoint.port,
        });
      }
    }
    return addresses[0];
  }
}

export const NO_ALLOWANCES: DestinationAllowances = { specialAddresses: [], endpoints: [], tunnelPorts: { min: 1, max: 0 } };

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
