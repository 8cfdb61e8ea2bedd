import { PasswordHasher, passwordPolicyProblems } from './passwords';

describe('password policy', () => {
  test('when the password is long enough and unrelated to the username, then it passes', () => {
    expect(passwordPolicyProblems('correct horse battery', 'alice')).toEqual([]);
  });

  test('when it is shorter than 10 characters, then the message says the minimum', () => {
    expect(passwordPolicyProblems('short1!', 'alice')).toEqual(['Password must be at least 10 characters long']);
  });

  test('when it contains the username in any case, then it is refused', () => {
    expect(passwordPolicyProblems('my-ALICE-password', 'alice')).toEqual(['Password must not contain the username']);
    expect(passwordPolicyProblems('AliceAlice', 'alice')).toEqual(['Password must not contain the username']);
  });

  test('when it is over 72 bytes (bcrypt would ignore the rest), then it is refused', () => {
    expect(passwordPolicyProblems('é'.repeat(40), 'alice')).toEqual([
      expect.stringMatching(/at most 72 bytes/),
    ]);
    expect(passwordPolicyProblems('x'.repeat(72), 'alice')).toEqual([]);
  });

  test('when it is only spaces, then it is refused', () => {
    expect(passwordPolicyProblems(' '.repeat(12), 'alice')).toContain('Password must not be blank');
  });

  test('when a problem is reported, then the message never contains the password', () => {
    const pw = 'alice-secret';
    for (const m of passwordPolicyProblems(pw, 'alice')) expect(m).not.toContain(pw);
  });
});

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(4);

  test('when the right password is given, then it verifies; a wrong one does not', async () => {
    const hash = await hasher.hash('correct horse battery');
    expect(hash).toMatch(/^\$2b\$04\$/);
    await expect(hasher.verify('correct horse battery', hash)).resolves.toBe(true);
    await expect(hasher.verify('wrong horse battery', hash)).resolves.toBe(false);
  });

  test('when there is no stored hash (unknown user), then it answers false after doing the work', async () => {
    await expect(hasher.verify('anything at all', null)).resolves.toBe(false);
  });
});
