import { clientAddress } from '../../http/actor';
import type { Request } from 'express';
import { invalidCursor } from '../../lib/cursor';
import type { Logger } from '@netpilot/service-kit';
import { redact } from '@netpilot/service-kit';
import type { Tx } from '../../db/sql';
import { computeAuditHash, GENESIS_HASH, normaliseDetails, routerIdOf, type AuditOutcome, type NewAuditRow } from './audit-hash';
import { AuditErrors } from './audit.errors';
import type { AuditPageKey, AuditRepository, AuditRow } from './audit.repository';

export type { AuditOutcome } from './audit-hash';

/** Who did it: a user (null for the system or the CLI) and the address they came from. */
export interface AuditActor {
  userId: string | null;
  ip: string | null;
}

export interface AuditRecordInput {
  /** Dotted, lower case: `auth.login`, `user.update`, `router.block`. */
  action: string;
  outcome?: AuditOutcome;
  actor?: Partial<AuditActor> | null;
  target?: { type: string; id?: string | null } | null;
  /** Facts worth keeping; secret-looking keys are replaced by "[redacted]" before storage. */
  details?: Record<string, unknown>;
}

/** One entry as GET /audit shows it. */
export interface AuditEntryView extends Omit<NewAuditRow, 'at'> {
  id: string;
  at: string;
  actorUsername: string | null;
}

export interface AuditListFilter {
  /** A user id or a username. */
  actor?: string;
  router?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  cursor?: string;
}

export type AuditVerifyResult =
  | { ok: true; entries: number }
  | { ok: false; entries: number; firstBadId: string; reason: AuditVerifyFailure; message: string };

export type AuditVerifyFailure = 'hash_mismatch' | 'prev_hash_mismatch' | 'router_id_mismatch' | 'head_missing' | 'head_mismatch';

/** An exported chain head: kept outside the database, it shows later whether entries were cut from the end. */
export interface AuditHead {
  id: string;
  hash: string;
  at: string;
}

/** Rows one seal transaction takes. */
const SEAL_BATCH = 1000;
/** A periodic seal stops after this many batches (the next one goes on), so that a job never runs unbounded. */
const SEAL_MAX_BATCHES = 50;
/** How long verify and head wait for a sealer running elsewhere before they give up. */
const SEAL_WAIT_MS = 15_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The actor of an HTTP request: the authenticated user, if any, and the client address. */
export function actorOf(req: Request): AuditActor {
  return { userId: req.auth?.user.id ?? null, ip: clientAddress(req) };
}

/** Opaque cursor: the last entry's place in (at, id) order, `at` to the microsecond as stored. */
function encodeCursor(key: AuditPageKey): string {
  return Buffer.from(JSON.stringify({ at: key.atMicros, id: key.id }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): AuditPageKey {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at?: unknown; id?: unknown };
    // Up to 18 digits each: microseconds after 1970 (to about year 33,000) and ids, both values PostgreSQL takes.
    if (typeof parsed.at === 'string' && /^\d{1,18}$/.test(parsed.at) && typeof parsed.id === 'string' && /^\d{1,18}$/.test(parsed.id)) {
      return { atMicros: parsed.at, id: parsed.id };
    }
  } catch {
    /* fall through */
  }
  throw invalidCursor();
}

/** The row an entry is stored as (details redacted and normalised as the hash reads them). */
function rowOf(input: AuditRecordInput) {
  return {
    at: new Date(),
    actorUserId: input.actor?.userId ?? null,
    actorIp: input.actor?.ip ?? null,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    outcome: input.outcome ?? 'success',
    details: normaliseDetails(redact(input.details ?? {}) as Record<string, unknown>),
  };
}

