/** Releases one slot; calling it more than once is harmless. */
export type Release = () => void;

/**
 * Counting semaphore with a FIFO queue. Used to keep concurrent exec channels on one
 * SSH connection below the server's MaxSessions, and handshakes per host below sshd's
 * MaxStartups.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<{ grant: (release: Release) => void; reject: (err: Error) => void }> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('semaphore limit must be a positive integer');
  }

  /** Slots in use. */
  get inUse(): number {
    return this.active;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** True when nobody holds or waits for a slot (the semaphore can be dropped). */
  get idle(): boolean {
    return this.active === 0 && this.waiters.length === 0;
  }

  /** Resolves with a release function once a slot is free. */
  acquire(): Promise<Release> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((grant, reject) => this.waiters.push({ grant, reject }));
  }

  /** Like acquire, but gives up (and leaves the queue) when `signal` aborts. */
  acquireWithSignal(signal: AbortSignal): Promise<Release> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (this.active < this.limit) return this.acquire();
    return new Promise<Release>((resolve, reject) => {
      const waiter = {
        grant: (release: Release) => {
          signal.removeEventListener('abort', onAbort);
          resolve(release);
        },
        reject,
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Fails every waiter (e.g. the connection they wait for is gone). */
  rejectWaiters(err: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(err);
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next) next.grant(this.releaser());
      else this.active--;
    };
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/** One semaphore per key (e.g. per host), dropped when nobody uses it so keys do not pile up. */
export class KeyedSemaphore {
  private readonly byKey = new Map<string, Semaphore>();

  constructor(readonly limit: number) {}

  /** Number of keys with holders or waiters. */
  get size(): number {
    return this.byKey.size;
  }

  async acquire(key: string, signal?: AbortSignal): Promise<Release> {
    let sem = this.byKey.get(key);
    if (!sem) {
      sem = new Semaphore(this.limit);
      this.byKey.set(key, sem);
    }
    const s = sem;
    let release: Release;
    try {
      release = await (signal ? s.acquireWithSignal(signal) : s.acquire());
    } catch (err) {
      if (s.idle && this.byKey.get(key) === s) this.byKey.delete(key);
      throw err;
    }
    return () => {
      release();
      if (s.idle && this.byKey.get(key) === s) this.byKey.delete(key);
    };
  }
}
