import type { Logger } from '@netpilot/service-kit';
import type { Actor } from '../../http/actor';
import { cursorOf, encodeCursor } from '../../lib/cursor';
import type { RouterEntity } from '../routers/router.entity';
import { RouterErrors } from '../routers/routers.errors';
import type { RoutersService } from '../routers/routers.service';
import { publishNowhere, type Publish } from '../stream/stream.events';
import type { EventEntity, EventLevel } from './event.entity';
import { toEventView } from './event.presenter';
import { EventErrors } from './events.errors';
import type { EventFilter, EventsRepository } from './events.repository';

/** What the controller itself records about routers. */
export type ControllerEventType =
  | 'router.online'
  | 'router.offline'
  | 'router.rebooted'
  | 'drift.repaired'
  | 'block.failed'
  | 'device.new'
  | 'schedule.applied';

export interface ControllerEvent {
  type: ControllerEventType;
  level: EventLevel;
  message: string;
  data?: Record<string, unknown>;
}

/** The controller's event for a router found online or offline, saying how it was found. */
export function routerStatusEvent(status: 'online' | 'offline', via: string): ControllerEvent {
  return status === 'online'
    ? { type: 'router.online', level: 'info', message: `The router is online (seen by ${via})`, data: { via } }
    : { type: 'router.offline', level: 'warn', message: `The router is offline (${via})`, data: { via } };
}

export interface EventQuery {
  level?: EventLevel[];
  type?: string[];
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
  /** GET /events only: one of the caller's routers. */
  routerId?: string;
}

export interface EventsServiceDeps {
  repo: EventsRepository;
  routers: Pick<RoutersService, 'getVisible'>;
  logger: Logger;
  /** How many events one router may post per minute. */
  perMinute: number;
  publish?: Publish;
}

/**
 * Router events: what routers post about themselves, what the controller observes of them,
 * and the filtered, paged listings of both for the people who may see those routers.
 */
export class EventsService {
  private readonly publish: Publish;

  constructor(private readonly deps: EventsServiceDeps) {
    this.publish = deps.publish ?? publishNowhere;
  }

  /** The controller's own event about a router. Never throws: losing one must not fail what it reports. */
  async record(routerId: string, event: ControllerEvent): Promise<void> {
    try {
      const saved = await this.deps.repo.insert({ routerId, source: 'controller', level: event.level, type: event.type, message: event.message, data: event.data ?? null });
      await this.publish({ kind: 'event.created', routerId, ids: [saved.id] });
    } catch (err) {
      this.deps.logger.warn('could not record a router event', { routerId, type: event.type, reason: (err as Error).message });
    }
  }

  /** A router's own event, posted with its router token (its own router only; rate-limited). */
  async post(routerId: string, authenticated: RouterEntity, input: { level: EventLevel; type: string; message: string; data?: Record<string, unknown> }) {
    // A token is good for its own router only; another id looks like a missing router.
    if (authenticated.id !== routerId) throw RouterErrors.notFound();
    const saved = await this.deps.repo.insertLimited({ routerId, source: 'router', level: input.level, type: input.type, message: input.message, data: input.data ?? null }, this.deps.perMinute);
    if (!saved) throw EventErrors.tooMany(this.deps.perMinute);
    await this.publish({ kind: 'event.created', routerId, ids: [saved.id] });
    return toEventView(saved);
  }

  /** One router's events, for someone who may see the router. */
  async listForRouter(actor: Actor, routerId: string, query: EventQuery) {
    await this.deps.routers.getVisible(actor, routerId);
    return this.page({ ...this.filterOf(query), routerId, visibleTo: null });
  }

  /** Events of every router the caller may see (admins: all), optionally of one of them. */
  async listVisible(actor: Actor, query: EventQuery) {
    if (query.routerId) await this.deps.routers.getVisible(actor, query.routerId);
    return this.page({ ...this.filterOf(query), routerId: query.routerId ?? null, visibleTo: actor.isAdmin ? null : actor.userId });
  }

  private filterOf(q: EventQuery): Omit<EventFilter, 'routerId' | 'visibleTo'> {
    return { levels: q.level ?? null, types: q.type ?? null, from: q.from ?? null, to: q.to ?? null, before: cursorOf(q.cursor), limit: q.limit + 1 };
  }

  private async page(filter: EventFilter) {
    const limit = filter.limit - 1;
    const rows = await this.deps.repo.list(filter);
    const items = rows.slice(0, limit);
    const last: EventEntity | undefined = items[items.length - 1];
    return {
      items: items.map(toEventView),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
    };
  }

  /** Forgets events older than the retention; the cleanup job runs it. */
  async deleteExpired(retentionDays: number): Promise<number> {
    return this.deps.repo.deleteOlderThan(retentionDays);
  }
}
