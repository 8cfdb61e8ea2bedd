import { createHash } from 'node:crypto';
import { sanitizeText } from '@netpilot/service-kit';

/** prev_hash of the very first row. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditOutcome = 'success' | 'failure';

/** An audit entry before the chain gives it an id and the previous hash. */
export interface NewAuditRow {
  at: Date;
  actorUserId: string | null;
  actorIp: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
}

/** The fields of one audit row that its hash covers. */
export interface HashedAuditFields extends NewAuditRow {
  id: string;
  prevHash: string;
}

/**
 * JSON with object keys sorted at every depth, so that the same value always serialises to
 * the same text (jsonb does not keep key order). `undefined` members are dropped as JSON does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * `details` as it will read back from jsonb: plain JSON values only, and no NUL characters
 * (jsonb refuses them). Hashing this form makes the stored row verifiable.
 */
export function normaliseDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!details) return {};
  // PostgreSQL's jsonb refuses NUL and lone surrogates: they become U+FFFD, so a record never fails on text.
  return JSON.parse(canonicalJson(sanitizeText(details))) as Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The router a row is about: its target when that is a router, else `details.routerId`
 * (rows about blocks or devices name their router there); lower case, or null. PostgreSQL
 * computes the router_id column by the same rule (migration AuditSealing), and verify
 * compares the two, since router_id is not covered by the hash.
 */
export function routerIdOf(row: Pick<NewAuditRow, 'targetType' | 'targetId' | 'details'>): string | null {
  if (row.targetType === 'router' && row.targetId !== null && UUID.test(row.targetId)) return row.targetId.toLowerCase();
  const fromDetails = row.details.routerId;
  return typeof fromDetails === 'string' && UUID.test(fromDetails) ? fromDetails.toLowerCase() : null;
}

/** sha256 over a canonical serialisation of the row, including the previous row's hash. */
export function computeAuditHash(row: HashedAuditFields): string {
  const text = JSON.stringify([
    'netpilot-audit-v1',
    row.id,
    row.at.toISOString(),
    row.actorUserId,
    row.actorIp,
    row.action,
    row.targetType,
    row.targetId,
    row.outcome,
    canonicalJson(row.details),
    row.prevHash,
  ]);
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
