import { randomBytes } from 'node:crypto';
import { generateRecoveryCodes, normaliseRecoveryCode, RecoveryCodeHasher } from './recovery-codes';

describe('recovery codes', () => {
  test('when generated, then there are ten distinct codes of the form xxxxx-xxxxx', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
  });

  test('when typed with other case, spaces or look-alike letters, then it normalises to the same code', () => {
    expect(normaliseRecoveryCode('7K2QM X9D4A')).toBe('7k2qmx9d4a');
    expect(normaliseRecoveryCode('abcd0-11xyz')).toBe(normaliseRecoveryCode('ABCDO-ILxyz'));
  });

  test('when the input is not a code, then it normalises to null', () => {
    expect(normaliseRecoveryCode('123456')).toBeNull();
    expect(normaliseRecoveryCode('7k2qm-x9d4u')).toBeNull();
  });

  test('when hashed under different keys, then the hashes differ; under one key they are stable', () => {
    const a = new RecoveryCodeHasher(randomBytes(32));
    const b = new RecoveryCodeHasher(randomBytes(32));
    expect(a.hash('7k2qmx9d4a')).toBe(a.hash('7k2qmx9d4a'));
    expect(a.hash('7k2qmx9d4a')).not.toBe(b.hash('7k2qmx9d4a'));
    expect(a.hash('7k2qmx9d4a')).toMatch(/^[0-9a-f]{64}$/);
  });
});
