import { IsNull, type DataSource } from 'typeorm';
import { queryRows } from '../../lib/sql';
import type { Tx } from '../../lib/transactions';
import { RecoveryCodeEntity } from './recovery-code.entity';

export class RecoveryCodesRepository {
  constructor(private readonly ds: DataSource) {}

  /** Replaces every code of the user with these (hashed) ones. */
  async replace(userId: string, codeHashes: readonly string[], tx?: Tx): Promise<void> {
    const repo = (tx ?? this.ds.manager).getRepository(RecoveryCodeEntity);
    await repo.delete({ userId });
    await repo.insert(codeHashes.map((codeHash) => ({ userId, codeHash })));
  }

  async deleteAll(userId: string, tx?: Tx): Promise<void> {
    await (tx ?? this.ds.manager).getRepository(RecoveryCodeEntity).delete({ userId });
  }

  /** Marks the code used if it is the user's and unused; one UPDATE, so a code works exactly once. */
  async consume(userId: string, codeHash: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.ds,
      `UPDATE recovery_codes SET used_at = now()
        WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
      [userId, codeHash],
    );
    return rows.length === 1;
  }

  async countUnused(userId: string): Promise<number> {
    return this.ds.getRepository(RecoveryCodeEntity).countBy({ userId, usedAt: IsNull() });
  }
}
