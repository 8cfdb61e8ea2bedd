import type { Sql, Tx } from '../../db/sql';
import { deleteOlderThan } from '../../db/retention';

export type OperationKind = 'block' | 'unblock';
export type ItemStatus = 'queued' | 'applied' | 'removed' | 'pending' | 'failed';

export interface OperationRow {
  id: string;
  kind: OperationKind;
  targetKind: 'ip' | 'mac';
  targetValue: string;
  reason: string | null;
  expiresAt: Date | null;
  requestedBy: string | null;
  requestedIp: string | null;
  status: 'running' | 'done';
  total: number;
  createdAt: Date;
  finishedAt: Date | null;
}

/** One router's line: its recorded outcome, and the block row it wrote or marked. */
export interface ItemRow {
  routerId: string;
  blockId: string | null;
  status: ItemStatus;
  errorCode: string | null;
  errorMessage: string | null;
  /** When the line was last written. */
  updatedAt: Date;
  /** The block row's status now (null when it is gone), for lines the reconciler finishes later. */
  blockStatus: string | null;
  /** When the router was last seen enforcing the block row. */
  blockVerifiedAt: Date | null;
  /** The router's last reconcile, and whether it ended in sync. */
  lastReconciledAt: Date | null;
  inSync: boolean;
}

export interface NewItem {
  routerId: string;
  blockId: string | null;
  status: ItemStatus;
  errorCode?: string | null;
  errorMessage?: string | null;
}

const OPERATION_COLUMNS = `o.id, o.kind, o.target_kind AS "targetKind", o.target_value AS "targetValue", o.reason,
  o.expires_at AS "expiresAt", o.requested_by AS "requestedBy", o.requested_ip AS "requestedIp", o.status, o.total,
  o.created_at AS "createdAt", o.finished_at AS "finishedAt"`;

/** Bulk operations and their lines, one per router. */
export class OperationsRepository {
  constructor(private readonly db: Sql) {}

  /** The operation and its lines; `done` at once when no line is queued (nothing to apply). */
  async insert(
    op: Pick<OperationRow, 'kind' | 'targetKind' | 'targetValue' | 'reason' | 'expiresAt' | 'requestedBy' | 'requestedIp' | 'total'>,
    items: NewItem[],
    tx: Tx,
  ): Promise<OperationRow> {
    const done = !items.some((i) => i.status === 'queued');
    const [row] = await tx.query<OperationRow>(
      `INSERT INTO operations AS o (kind, target_kind, target_value, reason, expires_at, requested_by, requested_ip, status, total, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $8 = 'done' THEN clock_timestamp() END) RETURNING ${OPERATION_COLUMNS}`,
      [op.kind, op.targetKind, op.targetValue, op.reason, op.expiresAt, op.requestedBy, op.requestedIp, done ? 'done' : 'running', op.total],
    );
    // One statement for every line, however many routers.
    await tx.query(
      `INSERT INTO operation_items (operation_id, position, router_id, block_id, status, error_code, error_message)
       SELECT $1, i.n, i.router_id, i.block_id, i.status, i.error_code, i.error_message
         FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
              AS i (router_id, block_id, status, error_code, error_message, n)`,
      [
        row.id,
        items.map((i) => i.routerId),
        items.map((i) => i.blockId),
        items.map((i) => i.status),
        items.map((i) => i.errorCode ?? null),
        items.map((i) => i.errorMessage ?? null),
      ],
    );
    return row;
  }

  async find(id: string): Promise<OperationRow | null> {
    return this.db.one<OperationRow>(`SELECT ${OPERATION_COLUMNS} FROM operations o WHERE o.id = $1`, [id], 'operations_find');
  }

  /** The lines in the order the routers were given, with each block row's status now. */
  async items(id: string): Promise<ItemRow[]> {
    return this.db.query<ItemRow>(
      `SELECT i.router_id AS "routerId", i.block_id AS "blockId", i.status, i.error_code AS "errorCode",
              i.error_message AS "errorMessage", i.updated_at AS "updatedAt", b.status AS "blockStatus",
              b.verified_at AS "blockVerifiedAt", r.last_reconciled_at AS "lastReconciledAt",
              COALESCE(r.convergence = 'in-sync', false) AS "inSync"
         FROM operation_items i LEFT JOIN blocks b ON b.id = i.block_id LEFT JOIN routers r ON r.id = i.router_id
        WHERE i.operation_id = $1 ORDER BY i.position`,
      [id],
      'operations_items',
    );
  }

  /** Records the outcomes of many lines in one statement. */
  async settle(id: string, outcomes: { routerId: string; status: ItemStatus; errorCode: string | null; errorMessage: string | null }[], tx: Tx): Promise<void> {
    if (!outcomes.length) return;
    await tx.query(
      `UPDATE operation_items i SET status = o.status, error_code = o.error_code, error_message = o.error_message, updated_at = clock_timestamp()
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS o (router_id, status, error_code, error_message)
        WHERE i.operation_id = $1 AND i.router_id = o.router_id AND i.status = 'queued'`,
      [id, outcomes.map((o) => o.routerId), outcomes.map((o) => o.status), outcomes.map((o) => o.errorCode), outcomes.map((o) => o.errorMessage)],
      'operations_settle',
    );
  }

  /** Lines still queued go to the reconciler (marked pending); their routers. */
  async leaveToReconciler(id: string): Promise<string[]> {
    const rows = await this.db.query<{ routerId: string }>(
      `UPDATE operation_items SET status = 'pending', updated_at = clock_timestamp()
        WHERE operation_id = $1 AND status = 'queued' RETURNING router_id AS "routerId"`,
      [id],
    );
    return rows.map((r) => r.routerId);
  }

  /** Marks the operation done once no line is queued; true when this call did. */
  async finishIfSettled(id: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE operations SET status = 'done', finished_at = clock_timestamp()
        WHERE id = $1 AND status = 'running'
          AND NOT EXISTS (SELECT 1 FROM operation_items WHERE operation_id = $1 AND status = 'queued')
      RETURNING id`,
      [id],
    );
    return rows.length > 0;
  }

  /**
   * Operations still running after `minAgeMs` with no command left to send or in flight: their
   * job gave up (or its controller died between its last write and the end). Their ids.
   */
  async abandoned(minAgeMs: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT o.id FROM operations o
        WHERE o.status = 'running' AND o.created_at < now() - $1 * interval '1 millisecond'
          AND NOT EXISTS (SELECT 1 FROM commands c WHERE c.operation_id = o.id AND c.status IN ('pending', 'sent'))
        LIMIT 100`,
      [minAgeMs],
    );
    return rows.map((r) => r.id);
  }

  /** Operations finished more than `days` ago (their lines go by cascade), in batches; the number deleted. */
  deleteFinishedBefore(days: number): Promise<number> {
    return deleteOlderThan(this.db, 'operations', 'finished_at', days);
  }
}
