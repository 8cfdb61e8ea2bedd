import type { DatabaseError } from 'pg';
import type { Queryable, Sql, Tx } from '../../db/sql';
import type { PageCursor } from '../../lib/cursor';
import { UserErrors } from './users.errors';
import type { Role, UserEntity } from './user.entity';

/** Any fixed 64-bit number: serialises "first user becomes admin" and "keep one active admin". */
const ACCOUNTS_LOCK = 7_401_884_312_002;

export interface NewUser {
  username: string;
  email: string | null;
  passwordHash: string;
  role: Role;
}

export type UserPatch = Partial<Pick<UserEntity, 'email' | 'role' | 'disabled' | 'passwordHash'>>;

/** The patchable fields and their columns; a patch writes only the columns it names. */
const PATCH_COLUMNS: Record<keyof UserPatch, string> = {
  email: 'email',
  role: 'role',
  disabled: 'disabled',
  passwordHash: 'password_hash',
};

const USER_COLUMNS = `id, username, email, password_hash AS "passwordHash", role, disabled,
  totp_secret_enc AS "totpSecretEnc", totp_enabled AS "totpEnabled",
  totp_last_step::float8 AS "totpLastStep", created_at AS "createdAt", updated_at AS "updatedAt"`;

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as Partial<DatabaseError>;
  return e?.code === '23505' && e.constraint === constraint;
}

export class UsersRepository {
  constructor(private readonly db: Sql) {}

  private q(tx?: Tx): Queryable {
    return tx ?? this.db;
  }

  /** Held until the transaction ends; every account change that depends on a count takes it. */
  async lockAccounts(tx: Tx): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ACCOUNTS_LOCK]);
  }

  async anyExists(tx?: Tx): Promise<boolean> {
    return (await this.q(tx).query('SELECT 1 FROM users LIMIT 1')).length > 0;
  }

  /** Enabled admins other than `exceptId`. */
  async countActiveAdmins(exceptId: string | null, tx?: Tx): Promise<number> {
    const rows = await this.q(tx).query<{ n: number }>(
      `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled AND ($1::uuid IS NULL OR id <> $1::uuid)`,
      [exceptId],
    );
    return rows[0].n;
  }

  async insert(user: NewUser, tx?: Tx): Promise<UserEntity> {
    try {
      const rows = await this.q(tx).query<UserEntity>(
        `INSERT INTO users (username, email, password_hash, role) VALUES ($1, $2, $3, $4) RETURNING ${USER_COLUMNS}`,
        [user.username, user.email, user.passwordHash, user.role],
      );
      return rows[0];
    } catch (err) {
      if (isUniqueViolation(err, 'users_username_lower_key')) throw UserErrors.usernameTaken();
      throw err;
    }
  }

  async findById(id: string, tx?: Tx): Promise<UserEntity | null> {
    return (await this.q(tx).query<UserEntity>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]))[0] ?? null;
  }

  async findByUsername(username: string, tx?: Tx): Promise<UserEntity | null> {
    const rows = await this.q(tx).query<UserEntity>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(username) = lower($1)`, [username]);
    return rows[0] ?? null;
  }

  /** Users in the order they were created, after the cursor's; `limit` rows at most. */
  async list(limit: number, after: PageCursor | null): Promise<UserEntity[]> {
    // Cursors hold milliseconds (a JS Date); the ordering key is truncated to match.
    return this.db.query<UserEntity>(
      `SELECT ${USER_COLUMNS} FROM users
        WHERE $1::timestamptz IS NULL OR (date_trunc('milliseconds', created_at), id) > ($1::timestamptz, $2::uuid)
        ORDER BY date_trunc('milliseconds', created_at), id LIMIT $3`,
      [after?.at ?? null, after?.id ?? null, limit],
    );
  }

  /** Writes only the columns the patch names; returns the user as it is now. */
  async update(id: string, patch: UserPatch, tx?: Tx): Promise<UserEntity> {
    const keys = (Object.keys(patch) as (keyof UserPatch)[]).filter((k) => patch[k] !== undefined);
    if (!keys.length) {
      const user = await this.findById(id, tx);
      if (!user) throw UserErrors.notFound();
      return user;
    }
    const sets = keys.map((k, i) => `${PATCH_COLUMNS[k]} = $${i + 2}`);
    const rows = await this.q(tx).query<UserEntity>(
      `UPDATE users SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [id, ...keys.map((k) => patch[k])],
    );
    if (!rows[0]) throw UserErrors.notFound();
    return rows[0];
  }

  async delete(id: string, tx?: Tx): Promise<boolean> {
    return (await this.q(tx).query('DELETE FROM users WHERE id = $1 RETURNING id', [id])).length > 0;
  }

  /** Stores a new, not yet enabled TOTP secret (sealed) for setup. */
  async setPendingTotp(id: string, sealedSecret: string): Promise<void> {
    await this.db.query(
      `UPDATE users SET totp_secret_enc = $2, totp_last_step = NULL, updated_at = now() WHERE id = $1 AND NOT totp_enabled`,
      [id, sealedSecret],
    );
  }

  async enableTotp(id: string, tx?: Tx): Promise<void> {
    await this.q(tx).query('UPDATE users SET totp_enabled = true, updated_at = now() WHERE id = $1', [id]);
  }

  async clearTotp(id: string, tx?: Tx): Promise<void> {
    await this.q(tx).query(
      'UPDATE users SET totp_enabled = false, totp_secret_enc = NULL, totp_last_step = NULL, updated_at = now() WHERE id = $1',
      [id],
    );
  }

  /**
   * Records `step` as the last TOTP step used, only if it is newer than the last one: the
   * single UPDATE makes a replayed (or concurrently reused) code lose.
   */
  async claimTotpStep(id: string, step: number, tx?: Tx): Promise<boolean> {
    const rows = await this.q(tx).query(
      `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
      [id, step],
    );
    return rows.length === 1;
  }
}
