import { RateLimiterPostgres, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Sql } from '../../db/sql';
import { KeyedQueue } from '../../lib/keyed-queue';
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


/**
 * Counts failed attempts in PostgreSQL (rate-limiter-flexible's Postgres store on the
 * process's pool), so that every controller replica shares the counters.
 *
 * An attempt is checked against the counters first (429 when one is used up), then the slow
 * check runs (bcrypt, TOTP), and only a failure is counted: a right password is never
 * refused because other attempts are in flight. So that parallel guesses cannot all pass the
 * check before the first failure is counted, callers run the attempts on one secret one at a
 * time with `oneAtATime` (per process: with R replicas at most R guesses overlap).
 */
export class AttemptLimiter {
  private readonly limiters = new Map<string, RateLimiterPostgres>();
  /** Attempts waiting on one secret beyond this are refused at once (429) rather than queued. */
  private readonly attempts = new KeyedQueue(64);

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

  /** Runs `work` after any attempt already running on `secret` (e.g. `login:alice`) has finished. */
  async oneAtATime<T>(secret: string, work: () => Promise<T>): Promise<T> {
    let ran = false;
    const result = await this.attempts.run(secret, async () => {
      ran = true;
      return work();
    });
    if (!ran) throw AuthErrors.rateLimited(1000);
    return result as T;
  }

  /** Throws 429 RATE_LIMITED (with Retry-After) when any counter is used up; counts nothing. */
  async check(counters: readonly CounterRef[]): Promise<void> {
    const current = await Promise.all(counters.map((c) => this.limiter(c.rule).get(c.key)));
    const exhausted = current
      .map((res, i) => ({ res, points: this.limiter(counters[i].rule).points }))
      .filter((x): x is { res: RateLimiterRes; points: number } => x.res !== null && x.res.consumedPoints >= x.points);
    if (exhausted.length) throw AuthErrors.rateLimited(Math.max(...exhausted.map((x) => x.res.msBeforeNext)));
  }

  /** Counts one failure on every counter. */
  async fail(counters: readonly CounterRef[]): Promise<void> {
    await Promise.all(counters.map((c) => this.limiter(c.rule).penalty(c.key, 1)));
  }

  /** Forgets these counters (e.g. the username's after a successful login). */
  async reset(counters: readonly CounterRef[]): Promise<void> {
    await Promise.all(counters.map((c) => this.limiter(c.rule).delete(c.key)));
  }
}

/**
 * The controller's rules: login failures per username, per username+IP and per IP; 2FA
 * failures per user; failed router registrations per IP.
 */
export const LOGIN_RULES = {
  user: 'login_user',
  userIp: 'login_user_ip',
  ip: 'login_ip',
  mfa: 'mfa_user',
  register: 'register_ip',
} as const;

export function loginLimitRules(limits: {
  perUsername: number;
  perUsernameIp: number;
  perIp: number;
  mfaPerUser: number;
  registerPerIp: number;
  windowSeconds: number;
}): LimitRule[] {
  return [
    { name: LOGIN_RULES.user, points: limits.perUsername, windowSeconds: limits.windowSeconds },
    { name: LOGIN_RULES.userIp, points: limits.perUsernameIp, windowSeconds: limits.windowSeconds },
    { name: LOGIN_RULES.ip, points: limits.perIp, windowSeconds: limits.windowSeconds },
    { name: LOGIN_RULES.mfa, points: limits.mfaPerUser, windowSeconds: limits.windowSeconds },
    { name: LOGIN_RULES.register, points: limits.registerPerIp, windowSeconds: limits.windowSeconds },
  ];
}
