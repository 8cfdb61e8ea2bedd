/**
 * A deliberately tiny POSIX sh: just the constructs the NetPilot drivers emit.
 *
 *   lists      a; b   a && b   a || b   ! a
 *   compounds  { a; b; }   while a; do b; done   if a; then b; else c; fi
 *   words      'single'  "double" (only "$SSH_CLIENT"-style variables the server sets)  \x
 *   redirects  >/dev/null  2>/dev/null  2>&1  >&2
 *   builtins   true false : echo break exit
 *
 * Anything else (pipes, `$`, backquotes, subshells, `&`, other redirect targets) is a
 * syntax error, never a silent misreading: if a driver starts emitting a new construct,
 * the simulator fails loudly until it is taught that construct honestly.
 */

export class ShellSyntaxError extends Error {}

type Token = { kind: 'word'; value: string; quoted: boolean } | { kind: 'op'; value: string };

interface Redirect {
  fd: 1 | 2;
  /** '/dev/null' or a descriptor to duplicate (`2>&1`). */
  to: '/dev/null' | 1 | 2;
}

export type Node =
  | { type: 'simple'; argv: string[]; redirects: Redirect[] }
  | { type: 'and'; left: Node; right: Node }
  | { type: 'or'; left: Node; right: Node }
  | { type: 'not'; body: Node }
  | { type: 'seq'; items: Node[] }
  | { type: 'while'; cond: Node; body: Node }
  | { type: 'if'; cond: Node; then: Node; else: Node | null };

const RESERVED = new Set(['{', '}', '!', 'while', 'do', 'done', 'if', 'then', 'else', 'fi']);

/** Splits command text into words and operators, honouring quotes. */
/** Variables a command may expand (`"$SSH_CLIENT"`); any other `$` is refused. */
export type ShellEnv = Readonly<Record<string, string>>;

