import { base32Decode, hotp, totpAt } from './totp';

// RFC 6238 appendix B (SHA-1 rows) and RFC 4226 appendix D: the test key is ASCII "12345678901234567890".
const RFC_KEY = Buffer.from('12345678901234567890', 'ascii');
const RFC_KEY_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('test TOTP implementation (RFC 4226 / RFC 6238)', () => {
  test('when the RFC key is base32-decoded, then it is the ASCII key', () => {
    expect(base32Decode(RFC_KEY_BASE32)).toEqual(RFC_KEY);
  });

  test.each([
    [0, '755224'],
    [1, '287082'],
    [2, '359152'],
    [9, '520489'],
  ])('when HOTP counter is %d, then the RFC 4226 value is %s', (counter, expected) => {
    expect(hotp(RFC_KEY, counter)).toBe(expected);
  });

  test.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('when the time is %d s, then the RFC 6238 8-digit code is %s', (seconds, expected) => {
    expect(totpAt(RFC_KEY_BASE32, seconds * 1000, { digits: 8 })).toBe(expected);
  });
});
