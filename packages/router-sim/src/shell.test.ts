import { parseShell, runShell, type CommandImpl } from './shell';

/** A tiny command set: `say X` prints X, `warn X` prints X to stderr, `fail` exits 3, `count` counts calls. */
function programs() {
  let counter = 0;
  const table: Record<string, CommandImpl> = {
    say: (args, io) => (io.out(`${args.join(' ')}\n`), 0),
    warn: (args, io) => (io.err(`${args.join(' ')}\n`), 0),
    fail: () => 3,
    argv: (args, io) => (io.out(JSON.stringify(args)), 0),
    // succeeds for the first two calls, then fails: drives while loops
    count: () => (++counter <= 2 ? 0 : 1),
  };
  return { lookup: (name: string) => table[name], calls: () => counter };
}

const run = (text: string) => runShell(text, programs().lookup);

describe('router-sim shell', () => {
  it('when lists mix && || and ;, then they bind left to right like sh', async () => {
    expect(await run('fail && say no || say yes; say end')).toEqual({ stdout: 'yes\nend\n', stderr: '', code: 0 });
    expect(await run('say a && fail')).toMatchObject({ stdout: 'a\n', code: 3 });
    expect(await run('fail || fail')).toMatchObject({ code: 3 });
  });

  it('when a command is negated with !, then its status is inverted', async () => {
    expect(await run('! fail && say negated')).toMatchObject({ stdout: 'negated\n', code: 0 });
    expect(await run('! say x')).toMatchObject({ code: 1 });
  });

  it('when words are quoted, then braces, semicolons and spaces stay literal', async () => {
    expect((await run(`argv 'add element { 10.0.0.1 }; x' "a \\"b\\"" c\\ d`)).stdout).toBe(
      JSON.stringify(['add element { 10.0.0.1 }; x', 'a "b"', 'c d']),
    );
  });

  it('when output is redirected, then >/dev/null, 2>/dev/null, 2>&1 and >&2 apply in order', async () => {
    expect(await run('say out >/dev/null; warn err 2>/dev/null')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await run('warn both >/dev/null 2>&1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await run('warn moved 2>&1 >/dev/null')).toEqual({ stdout: 'moved\n', stderr: '', code: 0 });
    expect(await run('say swapped >&2')).toEqual({ stdout: '', stderr: 'swapped\n', code: 0 });
  });

  it('when commands are grouped with braces, then the group is one operand of && and ||', async () => {
    expect(await run('{ fail || say recovered; } && { say second; }')).toMatchObject({ stdout: 'recovered\nsecond\n', code: 0 });
    expect(await run('fail && { say a; say b; }; say c')).toMatchObject({ stdout: 'c\n' });
  });

  it('when a while loop runs, then it repeats until the condition fails and break leaves it', async () => {
    const p = programs();
    expect(await runShell('while count; do say turn; done; say after', p.lookup)).toMatchObject({
      stdout: 'turn\nturn\nafter\n',
      code: 0,
    });
    expect(await run('while say loop; do break; done')).toMatchObject({ stdout: 'loop\n', code: 0 });
  });

  it('when if/then/else is used, then the matching branch runs', async () => {
    expect(await run('if fail; then say a; else say b; fi')).toMatchObject({ stdout: 'b\n' });
    expect(await run('if say c; then say d; fi')).toMatchObject({ stdout: 'c\nd\n' });
  });

  it('when a command is unknown, then it exits 127 with "sh: <cmd>: not found" unless stderr is discarded', async () => {
    expect(await run('frobnicate --now')).toEqual({ stdout: '', stderr: 'sh: frobnicate: not found\n', code: 127 });
    expect(await run('frobnicate 2>/dev/null || say fallback')).toEqual({ stdout: 'fallback\n', stderr: '', code: 0 });
  });

  it('when exit is called, then the rest does not run', async () => {
    expect(await run('say a; exit 4; say b')).toMatchObject({ stdout: 'a\n', code: 4 });
  });

  it.each([
    ['a pipe', 'say a | say b'],
    ['a background job', 'say a &'],
    ['a variable', 'say $HOME'],
    ['a command substitution', 'say `id`'],
    ['a subshell', '(say a)'],
    ['a file redirect', 'say a >/tmp/x'],
    ['an input redirect', 'say a </etc/passwd'],
    ['an unterminated quote', "say 'a"],
    ['an unclosed group', '{ say a;'],
  ])('when the text uses %s, then it is a syntax error (exit 2), not a guess', async (_what, text) => {
    const result = await run(text);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^sh: syntax error/);
  });

  it('when parsed, then reserved words only count in command position', () => {
    expect(parseShell('argv { } while')).toEqual({
      type: 'simple',
      argv: ['argv', '{', '}', 'while'],
      redirects: [],
    });
  });
});
