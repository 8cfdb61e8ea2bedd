import { AppError } from '@netpilot/service-kit';
import type { Logger } from '@netpilot/service-kit';
import { passwordPolicyProblems, type PasswordHasher } from '../../lib/passwords';
import type { Transactor } from '../../db/sql';
import type { AuditActor, AuditService } from '../audit/audit.service';
import type { SessionsService } from '../sessions/sessions.service';
import { toPublicUser, type PublicUser, type UserEntity } from '../users/user.entity';
import type { UsersRepository } from '../users/users.repository';
import type { AccessTokens } from './access-tokens';
import { LOGIN_RULES, type AttemptLimiter, type CounterRef } from './attempt-limiter';
import type { TwoFactorService } from './two-factor.service';
import { AuthErrors } from './auth.errors';

/** POST /auth/login and /auth/refresh answer this (SPEC section 3). */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: PublicUser;
}

export interface ClientInfo extends AuditActor {
  userAgent: string | null;
}

export interface AuthServiceDeps {
  users: UsersRepository;
  hasher: PasswordHasher;
  limiter: AttemptLimiter;
  twoFactor: TwoFactorService;
  sessions: SessionsService;
  accessTokens: AccessTokens;
  audit: AuditService;
  transaction: Transactor;
  logger: Logger;
}


/** Failed-login counters of one attempt: the username, the username from this IP, and the IP. */
function loginCounters(username: string, ip: string | null): CounterRef[] {
  const name = username.toLowerCase();
  const addr = ip ?? 'unknown';
  return [
    { rule: LOGIN_RULES.user, key: name },
    { rule: LOGIN_RULES.userIp, key: `${name}|${addr}` },
    { rule: LOGIN_RULES.ip, key: addr },
  ];
}

/** Login, refresh, logout and password change. */
export class AuthService {
  constructor(private readonly deps: AuthServiceDeps) {}

  async login(input: { username: string; password: string; totp?: string }, client: ClientInfo): Promise<TokenPair> {
    return this.deps.limiter.oneAtATime(`password:${input.username.toLowerCase()}`, () => this.attemptLogin(input, client));
  }

  private async attemptLogin(input: { username: string; password: string; totp?: string }, client: ClientInfo): Promise<TokenPair> {
    const { deps } = this;
    const counters = loginCounters(input.username, client.ip);
    await deps.limiter.check(counters).catch((err: unknown) => {
      // Not audited: a flood of refused attempts must not flood the audit chain. A warning is enough.
      if (err instanceof AppError && err.code === 'RATE_LIMITED') {
        deps.logger.warn('login refused: too many failures', { username: input.username.slice(0, 64), ip: client.ip });
      }
      throw err;
    });
    const user = await deps.users.findByUsername(input.username);
    // Unknown users are checked against a dummy hash: both answers take one bcrypt's time.
    const passwordOk = await deps.hasher.verify(input.password, user?.passwordHash ?? null);
    const fail = async (reason: string, error: AppError) => {
      await deps.limiter.fail(counters);
      await deps.audit.recordQuietly({
        action: 'auth.login',
        outcome: 'failure',
        actor: { userId: user?.id ?? null, ip: client.ip },
        target: user ? { type: 'user', id: user.id } : null,
        details: { username: input.username.slice(0, 64), reason },
      });
      return error;
    };
    if (!user || !passwordOk) throw await fail(user ? 'bad_password' : 'unknown_user', AuthErrors.invalidCredentials());
    if (user.disabled) throw await fail('disabled', AuthErrors.accountDisabled());

    let factor: string = 'password';
    if (user.totpEnabled) {
      // The password was right: asking for the code is a step, not a failure.
      if (!input.totp) throw AuthErrors.mfaRequired();
      try {
        factor = await deps.twoFactor.verifyAtLogin(user, input.totp);
      } catch (err) {
        if (err instanceof AppError && err.code === 'MFA_INVALID') throw await fail('mfa_invalid', err);
        throw err;
      }
    }

    await deps.limiter.reset(counters.filter((c) => c.rule !== LOGIN_RULES.ip));
    const details: Record<string, unknown> = { username: user.username, factor };
    if (factor === 'recovery_code') details.recoveryCodesLeft = await deps.twoFactor.unusedRecoveryCodes(user.id);
    const { session, refreshToken, ended } = await deps.transaction(async (tx) => {
      const opened = await deps.sessions.open({ userId: user.id, ip: client.ip, userAgent: client.userAgent }, tx);
      if (opened.ended.length) details.sessionsEnded = opened.ended.length;
      await deps.audit.record(
        {
          action: 'auth.login',
          actor: { userId: user.id, ip: client.ip },
          target: { type: 'session', id: opened.session.id },
          details,
        },
        tx,
      );
      return opened;
    });
    await deps.sessions.finishRevocation(ended);
    await deps.sessions.startExecutorSession(session.id);
    return this.pair(user, session.id, refreshToken);
  }

