import { KeyedSemaphore, Semaphore } from './semaphore';

const tick = () => new Promise((r) => setImmediate(r));

describe('Semaphore', () => {
  it('when more callers than slots arrive, then only `limit` hold a slot and the rest wait in order', async () => {
    const sem = new Semaphore(2);
    const order: number[] = [];
    const holders = [1, 2, 3, 4].map((n) => sem.acquire().then((release) => ({ n, release })));
    const first = await Promise.all(holders.slice(0, 2));
    first.forEach((h) => order.push(h.n));
    await tick();
    expect(sem.inUse).toBe(2);
    expect(sem.waiting).toBe(2);

    first[0].release();
    const third = await holders[2];
    order.push(third.n);
    expect(sem.inUse).toBe(2);
    expect(sem.waiting).toBe(1);

    first[1].release();
    third.release();
    const fourth = await holders[3];
    order.push(fourth.n);
    fourth.release();
    expect(order).toEqual([1, 2, 3, 4]);
    expect(sem.idle).toBe(true);
  });

  it('when a release is called twice, then it frees only one slot', async () => {
    const sem = new Semaphore(1);
    const r = await sem.acquire();
    const waiting = sem.acquire();
    r();
    r();
    const r2 = await waiting;
    expect(sem.inUse).toBe(1);
    r2();
    expect(sem.inUse).toBe(0);
  });

  it('when a waiter gives up through its signal, then it leaves the queue and the slot goes to the next one', async () => {
    const sem = new Semaphore(1);
    const held = await sem.acquire();
    const ac = new AbortController();
    const quitter = sem.acquireWithSignal(ac.signal);
    const patient = sem.acquire();
    ac.abort(new Error('deadline'));
    await expect(quitter).rejects.toThrow('deadline');
    expect(sem.waiting).toBe(1);
    held();
    const r = await patient;
    expect(sem.inUse).toBe(1);
    r();
  });

  it('when waiters are rejected (connection gone), then each gets the error and nothing is held', async () => {
    const sem = new Semaphore(1);
    const held = await sem.acquire();
    const a = sem.acquire();
    const b = sem.acquire();
    sem.rejectWaiters(new Error('gone'));
    await expect(a).rejects.toThrow('gone');
    await expect(b).rejects.toThrow('gone');
    held();
    expect(sem.idle).toBe(true);
  });

  it('when the limit is not a positive integer, then construction is refused', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

describe('KeyedSemaphore', () => {
  it('when two keys are used, then each has its own limit and an unused key is dropped', async () => {
    const ks = new KeyedSemaphore(1);
    const a = await ks.acquire('a:22');
    const b = await ks.acquire('b:22');
    let secondA = false;
    const pending = ks.acquire('a:22').then((r) => {
      secondA = true;
      return r;
    });
    await tick();
    expect(secondA).toBe(false);
    a();
    const a2 = await pending;
    expect(secondA).toBe(true);
    a2();
    b();
    expect(ks.size).toBe(0);
  });
});
