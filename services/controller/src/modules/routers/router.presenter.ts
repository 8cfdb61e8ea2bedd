import type { RouterEntity } from './router.entity';

/** The caller's relation to a router, owner first, then admin (even if also assigned). */
export type Access = 'owner' | 'assigned' | 'admin';

/** What the API shows of a router: never a credential, never a token or key hash. */
export function toPublicRouter(r: RouterEntity, access: Access) {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    port: r.port,
    username: r.username,
    platform: r.platform,
    authMethod: r.authMethod,
    options: r.options ?? {},
    jumpHost: r.jumpHost,
    tunnelPort: r.tunnelPort,
    hostKeySha256: r.hostKeySha256,
    status: r.status,
    lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
    registeredAt: r.registeredAt?.toISOString() ?? null,
    ownerId: r.ownerId,
    access,
    timeZone: r.timeZone,
    convergence: {
      state: r.convergence,
      lastReconciledAt: r.lastReconciledAt?.toISOString() ?? null,
      lastError: r.lastReconcileError,
    },
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export type PublicRouter = ReturnType<typeof toPublicRouter>;

/** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it (PostgreSQL truncates to ms, like a JS Date). */
const isoSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * `toPublicRouter` written by PostgreSQL as compact JSON text, for the listing's hot path
 * (router-listing.repository.ts; `npm run bench:controller` measures why): the row `v`, for
 * the caller given by two SQL expressions. test/router-listing.api.test.ts holds every
 * listed item equal to what `GET /routers/:id` answers.
 */
export const publicRouterJsonSql = (callerIsAdmin: string, callerId: string) => `(SELECT row_to_json(p)::text FROM (SELECT
    v.id, v.name, v.host, v.port, v.username, v.platform, v.auth_method AS "authMethod",
    coalesce(v.options, '{}'::jsonb) AS options, v.jump_host AS "jumpHost", v.tunnel_port AS "tunnelPort",
    v.host_key_sha256 AS "hostKeySha256", v.status, ${isoSql('v.last_seen_at')} AS "lastSeenAt",
    ${isoSql('v.registered_at')} AS "registeredAt", v.owner_id AS "ownerId",
    CASE WHEN v.owner_id = ${callerId} THEN 'owner' WHEN ${callerIsAdmin} THEN 'admin' ELSE 'assigned' END AS access,
    v.time_zone AS "timeZone",
    json_build_object('state', v.convergence, 'lastReconciledAt', ${isoSql('v.last_reconciled_at')}, 'lastError', v.last_reconcile_error) AS convergence,
    ${isoSql('v.created_at')} AS "createdAt", ${isoSql('v.updated_at')} AS "updatedAt") p)`;

/** The columns `publicRouterJsonSql` reads: credentials, hashes and network info stay in the database. */
export const PUBLIC_ROUTER_COLUMNS = [
  'id', 'owner_id', 'name', 'host', 'port', 'username', 'platform', 'auth_method', 'options', 'jump_host',
  'tunnel_port', 'host_key_sha256', 'status', 'last_seen_at', 'registered_at', 'convergence', 'last_reconciled_at',
  'last_reconcile_error', 'created_at', 'updated_at', 'time_zone',
];
