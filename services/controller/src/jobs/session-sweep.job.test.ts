import { startSessionSweep } from './session-sweep.job';
import { createLogger } from '@netpilot/service-kit';

const logger = createLogger({ level: 'silent', format: 'json', service: 'test' });

describe('session sweep job', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('when the interval passes, then expired sessions are ended and counters pruned, repeatedly', async () => {
    const sessions = { expireDue: jest.fn().mockResolvedValue(2) };
    const limiter = { pruneExpired: jest.fn().mockResolvedValue(undefined) };
    const job = startSessionSweep({ sessions, limiter, logger, intervalMs: 1000 });
    expect(sessions.expireDue).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1000);
    expect(sessions.expireDue).toHaveBeenCalledTimes(1);
    expect(limiter.pruneExpired).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(sessions.expireDue).toHaveBeenCalledTimes(2);
    await job.stop();
  });

  test('when a pass fails, then the job logs it and keeps running', async () => {
    const sessions = { expireDue: jest.fn().mockRejectedValueOnce(new Error('db down')).mockResolvedValue(0) };
    const limiter = { pruneExpired: jest.fn().mockResolvedValue(undefined) };
    const job = startSessionSweep({ sessions, limiter, logger, intervalMs: 500 });
    await jest.advanceTimersByTimeAsync(1000);
    expect(sessions.expireDue).toHaveBeenCalledTimes(2);
    await job.stop();
  });

  test('when stopped, then no further pass runs', async () => {
    const sessions = { expireDue: jest.fn().mockResolvedValue(0) };
    const limiter = { pruneExpired: jest.fn().mockResolvedValue(undefined) };
    const job = startSessionSweep({ sessions, limiter, logger, intervalMs: 1000 });
    await job.stop();
    await jest.advanceTimersByTimeAsync(5000);
    expect(sessions.expireDue).not.toHaveBeenCalled();
  });
});
