import QRCode from 'qrcode';
import { AppError } from '@netpilot/service-kit';
import type { PasswordHasher } from '../../lib/passwords';
import type { SecretBox } from '../../lib/secret-box';
import { generateTotpSecret, looksLikeTotpCode, matchTotp, totpUri } from '../../lib/totp';
import type { Transactor, Tx } from '../../db/sql';
import type { AuditActor, AuditService } from '../audit/audit.service';
import type { UserEntity } from '../users/user.entity';
import type { SessionsService } from '../sessions/sessions.service';
import type { UsersRepository } from '../users/users.repository';
import { LOGIN_RULES, type AttemptLimiter } from './attempt-limiter';
import { generateRecoveryCodes, normaliseRecoveryCode, type RecoveryCodeHasher } from './recovery-codes';
import type { RecoveryCodesRepository } from './recovery-codes.repository';
import { AuthErrors } from './auth.errors';

const ISSUER = 'NetPilot';

export interface TwoFactorDeps {
  users: UsersRepository;
  recoveryCodes: RecoveryCodesRepository;
  recoveryHasher: RecoveryCodeHasher;
  secretBox: SecretBox;
  hasher: PasswordHasher;
  limiter: AttemptLimiter;
  audit: AuditService;
  transaction: Transactor;
  /** Ends a user's other sessions (turning 2FA on ends them, as a password change does). */
  sessions: Pick<SessionsService, 'revokeAllForUser' | 'finishRevocation'>;
}

export type SecondFactor = 'totp' | 'recovery_code';

/** The sealed TOTP secret is bound to its user, so it cannot be moved to another row. */
const secretContext = (userId: string) => `totp:${userId}`;

/**
 * TOTP second factor (speakeasy: SHA1, 6 digits, 30 s, ±1 step) with one-time recovery
 * codes. A code is accepted once: the step it belongs to must be newer than the last step
 * used, claimed by one atomic UPDATE.
 */
export class TwoFactorService {
  constructor(private readonly deps: TwoFactorDeps) {}

