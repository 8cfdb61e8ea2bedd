import type { Sql } from '../../db/sql';
import type { PageCursor } from '../../lib/cursor';
import type { EventEntity, EventLevel, ListedEvent } from './event.entity';
import { deleteOlderThan } from '../../db/retention';

export type NewEvent = Pick<EventEntity, 'routerId' | 'source' | 'level' | 'type' | 'message' | 'data'>;

export interface EventFilter {
  /** One router's events; null: every router the caller may see. */
  routerId: string | null;
  /** Whose routers: null for all of them (an admin, or a router already checked). */
  visibleTo: string | null;
  levels: EventLevel[] | null;
  types: string[] | null;
  from: Date | null;
  to: Date | null;
  before: PageCursor | null;
  limit: number;
}

/** The events table: inserts (a router's own ones counted per minute), keyset pages, retention. */
export class EventsRepository {
  constructor(private readonly db: Sql) {}

  async insert(event: NewEvent): Promise<EventEntity> {
    const rows = await this.db.query<EventEntity>(
      `INSERT INTO events (router_id, source, level, type, message, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       RETURNING id, router_id AS "routerId", source, level, type, message, data, created_at AS "createdAt"`,
      [event.routerId, event.source, event.level, event.type, event.message, event.data === null ? null : JSON.stringify(event.data)],
      'events_insert',
    );
    return rows[0];
  }

  /**
   * A router's own event, unless it posted `perMinute` already in the last minute: null then.
   * The router's advisory lock makes the count and the insert one step across replicas.
   */
  async insertLimited(event: NewEvent, perMinute: number): Promise<EventEntity | null> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('netpilot.events'), hashtext($1))`, [event.routerId]);
      const rows = await tx.query<EventEntity>(
        `INSERT INTO events (router_id, source, level, type, message, data)
         SELECT $1, $2, $3, $4, $5, $6::jsonb
          WHERE (SELECT count(*) FROM events WHERE router_id = $1 AND source = 'router'
                  AND created_at > clock_timestamp() - interval '1 minute') < $7
         RETURNING id, router_id AS "routerId", source, level, type, message, data, created_at AS "createdAt"`,
        [event.routerId, event.source, event.level, event.type, event.message, event.data === null ? null : JSON.stringify(event.data), perMinute],
      );
      return rows[0] ?? null;
    });
  }

  /** A page of events, newest first, with each router's name. */
  async list(f: EventFilter): Promise<ListedEvent[]> {
    return this.db.query<ListedEvent>(
      `SELECT e.id, e.router_id AS "routerId", r.name AS "routerName", e.source, e.level, e.type, e.message, e.data,
              e.created_at AS "createdAt"
         FROM events e JOIN routers r ON r.id = e.router_id
        WHERE ($1::uuid IS NULL OR e.router_id = $1)
          AND ($2::uuid IS NULL OR r.owner_id = $2
               OR EXISTS (SELECT 1 FROM router_assignments a WHERE a.router_id = r.id AND a.user_id = $2))
          AND ($3::text[] IS NULL OR e.level = ANY($3))
          AND ($4::text[] IS NULL OR e.type = ANY($4))
          AND ($5::timestamptz IS NULL OR e.created_at >= $5)
          AND ($6::timestamptz IS NULL OR e.created_at < $6)
          AND ($7::timestamptz IS NULL OR (e.created_at, e.id) < ($7, $8::uuid))
        ORDER BY e.created_at DESC, e.id DESC
        LIMIT $9`,
      [f.routerId, f.visibleTo, f.levels, f.types, f.from, f.to, f.before?.at ?? null, f.before?.id ?? null, f.limit],
      'events_list',
    );
  }

  /** Deletes events older than `days`, a batch at a time; returns how many. */
  deleteOlderThan(days: number): Promise<number> {
    return deleteOlderThan(this.db, 'events', 'created_at', days);
  }
}
