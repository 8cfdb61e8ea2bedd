/** Stops an idle timer before it expires; safe to call more than once. */
export interface IdleTimer {
  stop(): void;
}

export interface IdleWatch {
  /** How long the thing may stay unused before it expires. */
  idleMs: number;
  lastUsed(): number;
  /** True while nothing uses the thing (an action in flight keeps it alive). */
  isIdle(): boolean;
  /** True once the owner is gone: the timer then stops without expiring anything. */
  abandoned(): boolean;
  expire(): void;
}

/**
 * Calls `expire` once the watched thing has gone `idleMs` without use. One timer,
 * re-armed for the remainder when it fires early instead of reset on every use, so a
 * busy connection or session costs no timer work per action.
 */
export function startIdleTimer(watch: IdleWatch): IdleTimer {
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number) => {
    timer = setTimeout(check, ms);
    // Idle bookkeeping must never keep the process alive.
    timer.unref();
  };
  const check = () => {
    if (watch.abandoned()) return;
    const quiet = Date.now() - watch.lastUsed();
    if (watch.isIdle() && quiet >= watch.idleMs) watch.expire();
    else arm(watch.isIdle() ? watch.idleMs - quiet : watch.idleMs);
  };
  arm(watch.idleMs);
  return { stop: () => clearTimeout(timer) };
}
