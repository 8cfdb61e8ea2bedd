import type { Sql } from '../../db/sql';
import { Batcher } from '../../lib/batcher';
import type { PageCursor } from '../../lib/cursor';
import { PUBLIC_ROUTER_COLUMNS, publicRouterJsonSql } from './router.presenter';

export interface Visibility {
  userId: string;
  isAdmin: boolean;
}

/** One page of the router listing: the items as a JSON array text, and where the next page starts. */
export interface ListedPage {
  itemsJson: string;
  next: PageCursor | null;
}

interface ListRequest {
  who: Visibility;
  limit: number;
  after: PageCursor | null;
}

const LISTED_COLUMNS = PUBLIC_ROUTER_COLUMNS.map((c) => `r.${c}`).join(', ');

/** After the caller's cursor in (created_at, id) order; the first page starts below every row. */
const AFTER_CURSOR = `(r.created_at, r.id) > (coalesce(q.after_at, '-infinity'), coalesce(q.after_id, '00000000-0000-0000-0000-000000000000'))`;

/**
 * Pages of the router listing for many callers at once: the arrays `$1`..`$5` hold each
 * caller's admin flag, id, cursor (time, id) and page size; one row per caller comes back, in
 * order, with the page's items as JSON text, whether more follow, and the last item's key.
 *
 * Each caller's page is the first `limit + 1` rows (the extra one says whether another page
 * follows) of three branches merged in (created_at, id) order, of which only an admin's or
 * only a user's run: for an admin, all routers (routers_created_idx); for a user, their own
 * (routers_owner_idx) and those assigned to them (their assignments first, then sorted: the
 * fence keeps the planner from walking every router in order to find a few). The cost
 * follows the caller's routers and the page, not the size of the fleet.
 */
const LIST_VISIBLE_BATCH = `
  SELECT pg.items, pg.more, pg.last_at, pg.last_id
    FROM unnest($1::boolean[], $2::uuid[], $3::timestamptz[], $4::uuid[], $5::int[])
         WITH ORDINALITY AS q(is_admin, user_id, after_at, after_id, lim, i)
   CROSS JOIN LATERAL (
         SELECT string_agg(publicRouter.item, ',' ORDER BY v.n) FILTER (WHERE v.n <= q.lim) AS items,
                max(v.n) > q.lim AS more,
                max(v.created_at) FILTER (WHERE v.n = q.lim) AS last_at,
                max(v.id::text) FILTER (WHERE v.n = q.lim) AS last_id
           FROM (SELECT v.*, row_number() OVER (ORDER BY v.created_at, v.id) AS n
                   FROM ((SELECT ${LISTED_COLUMNS} FROM routers r
                           WHERE q.is_admin AND ${AFTER_CURSOR}
                           ORDER BY r.created_at, r.id LIMIT q.lim + 1)
                         UNION ALL
                         (SELECT ${LISTED_COLUMNS} FROM routers r
                           WHERE NOT q.is_admin AND r.owner_id = q.user_id AND ${AFTER_CURSOR}
                           ORDER BY r.created_at, r.id LIMIT q.lim + 1)
                         UNION ALL
                         (SELECT assigned.* FROM (
                                 SELECT ${LISTED_COLUMNS} FROM router_assignments a JOIN routers r ON r.id = a.router_id
                                  WHERE NOT q.is_admin AND a.user_id = q.user_id AND r.owner_id <> q.user_id AND ${AFTER_CURSOR}
                                 OFFSET 0) assigned
                           ORDER BY assigned.created_at, assigned.id LIMIT q.lim + 1)) v
                  ORDER BY v.created_at, v.id
                  LIMIT q.lim + 1) v
          CROSS JOIN LATERAL (SELECT ${publicRouterJsonSql('q.is_admin', 'q.user_id')} AS item) publicRouter) pg
   ORDER BY q.i`;

/**
 * The hot path of `GET /routers` (the API's most frequent request; `npm run bench:controller`
 * measures it). PostgreSQL writes each page's items as the JSON the API sends, so Node
 * neither parses rows nor serialises them again. The listings asked for during one turn of
 * the event loop are read by one named (server-side prepared) statement: under load that is
 * one round trip for many requests, and equal requests (same caller, same page) are read
 * once. Each answer still comes from a read that started after its request arrived (Batcher).
 */
export class RouterListingRepository {
  constructor(private readonly db: Sql) {}

  listVisible(who: Visibility, limit: number, after: PageCursor | null): Promise<ListedPage> {
    return this.batcher.load({ who, limit, after });
  }

  private readonly batcher = new Batcher<ListRequest, ListedPage>(
    (requests) => this.listBatch(requests),
    (r) => `${r.who.isAdmin ? 'a' : 'u'}|${r.who.userId}|${r.limit}|${r.after ? `${r.after.at.getTime()}|${r.after.id}` : ''}`,
    64,
    // SQLSTATE class 22 (data exception) may be one caller's value; anything else is the database's.
    (err) => err instanceof Error && String((err as { code?: unknown }).code).startsWith('22'),
  );

  private async listBatch(requests: ListRequest[]): Promise<ListedPage[]> {
    const rows = await this.db.query<{ items: string | null; more: boolean | null; last_at: Date | null; last_id: string | null }>(
      LIST_VISIBLE_BATCH,
      [
        requests.map((r) => r.who.isAdmin),
        requests.map((r) => r.who.userId),
        requests.map((r) => r.after?.at ?? null),
        requests.map((r) => r.after?.id ?? null),
        requests.map((r) => r.limit),
      ],
      'routers_list_visible',
    );
    return rows.map((row) => ({
      itemsJson: `[${row.items ?? ''}]`,
      next: row.more && row.last_at && row.last_id ? { at: row.last_at, id: row.last_id } : null,
    }));
  }
}
