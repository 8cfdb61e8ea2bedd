import speakeasy from 'speakeasy';
import { base32Encode, generateTotpSecret, matchTotp, totpStep, totpUri } from './totp';

const code = (secret: string, timeMs: number) =>
  speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(timeMs / 1000) });

describe('TOTP helpers', () => {
  test('when bytes are base32-encoded, then the RFC 4648 vectors come out (no padding)', () => {
    expect(base32Encode(Buffer.from('f'))).toBe('MY');
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
  });

  test('when a secret is generated, then it is 32 base32 characters (160 bits) and unique', () => {
    const a = generateTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(a);
  });

  test('when a code of now, the previous or the next step is given, then its step is returned', () => {
    const secret = generateTotpSecret();
    const now = 1_700_000_000_000;
    expect(matchTotp(secret, code(secret, now), now)).toBe(totpStep(now));
    expect(matchTotp(secret, code(secret, now - 30_000), now)).toBe(totpStep(now) - 1);
    expect(matchTotp(secret, code(secret, now + 30_000), now)).toBe(totpStep(now) + 1);
  });

  test('when a code is two steps away or malformed, then it does not match', () => {
    const secret = generateTotpSecret();
    const now = 1_700_000_000_000;
    expect(matchTotp(secret, code(secret, now - 60_000), now)).toBeNull();
    expect(matchTotp(secret, `${code(secret, now).slice(0, 5)}x`, now)).toBeNull();
    expect(matchTotp(secret, '', now)).toBeNull();
  });

  test('when the otpauth URL is built, then it names issuer, account and the standard parameters', () => {
    const url = new URL(totpUri({ secret: 'JBSWY3DPEHPK3PXP', account: 'alice', issuer: 'NetPilot' }));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/NetPilot:alice');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      secret: 'JBSWY3DPEHPK3PXP',
      issuer: 'NetPilot',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});
