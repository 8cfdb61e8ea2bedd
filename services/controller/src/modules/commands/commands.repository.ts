import type { Sql } from '../../db/sql';
import type { PageCursor } from '../../lib/cursor';
import type { CommandEntity, NewCommand } from './command.entity';

const COMMAND_COLUMNS = `c.id, c.router_id AS "routerId", c.action, c.params, c.status, c.error_code AS "errorCode",
  c.error_message AS "errorMessage", c.duration_ms AS "durationMs", c.requested_by AS "requestedBy",
  c.session_id AS "sessionId", c.request_id AS "requestId", c.created_at AS "createdAt", c.sent_at AS "sentAt",
  c.finished_at AS "finishedAt"`;

/**
 * The commands table: each router action's row through pending → sent → succeeded | failed.
 * One named statement per step on the pool (each connection prepares it once).
 */
export class CommandsRepository {
  constructor(private readonly db: Sql) {}

  /** A new row in state pending. */
  async insert(values: NewCommand): Promise<{ id: string }> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO commands (router_id, action, params, status, requested_by, session_id, request_id)
       VALUES ($1, $2, $3::jsonb, 'pending', $4, $5, $6) RETURNING id`,
      [values.routerId, values.action, JSON.stringify(values.params), values.requestedBy, values.sessionId, values.requestId],
      'commands_insert',
    );
    return rows[0];
  }

  /** pending → sent; guarded so that a late write can never overwrite the final state. */
  async markSent(id: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE commands SET status = 'sent', sent_at = $2 WHERE id = $1 AND status = 'pending'`, [id, at], 'commands_mark_sent');
  }

  /** sent → succeeded | failed, with duration and error. */
  async finish(
    id: string,
    values: { status: 'succeeded' | 'failed'; durationMs: number; errorCode?: string | null; errorMessage?: string | null; sentAt: Date },
  ): Promise<void> {
    await this.db.query(
      `UPDATE commands SET status = $2, duration_ms = $3, error_code = $4, error_message = $5,
              sent_at = COALESCE(sent_at, $6), finished_at = clock_timestamp()
        WHERE id = $1`,
      [id, values.status, values.durationMs, values.errorCode ?? null, values.errorMessage ?? null, values.sentAt],
      'commands_finish',
    );
  }

  /** A router's history, newest first, from `before` (exclusive). */
  async list(routerId: string, limit: number, before: PageCursor | null): Promise<CommandEntity[]> {
    return this.db.query<CommandEntity>(
      `SELECT ${COMMAND_COLUMNS} FROM commands c
        WHERE c.router_id = $1 AND ($2::timestamptz IS NULL OR (c.created_at, c.id) < ($2, $3::uuid))
        ORDER BY c.created_at DESC, c.id DESC LIMIT $4`,
      [routerId, before?.at ?? null, before?.id ?? null, limit],
    );
  }
}
