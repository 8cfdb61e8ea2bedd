import { QueryFailedError, type DataSource } from 'typeorm';
import { AppError } from '../../errors';
import { queryRows } from '../../lib/sql';
import type { Tx } from '../../lib/transactions';
import { UserEntity, type Role } from './user.entity';

/** Any fixed 64-bit number: serialises "first user becomes admin" and "keep one active admin". */
const ACCOUNTS_LOCK = 7_401_884_312_002;

export interface NewUser {
  username: string;
  email: string | null;
  passwordHash: string;
  role: Role;
}

export type UserPatch = Partial<Pick<UserEntity, 'email' | 'role' | 'disabled' | 'passwordHash'>>;

function isUniqueViolation(err: unknown, constraint: string): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError = err.driverError as { code?: string; constraint?: string } | undefined;
  return driverError?.code === '23505' && driverError.constraint === constraint;
}

export class UsersRepository {
  constructor(private readonly ds: DataSource) {}

  private repo(tx?: Tx) {
    return (tx ?? this.ds.manager).getRepository(UserEntity);
  }

  /** Held until the transaction ends; every account change that depends on a count takes it. */
  async lockAccounts(tx: Tx): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ACCOUNTS_LOCK]);
  }

  async anyExists(tx?: Tx): Promise<boolean> {
    return (await this.repo(tx).count({ take: 1 })) > 0;
  }

  /** Enabled admins other than `exceptId`. */
  async countActiveAdmins(exceptId: string | null, tx?: Tx): Promise<number> {
    const rows = await queryRows<{ n: number }>(
      tx ?? this.ds,
      `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled AND ($1::uuid IS NULL OR id <> $1::uuid)`,
      [exceptId],
    );
    return rows[0].n;
  }

  async insert(user: NewUser, tx?: Tx): Promise<UserEntity> {
    try {
      return await this.repo(tx).save(this.repo(tx).create(user));
    } catch (err) {
      if (isUniqueViolation(err, 'users_username_lower_key')) {
        throw AppError.conflict('USERNAME_TAKEN', 'That username is taken (usernames ignore case)');
      }
      throw err;
    }
  }

  findById(id: string, tx?: Tx): Promise<UserEntity | null> {
    return this.repo(tx).findOne({ where: { id } });
  }

  async findByUsername(username: string, tx?: Tx): Promise<UserEntity | null> {
    return this.repo(tx)
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
  }

  async list(opts: { limit: number; offset: number }): Promise<{ items: UserEntity[]; total: number }> {
    const [items, total] = await this.repo().findAndCount({
      order: { username: 'ASC', id: 'ASC' },
      take: opts.limit,
      skip: opts.offset,
    });
    return { items, total };
  }

  async update(id: string, patch: UserPatch, tx?: Tx): Promise<UserEntity> {
    if (Object.keys(patch).length) await this.repo(tx).update({ id }, { ...patch, updatedAt: new Date() });
    const user = await this.findById(id, tx);
    if (!user) throw AppError.notFound('USER_NOT_FOUND', 'No such user');
    return user;
  }

  async delete(id: string, tx?: Tx): Promise<boolean> {
    const result = await this.repo(tx).delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** Stores a new, not yet enabled TOTP secret (sealed) for setup. */
  async setPendingTotp(id: string, sealedSecret: string): Promise<void> {
    await this.repo().update({ id, totpEnabled: false }, { totpSecretEnc: sealedSecret, totpLastStep: null, updatedAt: new Date() });
  }

  async enableTotp(id: string, tx?: Tx): Promise<void> {
    await this.repo(tx).update({ id }, { totpEnabled: true, updatedAt: new Date() });
  }

  async clearTotp(id: string, tx?: Tx): Promise<void> {
    await this.repo(tx).update({ id }, { totpEnabled: false, totpSecretEnc: null, totpLastStep: null, updatedAt: new Date() });
  }

  /**
   * Records `step` as the last TOTP step used, only if it is newer than the last one: the
   * single UPDATE makes a replayed (or concurrently reused) code lose.
   */
  async claimTotpStep(id: string, step: number, tx?: Tx): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      tx ?? this.ds,
      `UPDATE users SET totp_last_step = $2
        WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
      [id, step],
    );
    return rows.length === 1;
  }
}
