import { connectErrorToAppError, ConnectionClosedDuringConnect, type ConnectFailure, PrivateKeyError, trimStderr } from './errors';

const base: ConnectFailure = {
  hop: 'router',
  host: '192.0.2.1',
  port: 22,
  seenHostKey: null,
  expectedHostKey: null,
  hostKeyMismatch: false,
  timedOut: false,
  timeoutMs: 5000,
};

const withCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code, level: 'client-socket' });

describe('connectErrorToAppError', () => {
  it.each(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT'])(
    'when the socket fails with %s, then the answer is ROUTER_UNREACHABLE naming the reason',
    (code) => {
      const e = connectErrorToAppError(withCode(code), base);
      expect(e.code).toBe('ROUTER_UNREACHABLE');
      expect(e.status).toBe(502);
      expect(e.details).toMatchObject({ reason: code, host: '192.0.2.1', port: 22 });
    },
  );

  it('when our connect timer fired, then the answer is ROUTER_UNREACHABLE with CONNECT_TIMEOUT', () => {
    const e = connectErrorToAppError(new Error('x'), { ...base, timedOut: true });
    expect(e.code).toBe('ROUTER_UNREACHABLE');
    expect(e.details).toMatchObject({ reason: 'CONNECT_TIMEOUT' });
    expect(e.message).toContain('5000 ms');
  });

  it('when the server refuses the credentials, then the answer is ROUTER_AUTH_FAILED', () => {
    const err = Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' });
    expect(connectErrorToAppError(err, base).code).toBe('ROUTER_AUTH_FAILED');
  });

  it('when the private key cannot be read, then the answer is ROUTER_AUTH_FAILED with our wording', () => {
    const e = connectErrorToAppError(new PrivateKeyError('wrong or missing passphrase'), base);
    expect(e.code).toBe('ROUTER_AUTH_FAILED');
    expect(e.message).toContain('wrong or missing passphrase');
  });

  it('when the host key did not match the pin, then the answer is HOST_KEY_MISMATCH with expected and seen', () => {
    const e = connectErrorToAppError(new Error('Host denied (verification failed)'), {
      ...base,
      hostKeyMismatch: true,
      expectedHostKey: 'SHA256:expected',
      seenHostKey: 'SHA256:seen',
    });
    expect(e.code).toBe('HOST_KEY_MISMATCH');
    expect(e.details).toMatchObject({ expected: 'SHA256:expected', seen: 'SHA256:seen', hop: 'router' });
  });

  it('when the jump host fails, then the message and details say it was the jump host', () => {
    const e = connectErrorToAppError(withCode('ECONNREFUSED'), { ...base, hop: 'jumpHost' });
    expect(e.message).toContain('jump host');
    expect(e.details).toMatchObject({ hop: 'jumpHost' });
  });

  it('when the server hangs up during the handshake, then the answer is ROUTER_UNREACHABLE with CONNECTION_CLOSED', () => {
    const e = connectErrorToAppError(new ConnectionClosedDuringConnect(), base);
    expect(e.code).toBe('ROUTER_UNREACHABLE');
    expect(e.details).toMatchObject({ reason: 'CONNECTION_CLOSED' });
  });
});

describe('trimStderr', () => {
  it('when stderr is short, then it is only trimmed of surrounding whitespace', () => {
    expect(trimStderr('  nft: no such table\n')).toBe('nft: no such table');
  });

  it('when stderr is longer than 2 KB, then the end is kept within 2 KB', () => {
    const long = 'x'.repeat(5000) + 'THE REASON';
    const t = trimStderr(long);
    expect(Buffer.byteLength(t)).toBeLessThanOrEqual(2048);
    expect(t.endsWith('THE REASON')).toBe(true);
  });
});
