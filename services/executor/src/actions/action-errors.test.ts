import { ACTION_CATALOG, actionRequestSchema } from '@netpilot/contracts';
import { CommandFailedError } from '../platforms/types';
import { UnsupportedPlatformError } from '../platforms';
import { ActionTimeoutError, ChannelRefusedError, ConnectionLostError, OutputTooLargeError } from '../ssh/errors';
import { actionErrorToAppError, validationFailed } from './action-errors';

const ctx = { actionTimeoutMs: 1500 };

describe('actionErrorToAppError', () => {
  it('when a router command exits non-zero, then the answer is COMMAND_FAILED with its exit code and trimmed stderr', () => {
    const e = actionErrorToAppError(new CommandFailedError('nft list', 1, '  Error: No such file or directory\n'), ctx);
    expect(e?.code).toBe('COMMAND_FAILED');
    expect(e?.status).toBe(502);
    expect(e?.details).toEqual({ exitCode: 1, stderr: 'Error: No such file or directory' });
  });

  it('when stderr is huge, then details carry at most 2 KB of it', () => {
    const e = actionErrorToAppError(new CommandFailedError('x', 2, 'e'.repeat(10_000)), ctx);
    expect(Buffer.byteLength((e?.details as { stderr: string }).stderr)).toBeLessThanOrEqual(2048);
  });

  it('when the deadline passes, then the answer is TIMEOUT naming the limit', () => {
    const e = actionErrorToAppError(new ActionTimeoutError(1500), ctx);
    expect(e?.code).toBe('TIMEOUT');
    expect(e?.status).toBe(504);
    expect(e?.details).toEqual({ timeoutMs: 1500 });
  });

  it('when the connection died during a command, then the answer is ROUTER_UNREACHABLE', () => {
    const e = actionErrorToAppError(new ConnectionLostError('gone', false), ctx);
    expect(e?.code).toBe('ROUTER_UNREACHABLE');
    expect(e?.details).toEqual({ reason: 'CONNECTION_LOST' });
  });

  it('when the server refuses a channel, then the answer is ROUTER_UNREACHABLE with CHANNEL_REFUSED', () => {
    expect(actionErrorToAppError(new ChannelRefusedError('administratively prohibited'), ctx)?.details).toEqual({
      reason: 'CHANNEL_REFUSED',
    });
  });

  it('when output is too large, then the answer is COMMAND_FAILED', () => {
    expect(actionErrorToAppError(new OutputTooLargeError(10), ctx)?.code).toBe('COMMAND_FAILED');
  });

  it('when the driver layer does not know the platform, then the answer is UNSUPPORTED_PLATFORM', () => {
    expect(actionErrorToAppError(new UnsupportedPlatformError('dd-wrt'), ctx)?.code).toBe('UNSUPPORTED_PLATFORM');
  });

  it('when the error is unknown, then nothing is mapped (the caller answers a generic INTERNAL_ERROR)', () => {
    expect(actionErrorToAppError(new TypeError('boom'), ctx)).toBeNull();
  });
});

describe('validationFailed', () => {
  const router = { id: 'r1', host: '192.0.2.1', port: 22, username: 'root', platform: 'linux-nft' };

  it('when a credential field is malformed, then neither message nor details echo its value', () => {
    const secret = 'NOT-A-PEM-KEY-super-secret-value';
    const { error } = actionRequestSchema.validate(
      { sessionId: 's1', router: { ...router, privateKey: secret }, params: {} },
      { abortEarly: false },
    );
    const e = validationFailed(error!);
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain('super-secret');
    expect(e.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'router.privateKey' })]));
  });

  it('when params are validated on their own, then paths and messages are reported under params', () => {
    const { error } = ACTION_CATALOG.block.params.validate({ ip: '1.2.3.256', colour: 'red' }, { abortEarly: false });
    const e = validationFailed(error!, 'params');
    const details = e.details as Array<{ path: string; message: string }>;
    expect(details.map((d) => d.path).sort()).toEqual(['params.colour', 'params.ip']);
    for (const d of details) expect(d.message.startsWith(`"${d.path}"`)).toBe(true);
  });
});
