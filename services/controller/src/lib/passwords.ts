import bcrypt from 'bcrypt';

export const PASSWORD_MIN_LENGTH = 10;
/** bcrypt reads at most 72 bytes; anything after them would be silently ignored. */
export const PASSWORD_MAX_BYTES = 72;

/**
 * What is wrong with `password` for `username`, as messages a user can act on; empty when
 * it is acceptable. Never includes the password itself.
 */
export function passwordPolicyProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    problems.push(`Password must be at least ${PASSWORD_MIN_LENGTH} characters long`);
  }
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    problems.push(`Password must be at most ${PASSWORD_MAX_BYTES} bytes long (about ${PASSWORD_MAX_BYTES} letters, fewer with accents or emoji)`);
  }
  const name = username.trim().toLowerCase();
  if (name && password.toLowerCase().includes(name)) {
    problems.push('Password must not contain the username');
  }
  if (password.trim() === '') {
    problems.push('Password must not be blank');
  }
  return problems;
}

/**
 * bcrypt with the configured cost. bcrypt's async API hashes on libuv's thread pool, so a
 * login never blocks the event loop.
 */
export class PasswordHasher {
  #dummy: Promise<string> | null = null;

  constructor(readonly cost: number) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  /**
   * Compares against the stored hash, or, when there is no such user, against a dummy
   * hash of the same cost, so that unknown usernames take as long as wrong passwords.
   */
  async verify(password: string, hash: string | null): Promise<boolean> {
    if (hash === null) {
      this.#dummy ??= bcrypt.hash('netpilot-dummy-password-for-timing', this.cost);
      await bcrypt.compare(password, await this.#dummy);
      return false;
    }
    return bcrypt.compare(password, hash);
  }
}
