import { ExecutorError } from '@netpilot/executor-client';
import { appErrorOf, isRetryLater } from './executor-errors';

const answer = (code: ConstructorParameters<typeof ExecutorError>[0]) => {
  const e = appErrorOf(new ExecutorError(code, `executor said ${code}`, 400));
  return { code: e.code, status: e.status };
};

describe('executor errors as the API answers them', () => {
  test('when the router or the executor is unavailable, then 503 (504 for a timeout) with the same code, and the change may wait', () => {
    expect(answer('ROUTER_UNREACHABLE')).toEqual({ code: 'ROUTER_UNREACHABLE', status: 503 });
    expect(answer('EXECUTOR_UNAVAILABLE')).toEqual({ code: 'EXECUTOR_UNAVAILABLE', status: 503 });
    expect(answer('SESSION_NOT_FOUND')).toEqual({ code: 'SESSION_NOT_FOUND', status: 503 });
    expect(answer('TIMEOUT')).toEqual({ code: 'TIMEOUT', status: 504 });
    for (const code of ['ROUTER_UNREACHABLE', 'EXECUTOR_UNAVAILABLE', 'SESSION_NOT_FOUND', 'TIMEOUT'] as const) {
      expect(isRetryLater(new ExecutorError(code, '', null))).toBe(true);
    }
  });

  test('when the router refused, then 502 with the router\'s code', () => {
    expect(answer('ROUTER_AUTH_FAILED')).toEqual({ code: 'ROUTER_AUTH_FAILED', status: 502 });
    expect(answer('HOST_KEY_MISMATCH')).toEqual({ code: 'HOST_KEY_MISMATCH', status: 502 });
    expect(answer('COMMAND_FAILED')).toEqual({ code: 'COMMAND_FAILED', status: 502 });
    expect(isRetryLater(new ExecutorError('COMMAND_FAILED', '', 502))).toBe(false);
  });

  test('when the executor refused the controller itself, then never a caller\'s 4xx code but 502 EXECUTOR_CONTRACT_MISMATCH', () => {
    for (const code of ['UNAUTHORIZED', 'VALIDATION_FAILED', 'UNKNOWN_ACTION', 'NOT_FOUND', 'UNSUPPORTED_PLATFORM', 'INTERNAL_ERROR', 'EXECUTOR_BAD_RESPONSE'] as const) {
      expect(answer(code)).toEqual({ code: 'EXECUTOR_CONTRACT_MISMATCH', status: 502 });
    }
  });
});
