/**
 * Runs a bounded delete (or update) again until a batch comes back short: each statement
 * holds its locks briefly, so the application never waits long behind a large clean-up.
 * Answers the total.
 */
export async function inBatches(batch: (limit: number) => Promise<number>, size = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await batch(size);
    total += n;
    if (n < size) return total;
  }
}
