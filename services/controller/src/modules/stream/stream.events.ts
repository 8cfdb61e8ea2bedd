/**
 * What the live stream carries: small notices (a kind, a router, some ids) that tell a
 * browser what to fetch again over the API. Details never travel in the notice itself, so a
 * notice can only say "something you may see changed", never leak what it was.
 */
export type StreamEventKind =
  /** A router went online or offline. */
  | 'router.status'
  /** A router command finished (succeeded or failed); ids = [commandId]. */
  | 'command.finished'
  /** A router's stored blocks changed (added, applied, removed); ids = block ids. */
  | 'block.changed'
  /** A router's schedules changed (added, edited, paused, removed); ids = schedule ids. */
  | 'schedule.changed'
  /** A router's devices changed (renamed); ids = device ids. */
  | 'device.changed'
  /** A router event was recorded; ids = [eventId]. */
  | 'event.created'
  /** Sessions were revoked; ids = session ids. */
  | 'session.revoked'
  /** A bulk operation made progress or finished; ids = [operationId]; for the user who asked (and admins). */
  | 'operation.progress';

export interface StreamEvent {
  kind: StreamEventKind;
  routerId?: string;
  /** For events about one user's own things (an operation): who may see it besides admins. */
  userId?: string;
  ids?: string[];
}

/** Publishes one event to every controller replica (one pg_notify); never throws. */
export type Publish = (event: StreamEvent) => Promise<void>;

/** For services wired without a stream (the CLI, unit tests). */
export const publishNowhere: Publish = async () => undefined;