/** Append-only, hash-chained audit log: record, list, seal, verify. */
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly logger: Logger,
  ) {}

  /**
   * Appends one entry. Pass the caller's transaction so that the change and its record
   * commit together; without one the entry gets its own transaction. The entry is a plain
   * insert: it joins the hash chain when it is sealed (`seal`, about a second later).
   */
  async record(input: AuditRecordInput, tx?: Tx): Promise<void> {
    await this.repo.append(rowOf(input), tx);
  }

  /** `record` for many entries in one statement (a bulk operation's, one per router). */
  async recordMany(inputs: AuditRecordInput[], tx?: Tx): Promise<void> {
    await this.repo.appendMany(inputs.map(rowOf), tx);
  }

  /**
   * `record` for events whose loss must not fail the user's request (e.g. a failed login
   * being answered 401): errors are logged instead of thrown.
   */
  async recordQuietly(input: AuditRecordInput): Promise<void> {
    try {
      await this.record(input);
    } catch (err) {
      this.logger.error('audit record failed', { err, action: input.action });
    }
  }

  async list(filter: AuditListFilter): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
    const limit = filter.limit ?? 50;
    // router_id is a uuid column: anything else names no router.
    if (filter.router !== undefined && !UUID.test(filter.router)) return { items: [], nextCursor: null };
    const rows = await this.repo.find({
      actorUserId: filter.actor && UUID.test(filter.actor) ? filter.actor : undefined,
      actorUsername: filter.actor && !UUID.test(filter.actor) ? filter.actor : undefined,
      routerId: filter.router,
      action: filter.action,
      from: filter.from,
      to: filter.to,
      before: filter.cursor ? decodeCursor(filter.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      items: page.map(toView),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  /**
   * Extends the hash chain over the entries committed since the last seal: one sealer at a
   * time across all replicas (the others find it busy and return 0). With `wait`, a busy
   * sealer is waited for and then whatever is still pending is sealed, so that what follows
   * sees every entry committed before the call. Returns how many entries this call sealed.
   */
  async seal(opts: { wait?: boolean } = {}): Promise<number> {
    const deadline = Date.now() + SEAL_WAIT_MS;
    let total = 0;
    let batches = 0;
    while (opts.wait || batches < SEAL_MAX_BATCHES) {
      const sealed = await this.repo.sealPending(SEAL_BATCH);
      if (sealed === null) {
        if (!opts.wait) break;
        if (Date.now() > deadline) throw AuditErrors.sealBusy();
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      total += sealed;
      batches++;
      if (sealed < SEAL_BATCH) break;
    }
    return total;
  }

  /** The chain's newest entry, to export and keep elsewhere (null while the log is empty); pending entries are sealed first. */
  async head(): Promise<AuditHead | null> {
    await this.seal({ wait: true });
    const head = await this.repo.head();
    return head && { id: head.id, hash: head.hash, at: head.at.toISOString() };
  }

  /**
   * Seals what is pending, then recomputes the chain from its first entry in chain order
   * (seal_seq); names the first entry that does not fit, also one whose router_id (outside the
   * hash) is not the router its target and details name. With `expectHead` (a head exported
   * earlier), that entry must still be in the chain with the same hash: entries cut from the end
   * of the log, which the chain alone cannot show, are noticed.
   */
  async verify(opts: { pageSize?: number; expectHead?: Pick<AuditHead, 'id' | 'hash'> } = {}): Promise<AuditVerifyResult> {
    await this.seal({ wait: true });
    let expectedPrev = GENESIS_HASH;
    let previousId: string | null = null;
    let entries = 0;
    let headSeen = false;
    const expected = opts.expectHead;
    for await (const row of this.repo.walk(opts.pageSize)) {
      entries++;
      if (expected && row.id === expected.id) {
        headSeen = true;
        if (row.hash !== expected.hash) {
          return { ok: false, entries, firstBadId: row.id, reason: 'head_mismatch', message: `entry ${row.id}, the exported head, has another hash now: the log was rewritten from there` };
        }
      }
      if (row.prevHash !== expectedPrev) {
        return {
          ok: false,
          entries,
          firstBadId: row.id,
          reason: 'prev_hash_mismatch',
          message:
            previousId === null
              ? `entry ${row.id} is first but does not start the chain (entries before it were removed)`
              : `entry ${row.id} does not follow entry ${previousId} (an entry between them was removed, or entry ${previousId} was rewritten)`,
        };
      }
      if (computeAuditHash(row) !== row.hash) {
        return {
          ok: false,
          entries,
          firstBadId: row.id,
          reason: 'hash_mismatch',
          message: `entry ${row.id} was altered: its contents no longer match its hash`,
        };
      }
      const routerId = routerIdOf(row);
      if (row.routerId !== routerId) {
        return {
          ok: false,
          entries,
          firstBadId: row.id,
          reason: 'router_id_mismatch',
          message: `entry ${row.id} was altered: its router_id is ${row.routerId ?? 'empty'}, but its target and details name ${routerId ?? 'no router'}`,
        };
      }
      expectedPrev = row.hash;
      previousId = row.id;
    }
    if (expected && !headSeen) {
      return {
        ok: false,
        entries,
        firstBadId: expected.id,
        reason: 'head_missing',
        message: `entry ${expected.id}, the exported head, is no longer in the log: entries were removed from its end (the last one now is ${previousId ?? 'none'})`,
      };
    }
    return { ok: true, entries };
  }
}

function toView(r: AuditRow): AuditEntryView {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actorUserId: r.actorUserId,
    actorUsername: r.actorUsername,
    actorIp: r.actorIp,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    outcome: r.outcome,
    details: r.details,
  };
}
