import pg from 'pg';

/**
 * Counts every statement any pg client of this process sends from now on, ours and the job
 * queue's (graphile_worker) apart. The returned object is live: read it before and after.
 */
export function countStatements(): { ours: number; queue: number } {
  const statements = { ours: 0, queue: 0 };
  const clientQuery = pg.Client.prototype.query;
  pg.Client.prototype.query = function count(this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string } | null)?.text ?? '');
    if (/graphile_worker/.test(text)) statements.queue++;
    else statements.ours++;
    return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;
  return statements;
}
