import { passwordPolicyProblems, type PasswordHasher } from '../../lib/passwords';
import type { Transactor, Tx } from '../../db/sql';
import type { PageRequest } from '../../http/common.schemas';
import { cursorOf, pageOf } from '../../lib/cursor';
import type { AuditActor, AuditService } from '../audit/audit.service';
import type { RevokeReason, SessionsService } from '../sessions/sessions.service';
import { toPublicUser, type PublicUser, type Role, type UserEntity } from './user.entity';
import type { UserPatch, UsersRepository } from './users.repository';
import { UserErrors } from './users.errors';

export interface UsersServiceDeps {
  repo: UsersRepository;
  hasher: PasswordHasher;
  audit: AuditService;
  sessions: SessionsService;
  transaction: Transactor;
  /** Clears a user's 2FA (secret, last step, recovery codes) inside a transaction. */
  resetTwoFactor: (userId: string, tx: Tx) => Promise<void>;
  /**
   * The routers a user owns that other users are assigned to, locked until the transaction
   * ends (so that no assignment is added meanwhile). Deleting the user would take them away.
   */
  sharedRoutersOwnedBy: (userId: string, tx: Tx) => Promise<{ id: string; name: string }[]>;
  allowRegistration: boolean;
}

export interface NewAccount {
  username: string;
  password: string;
  email?: string | null;
}

export interface AdminUserChange {
  role?: Role;
  disabled?: boolean;
  email?: string | null;
  password?: string;
  resetTwoFactor?: boolean;
}

/** Who asks for a change: a user through the API, or an operator through the CLI. */
export interface ChangeActor extends AuditActor {
  via?: 'api' | 'cli';
}

function assertPasswordPolicy(password: string, username: string): void {
  const problems = passwordPolicyProblems(password, username);
  if (problems.length) {
    throw UserErrors.weakPassword(problems);
  }
}

/** Accounts: registration, the admin's user management, and the rules that keep one admin. */
export class UsersService {
  constructor(private readonly deps: UsersServiceDeps) {}

  /**
   * Self-registration. The first account ever becomes admin; later ones only when
   * registration is open. The check and the insert run under one advisory lock, so two
   * simultaneous first registrations cannot both become admin.
   */
  async register(input: NewAccount, actor: AuditActor): Promise<PublicUser> {
    assertPasswordPolicy(input.password, input.username);
    // Cheap early refusal, before the expensive hash; re-checked under the lock below.
    if (!this.deps.allowRegistration && (await this.deps.repo.anyExists())) throw UserErrors.registrationClosed();
    const passwordHash = await this.deps.hasher.hash(input.password);
    const user = await this.deps.transaction(async (tx) => {
      await this.deps.repo.lockAccounts(tx);
      const first = !(await this.deps.repo.anyExists(tx));
      if (!first && !this.deps.allowRegistration) throw UserErrors.registrationClosed();
      const created = await this.deps.repo.insert(
        { username: input.username, email: input.email ?? null, passwordHash, role: first ? 'admin' : 'user' },
        tx,
      );
      await this.deps.audit.record(
        {
          action: 'user.register',
          actor: { userId: created.id, ip: actor.ip },
          target: { type: 'user', id: created.id },
          details: { username: created.username, role: created.role, firstUser: first },
        },
        tx,
      );
      return created;
    });
    return toPublicUser(user);
  }

  /** An account made by an admin (API) or an operator (CLI `admin create`). */
  async create(input: NewAccount & { role: Role }, actor: ChangeActor): Promise<PublicUser> {
    assertPasswordPolicy(input.password, input.username);
    const passwordHash = await this.deps.hasher.hash(input.password);
    const user = await this.deps.transaction(async (tx) => {
      const created = await this.deps.repo.insert(
        { username: input.username, email: input.email ?? null, passwordHash, role: input.role },
        tx,
      );
      await this.deps.audit.record(
        {
          action: 'user.create',
          actor,
          target: { type: 'user', id: created.id },
          details: { username: created.username, role: created.role, via: actor.via ?? 'api' },
        },
        tx,
      );
      return created;
    });
    return toPublicUser(user);
  }

  /** A page of users, oldest first. */
  async list(page: PageRequest): Promise<{ items: PublicUser[]; nextCursor: string | null }> {
    const rows = await this.deps.repo.list(page.limit + 1, cursorOf(page.cursor));
    const { items, nextCursor } = pageOf(rows, page.limit, (u) => ({ at: u.createdAt, id: u.id }));
    return { items: items.map(toPublicUser), nextCursor };
  }

  async get(id: string): Promise<PublicUser> {
    return toPublicUser(await this.mustFind(id));
  }

