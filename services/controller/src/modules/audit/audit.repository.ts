import type { Sql, Tx } from '../../db/sql';
import { computeAuditHash, GENESIS_HASH, type AuditOutcome, type HashedAuditFields, type NewAuditRow } from './audit-hash';

/** Any fixed 64-bit number: the advisory lock that makes audit inserts one line, in id order. */
const AUDIT_CHAIN_LOCK = 7_401_884_312_001;

/** The next id and the hash it follows; run as its own statement after the lock (see append). */
const CHAIN_HEAD_SQL = `SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))::text AS id,
                (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS hash`;

const INSERT_SQL = `INSERT INTO audit_log (id, at, actor_user_id, actor_ip, action, target_type, target_id, outcome, details, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)`;

/**
 * BEGIN, the lock and the chain head as three statements in one simple-protocol message:
 * one round trip instead of three. Each statement still runs on its own: under READ
 * COMMITTED every statement of a multi-statement query takes a fresh snapshot, so the
 * head is read after the lock is granted and sees every chain row committed before it.
 * Only constants, so no parameters (which the simple protocol does not carry).
 */
const LOCK_AND_HEAD_SQL = `BEGIN; SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}); ${CHAIN_HEAD_SQL}`;

export interface AuditRow extends HashedAuditFields {
  hash: string;
  actorUsername: string | null;
}

export type { NewAuditRow };

export interface AuditQuery {
  actorUserId?: string;
  actorUsername?: string;
  routerId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Only rows with an id below this (the cursor). */
  beforeId?: string;
  limit: number;
}

interface RawAuditRow {
  id: string;
  at: Date;
  actor_user_id: string | null;
  actor_ip: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  actor_username?: string | null;
}

function fromRaw(r: RawAuditRow): AuditRow {
  return {
    id: String(r.id),
    at: r.at,
    actorUserId: r.actor_user_id,
    actorIp: r.actor_ip,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    outcome: r.outcome,
    details: r.details ?? {},
    prevHash: r.prev_hash,
    hash: r.hash,
    actorUsername: r.actor_username ?? null,
  };
}

/** The row that follows `head` in the chain: its insert values and what append returns. */
function chained(row: NewAuditRow, head: { id: string; hash: string | null }): { values: unknown[]; result: AuditRow } {
  const prevHash = head.hash ?? GENESIS_HASH;
  const full: HashedAuditFields = { id: head.id, ...row, prevHash };
  const hash = computeAuditHash(full);
  return {
    values: [head.id, row.at, row.actorUserId, row.actorIp, row.action, row.targetType, row.targetId, row.outcome, JSON.stringify(row.details), prevHash, hash],
    result: { ...full, hash, actorUsername: null },
  };
}

/** Raw SQL on purpose: the hash covers exact column values, which an ORM must not reshape. */
export class AuditRepository {
  constructor(private readonly db: Sql) {}

  /**
   * Appends one row to the chain. The transaction-scoped advisory lock serialises appends
   * across connections and replicas, so each row's prev_hash is the hash of the row before it
   * and ids grow in chain order. Inside a caller's transaction the lock is held until it commits.
   */
  async append(row: NewAuditRow, tx?: Tx): Promise<AuditRow> {
    if (!tx) return this.appendAlone(row);
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    // A statement of its own after the lock: under READ COMMITTED it sees every chain row committed before.
    const [head] = await tx.query<{ id: string; hash: string | null }>(CHAIN_HEAD_SQL);
    const { values, result } = chained(row, head);
    await tx.query(INSERT_SQL, values);
    return result;
  }

  /**
   * `append` in a transaction of its own, on a pooled pg client: the same statements in the
   * same order as inside a caller's transaction, in three round trips (lock and head, insert,
   * commit) where a TypeORM transaction takes five. Router actions record this way on every call.
   */
  private appendAlone(row: NewAuditRow): Promise<AuditRow> {
    return this.db.withClient(async (client) => {
      const results = (await client.query(LOCK_AND_HEAD_SQL)) as unknown as { rows: { id: string; hash: string | null }[] }[];
      const { values, result } = chained(row, results[2].rows[0]);
      await client.query({ name: 'audit_append', text: INSERT_SQL, values });
      await client.query('COMMIT');
      return result;
    });
  }

  /** Newest first, filtered; the caller turns the last id into a cursor. */
  async find(q: AuditQuery): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      let i = 0;
      where.push(
        `(${sql.replace(/\?/g, () => {
          params.push(values[i++]);
          return `$${params.length}`;
        })})`,
      );
    };
    if (q.actorUserId) add('a.actor_user_id = ?', q.actorUserId);
    if (q.actorUsername) add('lower(u.username) = lower(?)', q.actorUsername);
    // A router's own rows, and rows about things inside it (blocks, devices) that name it in details.
    if (q.routerId) add("(a.target_type = 'router' AND a.target_id = ?) OR a.details->>'routerId' = ?", q.routerId, q.routerId);
    if (q.action) add('a.action = ?', q.action);
    if (q.from) add('a.at >= ?', q.from);
    if (q.to) add('a.at <= ?', q.to);
    if (q.beforeId) add('a.id < ?::bigint', q.beforeId);
    params.push(q.limit);
    const rows = await this.db.query<RawAuditRow>(
      `SELECT a.id::text AS id, a.at, a.actor_user_id, a.actor_ip, a.action, a.target_type, a.target_id,
              a.outcome, a.details, a.prev_hash, a.hash, u.username AS actor_username
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.id DESC
        LIMIT $${params.length}`,
      params,
    );
    return rows.map(fromRaw);
  }

  /** The newest entry of the chain (its id, hash and time), or null while the log is empty. */
  async head(): Promise<{ id: string; hash: string; at: Date } | null> {
    const rows = await this.db.query<{ id: string; hash: string; at: Date }>(`SELECT a.id::text AS id, a.hash, a.at FROM audit_log a ORDER BY a.id DESC LIMIT 1`);
    return rows[0] ?? null;
  }

  /** The whole chain in id order, a page at a time (keyset), for verification. */
  async *walk(pageSize = 1000): AsyncGenerator<AuditRow> {
    let after = '0';
    for (;;) {
      const rows = await this.db.query<RawAuditRow>(
        // Qualified a.id: a bare "ORDER BY id" would sort by the text alias (1, 10, 2, ...).
        `SELECT a.id::text AS id, at, actor_user_id, actor_ip, action, target_type, target_id, outcome, details, prev_hash, hash
           FROM audit_log a WHERE a.id > $1::bigint ORDER BY a.id LIMIT $2`,
        [after, pageSize],
      );
      for (const r of rows) yield fromRaw(r);
      if (rows.length < pageSize) return;
      after = String(rows[rows.length - 1].id);
    }
  }
}
