import type { Sql, Tx } from '../../db/sql';
import { computeAuditHash, GENESIS_HASH, type AuditOutcome, type HashedAuditFields, type NewAuditRow } from './audit-hash';

/**
 * Any fixed 64-bit number: the advisory lock of the sealer, so that one sealer at a time
 * extends the chain. Taken with pg_try_advisory_xact_lock by the sealer only; appends never wait on it.
 */
export const AUDIT_SEAL_LOCK = 7_401_884_312_001;

/** A plain insert: the row is sealed (given its place in the chain and its hash) later. */
const INSERT_SQL = `INSERT INTO audit_log (at, actor_user_id, actor_ip, action, target_type, target_id, outcome, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`;

const COLUMNS = `a.id::text AS id, a.at, a.actor_user_id, a.actor_ip, a.action, a.target_type, a.target_id, a.outcome, a.details`;

/** An entry as listed (GET /audit): no chain fields, sealed or not. */
export interface AuditRow extends NewAuditRow {
  id: string;
  actorUsername: string | null;
  /** `at` in whole microseconds since 1970 (its exact stored value), for the page cursor. */
  atMicros: string;
}

/** Where a page starts: below this entry in (at, id) order. */
export interface AuditPageKey {
  atMicros: string;
  id: string;
}

/** An entry of the chain, as verify reads it. */
export interface SealedAuditRow extends HashedAuditFields {
  hash: string;
  /** Its position in the chain. */
  sealSeq: string;
  /** The router_id column (derived by PostgreSQL, not covered by the hash). */
  routerId: string | null;
}

export type { NewAuditRow };

export interface AuditQuery {
  actorUserId?: string;
  actorUsername?: string;
  routerId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Only rows after this one, newest first (the cursor). */
  before?: AuditPageKey;
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
}

interface RawSealedRow extends RawAuditRow {
  prev_hash: string;
  hash: string;
  seal_seq: string;
  router_id: string | null;
}

function fromRaw(r: RawAuditRow): NewAuditRow & { id: string } {
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
  };
}

/** Raw SQL on purpose: the hash covers exact column values, which an ORM must not reshape. */
export class AuditRepository {
  constructor(private readonly db: Sql) {}

  /**
   * Appends one unsealed row: one INSERT, in the caller's transaction when given one (the
   * change and its entry commit together), else on its own. Nothing here waits on other appends.
   */
  /** Many entries in one statement (a bulk operation's, one per router). */
  async appendMany(rows: NewAuditRow[], tx?: Tx): Promise<void> {
    if (!rows.length) return;
    const col = <K extends keyof NewAuditRow>(k: K) => rows.map((r) => r[k]);
    await (tx ?? this.db).query(
      `INSERT INTO audit_log (at, actor_user_id, actor_ip, action, target_type, target_id, outcome, details)
       SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[])`,
      [col('at'), col('actorUserId'), col('actorIp'), col('action'), col('targetType'), col('targetId'), col('outcome'), rows.map((r) => JSON.stringify(r.details))],
      'audit_append_many',
    );
  }

  async append(row: NewAuditRow, tx?: Tx): Promise<void> {
    const values = [row.at, row.actorUserId, row.actorIp, row.action, row.targetType, row.targetId, row.outcome, JSON.stringify(row.details)];
    await (tx ?? this.db).query(INSERT_SQL, values, 'audit_append');
  }

