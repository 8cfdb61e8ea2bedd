import type { CommandEntity } from './command.entity';

/** A command as the history shows it. */
export function toCommandView(c: CommandEntity) {
  return {
    id: c.id,
    action: c.action,
    params: c.params,
    status: c.status,
    errorCode: c.errorCode,
    errorMessage: c.errorMessage,
    durationMs: c.durationMs,
    requestedBy: c.requestedBy,
    actor: c.actor,
    sessionId: c.sessionId,
    requestId: c.requestId,
    createdAt: c.createdAt.toISOString(),
    sentAt: c.sentAt?.toISOString() ?? null,
    finishedAt: c.finishedAt?.toISOString() ?? null,
  };
}