  /** A new token pair for a refresh token, which is spent by this call. */
  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenPair> {
    const { session, refreshToken: next } = await this.deps.sessions.rotate(refreshToken, client);
    const user = await this.deps.users.findById(session.userId);
    if (!user || user.disabled) {
      // Disabling ends sessions; this is the race where a refresh slipped in between.
      await this.deps.sessions.terminate(session.id, { reason: 'user_disabled', actor: client }).catch(() => undefined);
      throw AuthErrors.invalidRefreshToken();
    }
    return this.pair(user, session.id, next);
  }

  async logout(sessionId: string, actor: AuditActor): Promise<void> {
    await this.deps.sessions.terminate(sessionId, { reason: 'logout', actor, action: 'auth.logout' });
  }

  async me(userId: string): Promise<PublicUser> {
    return toPublicUser(await this.mustFind(userId));
  }

  /** Changes one's own password; every other session of the user ends. */
  async changePassword(
    auth: { userId: string; sessionId: string },
    input: { currentPassword: string; newPassword: string },
    client: ClientInfo,
  ): Promise<void> {
    const user = await this.mustFind(auth.userId);
    // A wrong current password counts as a failed login: it is the same secret being guessed.
    await this.deps.limiter.oneAtATime(`password:${user.username.toLowerCase()}`, async () => {
      const counters = loginCounters(user.username, client.ip);
      await this.deps.limiter.check(counters);
      if (!(await this.deps.hasher.verify(input.currentPassword, user.passwordHash))) {
        await this.deps.limiter.fail(counters);
        await this.deps.audit.recordQuietly({
          action: 'auth.password_change',
          outcome: 'failure',
          actor: client,
          target: { type: 'user', id: user.id },
          details: { reason: 'bad_password' },
        });
        throw AuthErrors.wrongPassword('current');
      }
      await this.deps.limiter.reset(counters.filter((c) => c.rule !== LOGIN_RULES.ip));
    });
    const problems = passwordPolicyProblems(input.newPassword, user.username);
    if (problems.length) {
      throw AuthErrors.weakPassword(problems, 'newPassword');
    }
    const hash = await this.deps.hasher.hash(input.newPassword);
    const ended = await this.deps.transaction(async (tx) => {
      await this.deps.users.update(user.id, { passwordHash: hash }, tx);
      const ids = await this.deps.sessions.revokeAllForUser(user.id, 'password_changed', { exceptId: auth.sessionId }, tx);
      await this.deps.audit.record(
        { action: 'auth.password_change', actor: client, target: { type: 'user', id: user.id }, details: { sessionsEnded: ids.length } },
        tx,
      );
      return ids;
    });
    await this.deps.sessions.finishRevocation(ended);
  }

  private pair(user: UserEntity, sessionId: string, refreshToken: string): TokenPair {
    return {
      accessToken: this.deps.accessTokens.sign(user.id, sessionId),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.deps.accessTokens.ttlSeconds,
      user: toPublicUser(user),
    };
  }

  private async mustFind(id: string): Promise<UserEntity> {
    const user = await this.deps.users.findById(id);
    if (!user) throw AuthErrors.authenticationRequired();
    return user;
  }
}
