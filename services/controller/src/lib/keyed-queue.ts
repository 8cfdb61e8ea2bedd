/**
 * Runs work one at a time per key (others in parallel), with at most `maxWaiting` jobs waiting
 * behind the one running for a key: `run` answers `null` at once instead of queueing beyond
 * that. In one process only.
 */
export class KeyedQueue {
  private readonly chains = new Map<string, { tail: Promise<unknown>; size: number }>();

  constructor(private readonly maxWaiting: number) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<T | null> {
    const chain = this.chains.get(key) ?? { tail: Promise.resolve(), size: 0 };
    // `size` counts the running job and those waiting behind it.
    if (chain.size > this.maxWaiting) return null;
    chain.size++;
    const mine = chain.tail.catch(() => undefined).then(work);
    chain.tail = mine;
    this.chains.set(key, chain);
    try {
      return await mine;
    } finally {
      chain.size--;
      if (chain.size === 0 && this.chains.get(key) === chain) this.chains.delete(key);
    }
  }
}
