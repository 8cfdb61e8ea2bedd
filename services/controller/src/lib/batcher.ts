interface Waiter<V> {
  resolve(value: V): void;
  reject(err: unknown): void;
}

interface Batch<K, V> {
  /** One entry per distinct key, in arrival order. */
  entries: Map<string, { key: K; waiters: Waiter<V>[] }>;
  started: boolean;
}

/**
 * Answers the calls made during one turn of the event loop with one call of `run`: under
 * load, many requests' reads become one database round trip. Calls with equal keys (same
 * `keyOf`) in one batch share one answer.
 *
 * Consistency: a call only ever joins a batch that has not started, so its answer comes from
 * a read that began after the call was made; a write committed before the call is always
 * seen. Nothing is kept once a batch is answered: this is not a cache.
 *
 * With no load, a batch holds one call and is sent at the end of the current turn
 * (`setImmediate`): no added wait. A batch that failed on bad data (`mayBeOneKeys`) is
 * retried key by key, so that a value one caller sent cannot fail another caller's request.
 */
export class Batcher<K, V> {
  private open: Batch<K, V> | null = null;

  constructor(
    /** Answers for `keys`, in the same order; a failure fails every call of the batch (but see mayBeOneKeys). */
    private readonly run: (keys: K[]) => Promise<V[]>,
    private readonly keyOf: (key: K) => string,
    /** A full batch is sent at once and the next call opens a new one. */
    private readonly maxKeys = 64,
    /**
     * Whether a failure of a batch of several keys may be one key's fault (bad data), so that
     * each key is tried again alone. Failures of the store itself (connection lost, timeout)
     * are not retried: that would multiply the load on a store already in trouble.
     */
    private readonly mayBeOneKeys: (err: unknown) => boolean = () => false,
  ) {}

  load(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      let batch = this.open;
      if (!batch) {
        const opened: Batch<K, V> = { entries: new Map(), started: false };
        batch = this.open = opened;
        setImmediate(() => this.send(opened));
      }
      const id = this.keyOf(key);
      const entry = batch.entries.get(id);
      if (entry) {
        entry.waiters.push({ resolve, reject });
        return;
      }
      batch.entries.set(id, { key, waiters: [{ resolve, reject }] });
      if (batch.entries.size >= this.maxKeys) this.send(batch);
    });
  }

  private send(batch: Batch<K, V>): void {
    if (batch.started) return;
    batch.started = true;
    if (this.open === batch) this.open = null;
    const entries = [...batch.entries.values()];
    const settle = (fn: (entry: (typeof entries)[number], i: number) => void) => entries.forEach(fn);
    let answered: Promise<V[]>;
    try {
      answered = this.run(entries.map((e) => e.key));
    } catch (err) {
      answered = Promise.reject(err);
    }
    answered.then(
      (values) => {
        if (!Array.isArray(values) || values.length !== entries.length) {
          const err = new Error(`batch answered ${Array.isArray(values) ? values.length : typeof values} values for ${entries.length} keys`);
          settle((e) => e.waiters.forEach((w) => w.reject(err)));
          return;
        }
        settle((e, i) => e.waiters.forEach((w) => w.resolve(values[i])));
      },
      (err: unknown) => {
        if (entries.length > 1 && this.mayBeOneKeys(err)) {
          // One caller's value must not fail the others: each key is read again on its own.
          settle((e) => this.send({ entries: new Map([['', e]]), started: false }));
          return;
        }
        settle((e) => e.waiters.forEach((w) => w.reject(err)));
      },
    );
  }
}
