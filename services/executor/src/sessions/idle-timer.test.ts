import { startIdleTimer } from './idle-timer';

// The one idle rule of pooled connections and sessions, on a fake clock.

describe('startIdleTimer', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  const watch = () => {
    const w = { used: 0, busy: false, gone: false, expired: 0 };
    const timer = startIdleTimer({
      idleMs: 1000,
      lastUsed: () => w.used,
      isIdle: () => !w.busy,
      abandoned: () => w.gone,
      expire: () => w.expired++,
    });
    return { w, timer };
  };

  it.each([
    ['nothing uses it', null, 1000],
    ['it was used meanwhile', 600, 1600],
  ])('when %s, then it expires once, idleMs after the last use', (_what, usedAt, expiresAt) => {
    const { w } = watch();
    if (usedAt !== null) {
      jest.advanceTimersByTime(usedAt);
      w.used = Date.now();
    }
    jest.advanceTimersByTime(expiresAt - 1 - Date.now());
    expect(w.expired).toBe(0);
    jest.advanceTimersByTime(1);
    expect(w.expired).toBe(1);
    jest.advanceTimersByTime(10_000);
    expect(w.expired).toBe(1);
  });

  it('when it is busy, then it does not expire until idleMs after it is idle again', () => {
    const { w } = watch();
    w.busy = true;
    jest.advanceTimersByTime(5000);
    expect(w.expired).toBe(0);
    w.busy = false;
    w.used = Date.now();
    jest.advanceTimersByTime(2000);
    expect(w.expired).toBe(1);
  });

  it('when it is stopped or its owner is gone, then it never expires', () => {
    const stopped = watch();
    stopped.timer.stop();
    const abandoned = watch();
    abandoned.w.gone = true;
    jest.advanceTimersByTime(10_000);
    expect(stopped.w.expired + abandoned.w.expired).toBe(0);
  });
});