  /**
   * Seals up to `limit` committed unsealed rows, in id order, after the chain's current end:
   * each gets the next position, the previous row's hash and its own, in one UPDATE. Returns
   * null when another sealer holds the lock (it is sealing them), else how many were sealed.
   * Rows committed meanwhile are left for the next call.
   */
  async sealPending(limit: number): Promise<number | null> {
    return this.db.transaction(async (tx) => {
      const [{ locked }] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [AUDIT_SEAL_LOCK]);
      if (!locked) return null;
      // Statements of their own after the lock: under READ COMMITTED they see the last sealer's commit.
      const [end] = await tx.query<{ seal_seq: string; hash: string }>(
        // Qualified a.seal_seq: a bare one would sort by the text alias ('9' after '10').
        'SELECT a.seal_seq::text AS seal_seq, a.hash FROM audit_log a WHERE a.seal_seq IS NOT NULL ORDER BY a.seal_seq DESC LIMIT 1',
      );
      const rows = await tx.query<RawAuditRow>(`SELECT ${COLUMNS} FROM audit_log a WHERE a.seal_seq IS NULL ORDER BY a.id LIMIT $1`, [limit]);
      if (!rows.length) return 0;
      let seq = end ? BigInt(end.seal_seq) : 0n;
      let prevHash = end?.hash ?? GENESIS_HASH;
      const ids: string[] = [];
      const seqs: string[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const raw of rows) {
        const hash = computeAuditHash({ ...fromRaw(raw), prevHash });
        ids.push(String(raw.id));
        seqs.push(String(++seq));
        prevs.push(prevHash);
        hashes.push(hash);
        prevHash = hash;
      }
      const updated = await tx.query<{ n: number }>(
        `WITH sealed AS (
           UPDATE audit_log a SET seal_seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
             FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS v(id, seq, prev_hash, hash)
            WHERE a.id = v.id AND a.seal_seq IS NULL
           RETURNING 1)
         SELECT count(*)::int AS n FROM sealed`,
        [ids, seqs, prevs, hashes],
      );
      // Only the lock holder seals: fewer rows means someone else wrote seal columns, and this batch would break the chain.
      if (updated[0].n !== rows.length) throw new Error(`audit seal: ${updated[0].n} of ${rows.length} rows sealed; rolled back`);
      return rows.length;
    });
  }

  /**
   * Newest first in (at, id) order, filtered; the caller turns the last row into a cursor.
   * Every filter, alone or with a time range, reads one index range in that order (each
   * index ends in `at DESC, id DESC`), so a page costs the same however long the log grows.
   */
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
    if (q.actorUserId) add('a.actor_user_id = ?::uuid', q.actorUserId);
    // The user's id first (one row by users_username_lower_key), so that the actor index serves the filter.
    if (q.actorUsername) add('a.actor_user_id = (SELECT id FROM users WHERE lower(username) = lower(?))', q.actorUsername);
    // router_id: a router's own rows, and rows about things inside it (blocks, devices) that name it in details.
    if (q.routerId) add('a.router_id = ?::uuid', q.routerId);
    if (q.action) add('a.action = ?', q.action);
    if (q.from) add('a.at >= ?', q.from);
    if (q.to) add('a.at <= ?', q.to);
    if (q.before) add(`(a.at, a.id) < (timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?::bigint)`, q.before.atMicros, q.before.id);
    params.push(q.limit);
    const rows = await this.db.query<RawAuditRow & { actor_username: string | null; at_us: string }>(
      `SELECT ${COLUMNS}, u.username AS actor_username, (extract(epoch FROM a.at) * 1000000)::bigint::text AS at_us
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.at DESC, a.id DESC
        LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({ ...fromRaw(r), actorUsername: r.actor_username ?? null, atMicros: r.at_us }));
  }

  /** The last sealed entry of the chain (its id, hash and time), or null while none is sealed. */
  async head(): Promise<{ id: string; hash: string; at: Date } | null> {
    const rows = await this.db.query<{ id: string; hash: string; at: Date }>(
      'SELECT a.id::text AS id, a.hash, a.at FROM audit_log a WHERE a.seal_seq IS NOT NULL ORDER BY a.seal_seq DESC LIMIT 1',
    );
    return rows[0] ?? null;
  }

  /** The sealed chain in chain order (seal_seq), a page at a time (keyset), for verification. */
  async *walk(pageSize = 1000): AsyncGenerator<SealedAuditRow> {
    let after = '0';
    for (;;) {
      const rows = await this.db.query<RawSealedRow>(
        `SELECT ${COLUMNS}, a.prev_hash, a.hash, a.seal_seq::text AS seal_seq, a.router_id::text AS router_id
           FROM audit_log a WHERE a.seal_seq > $1::bigint ORDER BY a.seal_seq LIMIT $2`,
        [after, pageSize],
      );
      for (const r of rows) yield { ...fromRaw(r), prevHash: r.prev_hash, hash: r.hash, sealSeq: r.seal_seq, routerId: r.router_id };
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1].seal_seq;
    }
  }
}