  /** A new secret for the user's authenticator app; shown only here. Enabling needs a code from it. */
  async setup(userId: string, actor: AuditActor): Promise<{ secret: string; otpauthUrl: string; qrCodeDataUrl: string }> {
    const user = await this.mustFind(userId);
    if (user.totpEnabled) throw AuthErrors.mfaAlreadyEnabled('; disable it first');
    const secret = generateTotpSecret();
    await this.deps.users.setPendingTotp(user.id, this.deps.secretBox.seal(secret, secretContext(user.id)));
    const otpauthUrl = totpUri({ secret, account: user.username, issuer: ISSUER });
    const qrCodeDataUrl = await QRCode.toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 2 });
    await this.deps.audit.record({ action: 'auth.2fa_setup', actor, target: { type: 'user', id: user.id } });
    return { secret, otpauthUrl, qrCodeDataUrl };
  }

  /**
   * Turns 2FA on once the user proves their app has the secret; returns the recovery codes,
   * once. Every other session of the user ends (they were opened without the second factor);
   * `sessionId`, the one asking, stays.
   */
  async enable(userId: string, code: string, actor: AuditActor, sessionId: string): Promise<{ recoveryCodes: string[] }> {
    const user = await this.mustFind(userId);
    if (user.totpEnabled) throw AuthErrors.mfaAlreadyEnabled();
    if (!user.totpSecretEnc) throw AuthErrors.mfaNotSetUp();
    await this.attempt(user, { action: 'auth.2fa_enable', actor }, async () =>
      (await this.checkTotp(user, code)) ? { value: true } : { reason: 'mfa_invalid', error: AuthErrors.mfaInvalid() },
    );
    const recoveryCodes = generateRecoveryCodes();
    const ended = await this.deps.transaction(async (tx) => {
      await this.deps.users.enableTotp(user.id, tx);
      await this.deps.recoveryCodes.replace(
        user.id,
        recoveryCodes.map((c) => this.deps.recoveryHasher.hash(normaliseRecoveryCode(c)!)),
        tx,
      );
      const ids = await this.deps.sessions.revokeAllForUser(user.id, 'mfa_enabled', { exceptId: sessionId }, tx);
      await this.deps.audit.record({ action: 'auth.2fa_enable', actor, target: { type: 'user', id: user.id }, details: { sessionsEnded: ids.length } }, tx);
      return ids;
    });
    await this.deps.sessions.finishRevocation(ended);
    return { recoveryCodes };
  }

  /** Turns 2FA off; needs the password and a current code (or a recovery code). */
  async disable(userId: string, password: string, code: string, actor: AuditActor): Promise<void> {
    const user = await this.mustFind(userId);
    if (!user.totpEnabled) throw AuthErrors.mfaNotEnabled();
    await this.attempt(user, { action: 'auth.2fa_disable', actor }, async () => {
      if (!(await this.deps.hasher.verify(password, user.passwordHash))) return { reason: 'bad_password', error: AuthErrors.wrongPassword('given') };
      if (!(await this.checkCode(user, code))) return { reason: 'mfa_invalid', error: AuthErrors.mfaInvalid() };
      return { value: true };
    });
    await this.deps.transaction(async (tx) => {
      await this.reset(user.id, tx);
      await this.deps.audit.record({ action: 'auth.2fa_disable', actor, target: { type: 'user', id: user.id } }, tx);
    });
  }

  /**
   * The second factor at login: refused (429) when the per-user 2FA counter is used up; a
   * wrong code counts on it. Answers which factor matched, or throws MFA_INVALID.
   */
  async verifyAtLogin(user: UserEntity, code: string): Promise<SecondFactor> {
    return this.attempt<SecondFactor>(user, null, async () => {
      const factor = await this.checkCode(user, code);
      return factor ? { value: factor } : { reason: 'mfa_invalid', error: AuthErrors.mfaInvalid() };
    });
  }

  /**
   * One attempt at a user's second factor, after any other on it has finished: 429 when the
   * user's 2FA counter is used up; a failure counts on it (and is audited when `audit` says
   * how), a success clears it.
   */
  private async attempt<T>(
    user: UserEntity,
    audit: { action: string; actor: AuditActor } | null,
    prove: () => Promise<{ value: T } | { reason: string; error: AppError }>,
  ): Promise<T> {
    const counters = [{ rule: LOGIN_RULES.mfa, key: user.id }];
    return this.deps.limiter.oneAtATime(`mfa:${user.id}`, async () => {
      await this.deps.limiter.check(counters);
      const outcome = await prove();
      if ('error' in outcome) {
        await this.deps.limiter.fail(counters);
        if (audit) {
          await this.deps.audit.recordQuietly({
            action: audit.action,
            outcome: 'failure',
            actor: audit.actor,
            target: { type: 'user', id: user.id },
            details: { reason: outcome.reason },
          });
        }
        throw outcome.error;
      }
      await this.deps.limiter.reset(counters);
      return outcome.value;
    });
  }

  async unusedRecoveryCodes(userId: string): Promise<number> {
    return this.deps.recoveryCodes.countUnused(userId);
  }

  /** Clears secret, last step and recovery codes (2FA disable, admin or CLI reset). */
  async reset(userId: string, tx: Tx): Promise<void> {
    await this.deps.users.clearTotp(userId, tx);
    await this.deps.recoveryCodes.deleteAll(userId, tx);
  }

  private async mustFind(userId: string): Promise<UserEntity> {
    const user = await this.deps.users.findById(userId);
    if (!user) throw AuthErrors.authenticationRequired();
    return user;
  }

  private async checkCode(user: UserEntity, code: string): Promise<SecondFactor | null> {
    if (looksLikeTotpCode(code)) return (await this.checkTotp(user, code)) ? 'totp' : null;
    const normalised = normaliseRecoveryCode(code);
    if (!normalised) return null;
    return (await this.deps.recoveryCodes.consume(user.id, this.deps.recoveryHasher.hash(normalised))) ? 'recovery_code' : null;
  }

  private async checkTotp(user: UserEntity, code: string): Promise<boolean> {
    if (!user.totpSecretEnc) return false;
    const secret = this.deps.secretBox.openString(user.totpSecretEnc, secretContext(user.id));
    const step = matchTotp(secret, code);
    return step !== null && (await this.deps.users.claimTotpStep(user.id, step));
  }
}
