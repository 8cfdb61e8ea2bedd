import { Batcher } from './batcher';

/** A run function that records each batch and answers `value:<key>`, after `gate` resolves. */
function recorder() {
  const batches: string[][] = [];
  let open: () => void = () => undefined;
  let gate = new Promise<void>((r) => (open = r));
  const run = async (keys: string[]) => {
    batches.push(keys);
    await gate;
    return keys.map((k) => `value:${k}`);
  };
  return {
    batches,
    run,
    release: () => {
      open();
      gate = Promise.resolve();
    },
  };
}

describe('Batcher', () => {
  test('when calls are made in one turn, then one run answers them all, each with its own value', async () => {
    const r = recorder();
    const b = new Batcher(r.run, (k: string) => k);
    const answers = Promise.all(['a', 'b', 'c'].map((k) => b.load(k)));
    r.release();
    expect(await answers).toEqual(['value:a', 'value:b', 'value:c']);
    expect(r.batches).toEqual([['a', 'b', 'c']]);
  });

  test('when equal keys are asked in one batch, then they are read once and share the answer', async () => {
    const r = recorder();
    const b = new Batcher(r.run, (k: string) => k);
    const answers = Promise.all(['a', 'b', 'a', 'a'].map((k) => b.load(k)));
    r.release();
    expect(await answers).toEqual(['value:a', 'value:b', 'value:a', 'value:a']);
    expect(r.batches).toEqual([['a', 'b']]);
  });

  test('when a call comes while a batch is being read, then it waits for a new read, never joining the started one', async () => {
    const r = recorder();
    const b = new Batcher(r.run, (k: string) => k);
    const first = b.load('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.batches).toEqual([['a']]);
    const second = b.load('a');
    r.release();
    expect(await first).toBe('value:a');
    expect(await second).toBe('value:a');
    expect(r.batches).toEqual([['a'], ['a']]);
  });

  test('when a batch is full, then it is sent at once and the next call opens another', async () => {
    const r = recorder();
    const b = new Batcher(r.run, (k: string) => k, 2);
    const answers = Promise.all(['a', 'b', 'c'].map((k) => b.load(k)));
    expect(r.batches).toEqual([['a', 'b']]);
    r.release();
    expect(await answers).toEqual(['value:a', 'value:b', 'value:c']);
    expect(r.batches).toEqual([['a', 'b'], ['c']]);
  });

  test('when the store fails, then every call of the batch fails with its error, nothing is retried, and the next batch works', async () => {
    let fail = true;
    const runs: string[][] = [];
    const b = new Batcher(async (keys: string[]) => {
      runs.push(keys);
      if (fail) throw new Error('connection lost');
      return keys;
    }, (k: string) => k);
    const results = await Promise.allSettled([b.load('a'), b.load('b'), b.load('a')]);
    expect(results.map((x) => (x.status === 'rejected' ? (x.reason as Error).message : x.value))).toEqual(['connection lost', 'connection lost', 'connection lost']);
    expect(runs).toEqual([['a', 'b']]);
    fail = false;
    expect(await b.load('c')).toBe('c');
  });

  test("when one key's bad data makes the batch fail, then only that key's calls fail: the others are read again alone", async () => {
    const runs: string[][] = [];
    const b = new Batcher(
      async (keys: string[]) => {
        runs.push(keys);
        if (keys.includes('poison')) throw Object.assign(new Error('invalid input syntax'), { code: '22P02' });
        return keys.map((k) => `value:${k}`);
      },
      (k: string) => k,
      64,
      (err) => (err as { code?: string }).code === '22P02',
    );
    const results = await Promise.allSettled([b.load('a'), b.load('poison'), b.load('b'), b.load('a')]);
    expect(results.map((x) => (x.status === 'rejected' ? (x.reason as Error).message : x.value))).toEqual(['value:a', 'invalid input syntax', 'value:b', 'value:a']);
    expect(runs).toEqual([['a', 'poison', 'b'], ['a'], ['poison'], ['b']]);
  });

  test('when the run throws before returning a promise, or answers the wrong number of values, then the calls fail', async () => {
    const throwing = new Batcher<string, string>(() => {
      throw new Error('bad statement');
    }, (k) => k);
    await expect(throwing.load('a')).rejects.toThrow('bad statement');
    const short = new Batcher(async (keys: string[]) => keys.slice(1), (k: string) => k);
    await expect(Promise.all([short.load('a'), short.load('b')])).rejects.toThrow('batch answered 1 values for 2 keys');
    const notAnArray = new Batcher(async () => ({ rows: [] }) as unknown as string[], (k: string) => k);
    await expect(notAnArray.load('a')).rejects.toThrow('batch answered object values for 1 keys');
  });
});