  async getByUsername(username: string): Promise<PublicUser> {
    const user = await this.deps.repo.findByUsername(username);
    if (!user) throw UserErrors.notFound(username);
    return toPublicUser(user);
  }

  /**
   * An admin's (or the CLI's) change to a user. Rules: nobody changes their own role or
   * disables themselves; the last enabled admin cannot be demoted or disabled. Disabling or
   * resetting the password ends the user's sessions, here and in the executor.
   */
  async update(id: string, change: AdminUserChange, actor: ChangeActor): Promise<PublicUser> {
    const before = await this.mustFind(id);
    if (change.password !== undefined) assertPasswordPolicy(change.password, before.username);
    const passwordHash = change.password !== undefined ? await this.deps.hasher.hash(change.password) : undefined;

    let ended: string[] = [];
    const after = await this.deps.transaction(async (tx) => {
      await this.deps.repo.lockAccounts(tx);
      const current = await this.deps.repo.findById(id, tx);
      if (!current) throw UserErrors.notFound();
      const self = actor.userId === id;
      if (self && change.role !== undefined && change.role !== current.role) {
        throw UserErrors.cannotChangeOwnRole();
      }
      if (self && change.disabled === true) {
        throw UserErrors.selfLockout('disable');
      }
      const losesAdmin =
        current.role === 'admin' && !current.disabled && (change.role === 'user' || change.disabled === true);
      if (losesAdmin && (await this.deps.repo.countActiveAdmins(id, tx)) === 0) {
        throw UserErrors.lastAdmin();
      }

      const patch: UserPatch = {};
      const changed: string[] = [];
      const details: Record<string, unknown> = { username: current.username, via: actor.via ?? 'api' };
      if (change.role !== undefined && change.role !== current.role) {
        patch.role = change.role;
        changed.push('role');
        details.role = { from: current.role, to: change.role };
      }
      if (change.disabled !== undefined && change.disabled !== current.disabled) {
        patch.disabled = change.disabled;
        changed.push('disabled');
        details.disabled = { from: current.disabled, to: change.disabled };
      }
      if (change.email !== undefined && change.email !== current.email) {
        patch.email = change.email;
        changed.push('email');
      }
      if (passwordHash !== undefined) {
        patch.passwordHash = passwordHash;
        changed.push('password');
      }
      if (change.resetTwoFactor) {
        await this.deps.resetTwoFactor(id, tx);
        changed.push('2fa');
      }
      const updated = await this.deps.repo.update(id, patch, tx);

      const reason: RevokeReason | null = patch.disabled === true ? 'user_disabled' : passwordHash !== undefined ? 'password_reset' : null;
      if (reason) ended = await this.deps.sessions.revokeAllForUser(id, reason, {}, tx);
      details.changed = changed;
      details.sessionsEnded = ended.length;
      await this.deps.audit.record({ action: 'user.update', actor, target: { type: 'user', id }, details }, tx);
      return updated;
    });
    this.deps.sessions.forgetUser(id);
    await this.deps.sessions.finishRevocation(ended);
    return toPublicUser(after);
  }

  /**
   * Deletes a user after ending their sessions; not oneself, not the last enabled admin, and
   * not while they own routers other users are assigned to (their own other routers go with them).
   */
  async delete(id: string, actor: ChangeActor): Promise<void> {
    let ended: string[] = [];
    await this.deps.transaction(async (tx) => {
      await this.deps.repo.lockAccounts(tx);
      const current = await this.deps.repo.findById(id, tx);
      if (!current) throw UserErrors.notFound();
      if (actor.userId === id) throw UserErrors.selfLockout('delete');
      if (current.role === 'admin' && !current.disabled && (await this.deps.repo.countActiveAdmins(id, tx)) === 0) {
        throw UserErrors.lastAdmin();
      }
      const shared = await this.deps.sharedRoutersOwnedBy(id, tx);
      if (shared.length) throw UserErrors.ownsSharedRouters(current.username, shared);
      ended = await this.deps.sessions.revokeAllForUser(id, 'user_deleted', {}, tx);
      await this.deps.repo.delete(id, tx);
      await this.deps.audit.record(
        {
          action: 'user.delete',
          actor,
          target: { type: 'user', id },
          details: { username: current.username, role: current.role, sessionsEnded: ended.length, via: actor.via ?? 'api' },
        },
        tx,
      );
    });
    this.deps.sessions.forgetUser(id);
    await this.deps.sessions.finishRevocation(ended);
  }

  private async mustFind(id: string): Promise<UserEntity> {
    const user = await this.deps.repo.findById(id);
    if (!user) throw UserErrors.notFound();
    return user;
  }
}
