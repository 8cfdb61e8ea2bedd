import { RateLimiterPostgres, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Sql } from '../../db/sql';
import { AuthErrors } from './auth.errors';

/** The table made by the rate-limits migration; the library never creates it at run time. */
const TABLE = 'rate_limits';

export interface LimitRule {
  /** Key prefix in the table, e.g. `login_user`. */
  name: string;
  /** Failures allowed per window. */
  points: number;
  windowSeconds: number;
}

/** A counter in a rule, e.g. rule `login_ip`, key `203.0.113.9`. */
export interface CounterRef {
  rule: string;
  key: string;
}


/** One charged attempt: settle it as success (reset or refund) or leave it counted as a failure. */
export interface ChargedAttempt {
  /** Forget these counters entirely (e.g. the username's after a successful login). */
  reset(rules: readonly string[]): Promise<void>;
  /** Give back the point charged on these counters (the attempt was not a failure). */
  refund(rules: readonly string[]): Promise<void>;
}

/**
 * Counts failed attempts in PostgreSQL (rate-limiter-flexible's Postgres store over the
 * process's pg pool), so that every controller replica shares the counters.
 *
 * Each attempt is charged *before* the slow check (bcrypt, TOTP) and settled afterwards, so
 * that parallel guesses cannot all slip past a check-then-count gap. An attempt on a counter
 * that is already used up is refused without charging the others, so an attacker hammering
 * one account does not use up the shared office IP's allowance.
 */
export class AttemptLimiter {
  private readonly limiters = new Map<string, RateLimiterPostgres>();

  constructor(
    private readonly db: Sql,
    rules: readonly LimitRule[],
  ) {
    for (const rule of rules) {
      this.limiters.set(
        rule.name,
        new RateLimiterPostgres({
          storeClient: db.pool,
          storeType: 'pool',
          tableName: TABLE,
          tableCreated: true,
          keyPrefix: rule.name,
          points: rule.points,
          duration: rule.windowSeconds,
          // Our session sweep job deletes expired rows; the library's own timer could not be stopped.
          clearExpiredByTimeout: false,
        }),
      );
    }
  }

  /** Deletes counters whose window has passed (run by the session sweep job). */
  async pruneExpired(): Promise<void> {
    await this.db.query(`DELETE FROM ${TABLE} WHERE expire IS NOT NULL AND expire < $1`, [Date.now()]);
  }

  private limiter(rule: string): RateLimiterPostgres {
    const l = this.limiters.get(rule);
    if (!l) throw new Error(`unknown rate-limit rule ${rule}`);
    return l;
  }

  /** Charges one point on every counter, or throws 429 RATE_LIMITED with Retry-After. */
  async charge(counters: readonly CounterRef[]): Promise<ChargedAttempt> {
    const current = await Promise.all(counters.map((c) => this.limiter(c.rule).get(c.key)));
    const exhausted = current
      .map((res, i) => ({ res, points: this.limiter(counters[i].rule).points }))
      .filter((x): x is { res: RateLimiterRes; points: number } => x.res !== null && x.res.consumedPoints >= x.points);
    if (exhausted.length) throw AuthErrors.rateLimited(Math.max(...exhausted.map((x) => x.res.msBeforeNext)));

    const charged = await Promise.all(counters.map((c) => this.limiter(c.rule).penalty(c.key, 1)));
    // Parallel attempts may have raced past the check above; the counter itself is atomic.
    const over = charged.filter((res, i) => res.consumedPoints > this.limiter(counters[i].rule).points);
    if (over.length) throw AuthErrors.rateLimited(Math.max(...over.map((r) => r.msBeforeNext)));

    const pick = (rules: readonly string[]) => counters.filter((c) => rules.includes(c.rule));
    return {
      reset: async (rules) => {
        await Promise.all(pick(rules).map((c) => this.limiter(c.rule).delete(c.key)));
      },
      refund: async (rules) => {
        await Promise.all(pick(rules).map((c) => this.limiter(c.rule).reward(c.key, 1)));
      },
    };
  }
}

/** The controller's rules: login failures per username, per username+IP and per IP; 2FA failures per user. */
export const LOGIN_RULES = {
  user: 'login_user',
  userIp: 'login_user_ip',
  ip: 'login_ip',
  mfa: 'mfa_user',
} as const;

export function loginLimitRules(limits: {
  perUsername: number;
  perUsernameIp: number;
  perIp: number;
  mfaPerUser: number;
  windowSeconds: number;
}): LimitRule[] {
  return [
    { name: LOGIN_RULES.user, points: limits.perUsername, windowSeconds: limits.windowSeconds },
    { name: LOGIN_RULES.userIp, points: limits.perUsernameIp, windowSeconds: limits.windowSeconds },
    { name: LOGIN_RULES.ip, points: limits.perIp, windowSeconds: limits.windowSeconds },
    { name: LOGIN_RULES.mfa, points: limits.mfaPerUser, windowSeconds: limits.windowSeconds },
  ];
}
