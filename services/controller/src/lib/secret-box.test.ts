import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  test('when a value is sealed and opened with the same context, then it comes back unchanged', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:u1');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.openString(sealed, 'totp:u1')).toBe('JBSWY3DPEHPK3PXP');
  });

  test('when the same value is sealed twice, then the ciphertexts differ (fresh IV)', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  test('when opened under another context, then it is refused', () => {
    const sealed = box.seal('secret', 'totp:u1');
    expect(() => box.open(sealed, 'totp:u2')).toThrow(SecretBoxError);
  });

  test('when opened with another key, then it is refused', () => {
    const sealed = box.seal('secret');
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow(SecretBoxError);
  });

  test('when one byte of the ciphertext is changed, then it is refused', () => {
    const [v, iv, body, tag] = box.seal('a longer secret value').split('.');
    const bytes = Buffer.from(body, 'base64url');
    bytes[0] ^= 1;
    expect(() => box.open([v, iv, bytes.toString('base64url'), tag].join('.'))).toThrow(SecretBoxError);
  });

  test('when the version prefix is unknown, then it is refused', () => {
    const sealed = box.seal('x').replace(/^v1\./, 'v9.');
    expect(() => box.open(sealed)).toThrow(/unknown format or version/);
  });

  test('when the key is not 32 bytes, then construction fails', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(SecretBoxError);
  });
});
