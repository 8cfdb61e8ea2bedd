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

/** The actor of a request behind requireAuth. */
export function actorOf(req: Request): Actor {
  const auth = authOf(req);
  return {
    userId: auth.user.id,
    isAdmin: auth.user.role === 'admin',
    sessionId: auth.session.id,
    ip: req.ip ?? null,
    requestId: currentRequestId(),
  };
}
