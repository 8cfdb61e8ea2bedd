import { isIP } from 'node:net';
import type { Request } from 'express';
import { currentRequestId } from '@netpilot/service-kit';
import { authOf } from './auth';

/** Who is asking: the signed-in user, their session (also their executor session) and address. */
export interface Actor {
  userId: string;
  isAdmin: boolean;
  sessionId: string;
  ip: string | null;
  requestId?: string;
}

/**
 * The client's address: the socket's, or what trusted proxies said (TRUST_PROXY). Only an IP
 * address counts: anything else a proxy passed on (a forged `X-Forwarded-For` of any length)
 * is null, so it never becomes a rate-limit key, an audit value or a stored session address.
 */
export function clientAddress(req: Request): string | null {
  const ip = req.ip;
  return ip && isIP(ip) ? ip : null;
}

/** The actor of a request behind requireAuth. */
export function actorOf(req: Request): Actor {
  const auth = authOf(req);
  return {
    userId: auth.user.id,
    isAdmin: auth.user.role === 'admin',
    sessionId: auth.session.id,
    ip: clientAddress(req),
    requestId: currentRequestId(),
  };
}
