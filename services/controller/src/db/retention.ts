import { inBatches } from '../lib/batches';
import type { Queryable } from './sql';

/**
 * Deletes the rows of `table` whose `column` (a timestamp) is more than `days` old, a batch
 * at a time (each statement holds its locks briefly); the number deleted. `table` and
 * `column` are the caller's constants, never input.
 */
export function deleteOlderThan(db: Queryable, table: string, column: string, days: number): Promise<number> {
  return inBatches(async (limit) => {
    const rows = await db.query(
      `DELETE FROM ${table} WHERE id IN (
         SELECT id FROM ${table} WHERE ${column} < now() - make_interval(days => $1) ORDER BY ${column} LIMIT $2)
       RETURNING id`,
      [days, limit],
    );
    return rows.length;
  });
}
