import { KeyedQueue } from './keyed-queue';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('KeyedQueue', () => {
  test('when work for one key overlaps, then it runs one at a time, in order; other keys run alongside', async () => {
    const q = new KeyedQueue(10);
    const log: string[] = [];
    const job = (key: string, n: number) => q.run(key, async () => {
      log.push(`start ${key}${n}`);
      await tick();
      log.push(`end ${key}${n}`);
      return n;
    });
    const results = await Promise.all([job('a', 1), job('a', 2), job('b', 1)]);
    expect(results).toEqual([1, 2, 1]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  test('when more than maxWaiting wait for one key, then the extra ones get null at once', async () => {
    const q = new KeyedQueue(2);
    const slow = () => q.run('k', async () => {
      await tick();
      return 'done';
    });
    const results = await Promise.all([slow(), slow(), slow(), slow()]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
  });

  test('when a job fails, then the next one for the key still runs', async () => {
    const q = new KeyedQueue(5);
    const failed = q.run('k', async () => {
      throw new Error('boom');
    });
    const next = q.run('k', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
