import { Client } from 'pg';
import type { Logger } from '@netpilot/service-kit';
import type { Sql } from '../../db/sql';

/** The one PostgreSQL channel every replica listens on. */
export const STREAM_CHANNEL = 'netpilot_stream';

/** pg_notify refuses payloads of 8000 bytes or more. */
export const MAX_NOTIFY_BYTES = 7900;

/** Who may see a router's events besides admins. */
export interface RouterAudience {
  ownerId: string;
  assignedUserIds: string[];
}

/** The stream's SQL: NOTIFY, and the audience of a router. */
export class StreamRepository {
  constructor(private readonly db: Sql) {}

  async notify(payload: string): Promise<void> {
    await this.db.query('SELECT pg_notify($1, $2)', [STREAM_CHANNEL, payload], 'stream_notify');
  }

  async routerAudience(routerId: string): Promise<RouterAudience | null> {
    const rows = await this.db.query<{ owner_id: string; assigned: string[] }>(
      `SELECT r.owner_id, COALESCE(array_agg(a.user_id::text) FILTER (WHERE a.user_id IS NOT NULL), '{}') AS assigned
         FROM routers r LEFT JOIN router_assignments a ON a.router_id = r.id
        WHERE r.id = $1
        GROUP BY r.owner_id`,
      [routerId],
    );
    return rows[0] ? { ownerId: rows[0].owner_id, assignedUserIds: rows[0].assigned } : null;
  }
}

export interface NotificationListenerOptions {
  connectionString: string;
  logger: Logger;
  onNotification(payload: string): void;
  /** After a reconnect: notifications may have been missed meanwhile. */
  onReconnect(): void;
  /** First retry delay; doubled per failure up to maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * LISTEN on a dedicated connection (a pooled client would be handed back and lose its
 * LISTEN), reconnecting with backoff when the database goes away.
 */
export class NotificationListener {
  private client: Client | null = null;
  private stopped = false;
  private connectedOnce = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private delayMs: number;
  private markReady: () => void = () => undefined;
  /** Resolves when the first LISTEN is in place. */
  readonly ready: Promise<void>;

  constructor(private readonly opts: NotificationListenerOptions) {
    this.delayMs = opts.minDelayMs ?? 500;
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.opts.connectionString, connectionTimeoutMillis: 5000, keepAlive: true });
    this.client = client;
    let failed = false;
    const lost = (err?: unknown) => {
      if (failed) return;
      failed = true;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (this.client === client) this.client = null;
      if (this.stopped) return;
      this.opts.logger.warn('stream listener lost its database connection; reconnecting', { err, retryInMs: this.delayMs });
      this.retryTimer = setTimeout(() => void this.connect(), this.delayMs);
      this.retryTimer.unref();
      this.delayMs = Math.min(this.delayMs * 2, this.opts.maxDelayMs ?? 10_000);
    };
    // Without an 'error' listener a dropped connection kills the process.
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (msg) => {
      if (msg.channel === STREAM_CHANNEL && msg.payload) this.opts.onNotification(msg.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${STREAM_CHANNEL}`);
    } catch (err) {
      lost(err);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.delayMs = this.opts.minDelayMs ?? 500;
    if (this.connectedOnce) this.opts.onReconnect();
    this.connectedOnce = true;
    this.markReady();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
