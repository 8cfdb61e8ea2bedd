import type { Logger } from '@netpilot/service-kit';
import type { Publish, StreamEvent } from './stream.events';
import { MAX_NOTIFY_BYTES, type RouterAudience } from './stream.repository';

/** One open stream: who is listening, and how to reach them. */
export interface StreamSubscriber {
  userId: string;
  isAdmin: boolean;
  sessionId: string;
  send(event: string, data: unknown): void;
  /** Ends the stream (after `session.terminated`, or at shutdown). */
  close(): void;
}

export interface StreamServiceDeps {
  notify(payload: string): Promise<void>;
  /** Owner and assigned users of a router (admins see every router); null when it is gone. */
  routerAudience(routerId: string): Promise<RouterAudience | null>;
  /** Starts listening to every replica's notices; called when the first stream opens. */
  listen(handlers: { onNotification(payload: string): void; onReconnect(): void }): { stop(): Promise<void>; ready: Promise<void> };
  logger: Logger;
}

const IDS_PER_NOTICE = 100;

/**
 * Live updates across replicas: `publish` sends a notice through PostgreSQL NOTIFY; every
 * replica's listener hands it to the streams whose user may see it.
 */
export class StreamService {
  private readonly subscribers = new Set<StreamSubscriber>();
  private listener: { stop(): Promise<void>; ready: Promise<void> } | null = null;

  constructor(private readonly deps: StreamServiceDeps) {}

  /** Never throws: a lost notice costs a browser a refresh, not the user's request. */
  readonly publish: Publish = async (event: StreamEvent) => {
    const chunks = event.ids && event.ids.length > IDS_PER_NOTICE ? chunk(event.ids, IDS_PER_NOTICE) : [event.ids];
    for (const ids of chunks) {
      const payload = JSON.stringify(ids ? { ...event, ids } : event);
      if (Buffer.byteLength(payload) > MAX_NOTIFY_BYTES) {
        this.deps.logger.error('stream notice too large; dropped', { kind: event.kind });
        continue;
      }
      try {
        await this.deps.notify(payload);
      } catch (err) {
        this.deps.logger.warn('stream notice not sent', { err, kind: event.kind });
      }
    }
  };

  /**
   * Adds a stream; the returned function removes it. `listening` resolves once this replica
   * hears every notice (at most `waitMs` later), so a browser that then fetches misses nothing.
   */
  subscribe(sub: StreamSubscriber, waitMs = 3000): { unsubscribe(): void; listening: Promise<void> } {
    this.subscribers.add(sub);
    this.listener ??= this.deps.listen({
      onNotification: (payload) => void this.deliver(payload),
      onReconnect: () => this.broadcastResync(),
    });
    let timer: NodeJS.Timeout | undefined;
    const listening = Promise.race([
      this.listener.ready,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]).finally(() => clearTimeout(timer));
    return {
      unsubscribe: () => {
        this.subscribers.delete(sub);
      },
      listening,
    };
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Ends every stream and stops listening (shutdown). */
  async close(): Promise<void> {
    for (const sub of [...this.subscribers]) sub.close();
    this.subscribers.clear();
    const listener = this.listener;
    this.listener = null;
    await listener?.stop();
  }

  private broadcastResync(): void {
    for (const sub of this.subscribers) sub.send('resync', {});
  }

  private async deliver(payload: string): Promise<void> {
    let event: StreamEvent;
    try {
      event = JSON.parse(payload) as StreamEvent;
    } catch {
      return;
    }
    if (!this.subscribers.size) return;
    if (event.kind === 'session.revoked') {
      const ids = new Set(event.ids ?? []);
      for (const sub of [...this.subscribers]) {
        if (ids.has(sub.sessionId)) {
          sub.send('session.terminated', {});
          sub.close();
        } else if (sub.isAdmin) {
          sub.send(event.kind, { ids: event.ids ?? [] });
        }
      }
      return;
    }
    if (event.kind === 'operation.progress') {
      for (const sub of this.subscribers) if (sub.isAdmin || sub.userId === event.userId) sub.send(event.kind, { ids: event.ids ?? [] });
      return;
    }
    if (!event.routerId) return;
    let audience: RouterAudience | null = null;
    try {
      audience = await this.deps.routerAudience(event.routerId);
    } catch (err) {
      this.deps.logger.warn('stream: could not read who may see a router; notice dropped', { err, routerId: event.routerId });
      return;
    }
    const data = { routerId: event.routerId, ids: event.ids ?? [] };
    for (const sub of this.subscribers) {
      const maySee = sub.isAdmin || (audience !== null && (audience.ownerId === sub.userId || audience.assignedUserIds.includes(sub.userId)));
      if (maySee) sub.send(event.kind, data);
    }
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