export function tokenize(text: string, env: ShellEnv = {}): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let word = '';
  let inWord = false;
  let quoted = false;
  const flush = () => {
    if (inWord) tokens.push({ kind: 'word', value: word, quoted });
    word = '';
    inWord = false;
    quoted = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t') {
      flush();
      i++;
    } else if (c === '\n' || c === ';') {
      flush();
      tokens.push({ kind: 'op', value: ';' });
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
      word += text.slice(i + 1, end);
      inWord = true;
      quoted = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      quoted = true;
      for (;;) {
        if (i >= text.length) throw new ShellSyntaxError('unterminated quoted string');
        const d = text[i];
        if (d === '"') break;
        if (d === '$') {
          const name = /^[A-Z_][A-Z0-9_]*/.exec(text.slice(i + 1))?.[0];
          if (!name || !(name in env)) throw new ShellSyntaxError('unsupported expansion $');
          word += env[name];
          i += 1 + name.length;
          continue;
        }
        if (d === '`') throw new ShellSyntaxError(`unsupported expansion ${d}`);
        if (d === '\\' && '"\\$`'.includes(text[i + 1] ?? '')) {
          word += text[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      i++;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new ShellSyntaxError('trailing backslash');
      word += text[i + 1];
      inWord = true;
      quoted = true;
      i += 2;
    } else if (c === '&' || c === '|') {
      flush();
      if (text[i + 1] === c) {
        tokens.push({ kind: 'op', value: c + c });
        i += 2;
      } else {
        throw new ShellSyntaxError(`unsupported operator ${c}`);
      }
    } else if (c === '>' || c === '<') {
      // A lone digit right before > is the descriptor (2>/dev/null).
      let fd = '';
      if (inWord && !quoted && /^[0-9]$/.test(word)) {
        fd = word;
        word = '';
        inWord = false;
      } else {
        flush();
      }
      if (c === '<' || text[i + 1] === '>') throw new ShellSyntaxError(`unsupported redirection ${c}`);
      if (text[i + 1] === '&') {
        tokens.push({ kind: 'op', value: `${fd || '1'}>&` });
        i += 2;
      } else {
        tokens.push({ kind: 'op', value: `${fd || '1'}>` });
        i += 1;
      }
    } else if ('$`()'.includes(c)) {
      throw new ShellSyntaxError(`unsupported ${c}`);
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  flush();
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parseProgram(): Node {
    const node = this.parseList([]);
    if (this.pos < this.tokens.length) throw new ShellSyntaxError(`unexpected ${this.describe(this.peek())}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private describe(t: Token | undefined): string {
    return t ? `"${t.value}"` : 'end of input';
  }

  private isReserved(t: Token | undefined, word?: string): boolean {
    return !!t && t.kind === 'word' && !t.quoted && RESERVED.has(t.value) && (word === undefined || t.value === word);
  }

  private expectReserved(word: string) {
    const t = this.peek();
    if (!this.isReserved(t, word)) throw new ShellSyntaxError(`expected "${word}" but got ${this.describe(t)}`);
    this.pos++;
  }

  /** Commands separated by `;` until one of the terminators (a reserved word) or the end. */
  private parseList(terminators: string[]): Node {
    const items: Node[] = [];
    for (;;) {
      while (this.peek()?.kind === 'op' && this.peek()!.value === ';') this.pos++;
      const t = this.peek();
      if (!t || (this.isReserved(t) && terminators.includes(t.value))) break;
      items.push(this.parseAndOr());
      const next = this.peek();
      if (next && !(next.kind === 'op' && next.value === ';') && !(this.isReserved(next) && terminators.includes(next.value))) {
        throw new ShellSyntaxError(`unexpected ${this.describe(next)}`);
      }
    }
    if (items.length === 0) throw new ShellSyntaxError(`empty command list before ${this.describe(this.peek())}`);
    return items.length === 1 ? items[0] : { type: 'seq', items };
  }

  private parseAndOr(): Node {
    let left = this.parsePipeline();
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'op' && (t.value === '&&' || t.value === '||')) {
        this.pos++;
        const right = this.parsePipeline();
        left = { type: t.value === '&&' ? 'and' : 'or', left, right };
      } else {
        return left;
      }
    }
  }

  private parsePipeline(): Node {
    if (this.isReserved(this.peek(), '!')) {
      this.pos++;
      return { type: 'not', body: this.parseCommand() };
    }
    return this.parseCommand();
  }

  private parseCommand(): Node {
    const t = this.peek();
    if (this.isReserved(t, '{')) {
      this.pos++;
      const body = this.parseList(['}']);
      this.expectReserved('}');
      return body;
    }
    if (this.isReserved(t, 'while')) {
      this.pos++;
      const cond = this.parseList(['do']);
      this.expectReserved('do');
      const body = this.parseList(['done']);
      this.expectReserved('done');
      return { type: 'while', cond, body };
    }
    if (this.isReserved(t, 'if')) {
      this.pos++;
      const cond = this.parseList(['then']);
      this.expectReserved('then');
      const then = this.parseList(['else', 'fi']);
      let otherwise: Node | null = null;
      if (this.isReserved(this.peek(), 'else')) {
        this.pos++;
        otherwise = this.parseList(['fi']);
      }
      this.expectReserved('fi');
      return { type: 'if', cond, then, else: otherwise };
    }
    return this.parseSimple();
  }

  private parseSimple(): Node {
    const argv: string[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const t = this.peek();
      if (!t) break;
      if (t.kind === 'word') {
        // Reserved words are only special in command position.
        if (argv.length === 0 && this.isReserved(t)) break;
        argv.push(t.value);
        this.pos++;
        continue;
      }
      if (t.value.endsWith('>') || t.value.endsWith('>&')) {
        this.pos++;
        const fd = Number(t.value[0]);
        if (fd !== 1 && fd !== 2) throw new ShellSyntaxError(`unsupported descriptor ${fd}`);
        const target = this.peek();
        if (target?.kind !== 'word') throw new ShellSyntaxError('redirection without a target');
        this.pos++;
        if (t.value.endsWith('>&')) {
          if (target.value !== '1' && target.value !== '2') throw new ShellSyntaxError(`unsupported descriptor ${target.value}`);
          redirects.push({ fd, to: Number(target.value) as 1 | 2 });
        } else {
          if (target.value !== '/dev/null') throw new ShellSyntaxError(`the simulator only redirects to /dev/null, not ${target.value}`);
          redirects.push({ fd, to: '/dev/null' });
        }
        continue;
      }
      break;
    }
    if (argv.length === 0) throw new ShellSyntaxError(`unexpected ${this.describe(this.peek())}`);
    return { type: 'simple', argv, redirects };
  }
}

/** Parses command text into a tree; throws ShellSyntaxError on anything outside the subset. */
export function parseShell(text: string, env: ShellEnv = {}): Node {
  return new Parser(tokenize(text, env)).parseProgram();
}

/** Where a command's output goes. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** A command the shell can run: returns its exit status. */
export type CommandImpl = (argv: string[], io: Output) => number | Promise<number>;

export interface ShellResult {
  stdout: string;
  stderr: string;
  code: number;
}

class BreakSignal {}
class ExitSignal {
  constructor(readonly code: number) {}
}

const MAX_LOOP_ITERATIONS = 10_000;

/**
 * Runs command text like `sh -c`, dispatching simple commands to `commands`.
 * Unknown commands exit 127 with "sh: <name>: not found", like a real shell.
 */
export async function runShell(text: string, commands: (name: string) => CommandImpl | undefined, env: ShellEnv = {}): Promise<ShellResult> {
  let stdout = '';
  let stderr = '';
  let tree: Node;
  try {
    tree = parseShell(text, env);
  } catch (err) {
    if (!(err instanceof ShellSyntaxError)) throw err;
    return { stdout: '', stderr: `sh: syntax error: ${err.message}\n`, code: 2 };
  }
  const root: Output = {
    out: (s) => {
      stdout += s;
    },
    err: (s) => {
      stderr += s;
    },
  };

  const run = async (node: Node, io: Output): Promise<number> => {
    switch (node.type) {
      case 'seq': {
        let status = 0;
        for (const item of node.items) status = await run(item, io);
        return status;
      }
      case 'and': {
        const s = await run(node.left, io);
        return s === 0 ? run(node.right, io) : s;
      }
      case 'or': {
        const s = await run(node.left, io);
        return s !== 0 ? run(node.right, io) : s;
      }
      case 'not':
        return (await run(node.body, io)) === 0 ? 1 : 0;
      case 'if':
        if ((await run(node.cond, io)) === 0) return run(node.then, io);
        return node.else ? run(node.else, io) : 0;
      case 'while': {
        let status = 0;
        for (let i = 0; ; i++) {
          if (i >= MAX_LOOP_ITERATIONS) throw new ExitSignal(124);
          if ((await run(node.cond, io)) !== 0) return status;
          try {
            status = await run(node.body, io);
          } catch (err) {
            if (err instanceof BreakSignal) return 0;
            throw err;
          }
        }
      }
      case 'simple':
        return runSimple(node.argv, redirect(io, node.redirects));
    }
  };

  const runSimple = async (argv: string[], io: Output): Promise<number> => {
    const [name, ...args] = argv;
    switch (name) {
      case 'true':
      case ':':
        return 0;
      case 'false':
        return 1;
      case 'break':
        throw new BreakSignal();
      case 'exit':
        throw new ExitSignal(args[0] === undefined ? 0 : Number(args[0]) & 255);
      case 'echo': {
        const noNewline = args[0] === '-n';
        io.out((noNewline ? args.slice(1) : args).join(' ') + (noNewline ? '' : '\n'));
        return 0;
      }
    }
    const impl = commands(name.replace(/^\/(usr\/)?s?bin\//, ''));
    if (!impl) {
      io.err(`sh: ${name}: not found\n`);
      return 127;
    }
    return impl(args, io);
  };

  let code: number;
  try {
    code = await run(tree, root);
  } catch (err) {
    if (err instanceof ExitSignal) code = err.code;
    else if (err instanceof BreakSignal) code = 0;
    else throw err;
  }
  return { stdout, stderr, code };
}

/** Applies `>/dev/null`, `2>/dev/null`, `2>&1`, `>&2` left to right, as sh does. */
function redirect(io: Output, redirects: Redirect[]): Output {
  if (redirects.length === 0) return io;
  const sinks: Record<1 | 2, (s: string) => void> = { 1: io.out, 2: io.err };
  const discard = () => {};
  for (const r of redirects) sinks[r.fd] = r.to === '/dev/null' ? discard : sinks[r.to];
  return { out: sinks[1], err: sinks[2] };
}
