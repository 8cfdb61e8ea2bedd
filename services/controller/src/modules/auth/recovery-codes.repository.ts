import type { Queryable, Sql, Tx } from '../../db/sql';

export class RecoveryCodesRepository {
  constructor(private readonly db: Sql) {}

  private q(tx?: Tx): Queryable {
    return tx ?? this.db;
  }

  /** Replaces every code of the user with these (hashed) ones. */
  async replace(userId: string, codeHashes: readonly string[], tx?: Tx): Promise<void> {
    await this.q(tx).query(
      `WITH gone AS (DELETE FROM recovery_codes WHERE user_id = $1)
       INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])`,
      [userId, codeHashes],
    );
  }

  async deleteAll(userId: string, tx?: Tx): Promise<void> {
    await this.q(tx).query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
  }

  /** Marks the code used if it is the user's and unused; one UPDATE, so a code works exactly once. */
  async consume(userId: string, codeHash: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE recovery_codes SET used_at = now()
        WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
      [userId, codeHash],
    );
    return rows.length === 1;
  }

  async countUnused(userId: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL', [userId]);
    return rows[0].n;
  }
}
