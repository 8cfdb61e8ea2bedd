import { Router } from 'express';
import { okEnvelope, sessionRequestSchema, type SessionState } from '@netpilot/contracts';
import { validationFailed } from '../actions/action-errors';
import type { SessionRegistry } from './session-registry';

function sessionIdOf(body: unknown): string {
  const { error, value } = sessionRequestSchema.validate(body ?? {}, { abortEarly: false });
  if (error) throw validationFailed(error);
  return (value as { sessionId: string }).sessionId;
}

/** POST /session/start and /session/end: both idempotent. */
export function sessionsRouter(sessions: SessionRegistry): Router {
  const router = Router();
  router.post('/session/start', (req, res) => {
    const sessionId = sessionIdOf(req.body);
    sessions.start(sessionId);
    const data: SessionState = { sessionId, started: true };
    res.json(okEnvelope(data, { sessionId }));
  });
  router.post('/session/end', (req, res) => {
    const sessionId = sessionIdOf(req.body);
    sessions.end(sessionId);
    const data: SessionState = { sessionId, ended: true };
    res.json(okEnvelope(data, { sessionId }));
  });
  return router;
}
