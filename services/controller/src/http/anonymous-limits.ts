import type { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '@netpilot/service-kit';
import { clientAddress } from './actor';

export interface AnonymousLimits {
  /** Requests one address may make to one unauthenticated route per minute. */
  perIpPerMinute: number;
  /** Requests to one unauthenticated route handled at once by this process; more wait. */
  inFlight: number;
  /** Requests that may wait for one route beyond `inFlight`; more are refused at once. */
  waiting: number;
}

const busy = (seconds: number, why: string) =>
  new AppError('RATE_LIMITED', 429, `${why}; try again in ${seconds} s`, { retryAfterSeconds: seconds }, { 'Retry-After': String(seconds) });

/**
 * The guard of every route anyone may call (login, refresh, router registration, ...): each
 * address gets `perIpPerMinute` requests per route, counted in memory (nothing reaches the
 * database for a refused request), and each route has at most `inFlight` requests doing
 * work at once in this process, so that a flood from many addresses holds a few database
 * connections at most and signed-in users keep the rest.
 *
 * Counters are per process: with R replicas an address gets R times the allowance. The
 * failures that matter for guessing (passwords, codes, provision keys) are also counted in
 * PostgreSQL, across replicas, by the AttemptLimiter.
 */
export function anonymousGuard(limits: AnonymousLimits): (routeKey: string, opts?: { perIp?: boolean }) => RequestHandler {
  const perIp = new RateLimiterMemory({ points: limits.perIpPerMinute, duration: 60 });
  const unlimited = Promise.resolve();
  return (routeKey, opts = {}) => {
    const counted = opts.perIp ?? true;
    let running = 0;
    const queue: (() => void)[] = [];
    const release = () => {
      const next = queue.shift();
      if (next) next();
      else running--;
    };
    return (req, res, next) => {
      // Callers whose address is not an IP (a proxy passed junk on) share one allowance.
      (counted ? perIp.consume(`${routeKey}|${clientAddress(req) ?? '?'}`) : unlimited).then(
        () => {
          if (running < limits.inFlight) running++;
          else if (queue.length < limits.waiting) {
            queue.push(() => admitted());
            return;
          } else return next(busy(1, 'This service is busy'));
          admitted();

          function admitted() {
            let released = false;
            const done = () => {
              if (released) return;
              released = true;
              release();
            };
            res.once('finish', done);
            res.once('close', done);
            next();
          }
        },
        (rejected: unknown) => {
          if (rejected instanceof RateLimiterRes) next(busy(Math.max(1, Math.ceil(rejected.msBeforeNext / 1000)), 'Too many requests from this address'));
          else next(rejected);
        },
      );
    };
  };
}
