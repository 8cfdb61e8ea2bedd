/** Polls `probe` until it is true, every `everyMs`, up to `ms`; returns how long it took. */
export async function within(ms: number, probe: () => boolean | Promise<boolean>, everyMs = 50): Promise<number> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return Date.now() - started;
}

/** Waits `ms`. */
export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
