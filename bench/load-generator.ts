/**
 * Closed-loop HTTP load from a separate process, so that it does not share an event loop with
 * the servers measured: Debian's wrk when installed (a C generator leaves far more of two
 * cores to the servers), else bench/load.ts.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { splitHeader } from './stats';

export interface LoadResult {
  perSecond: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  /** Successive requests take these headers in turn, one per request (e.g. one user's token each). */
  headers?: string[];
  seconds: number;
  concurrency: number;
  /** GET by default; with a JSON body, e.g. POST. */
  method?: 'GET' | 'POST';
  body?: unknown;
}

/** Whether Debian's wrk is installed. */
export async function hasWrk(): Promise<boolean> {
  try {
    await promisify(execFile)('wrk', ['--version']);
    return true;
  } catch (err) {
    // wrk --version exits 1 after printing its banner; only a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export type Generator = 'wrk' | 'node';

/** wrk unless BENCH_LOAD_GENERATOR=node or wrk is missing. */
export async function pickGenerator(): Promise<Generator> {
  return process.env.BENCH_LOAD_GENERATOR === 'node' || !(await hasWrk()) ? 'node' : 'wrk';
}

export const describeGenerator = (g: Generator) => (g === 'wrk' ? 'wrk (Debian package)' : 'bench/load.ts (Node; apt-get install wrk for less skew)');

/**
 * Load on `url` for `seconds`. wrk runs every measurement through the same generated Lua
 * script (with no header, one or many), so its own cost is the same for every line compared.
 * `started` is told the child process, for callers that run load in the background.
 */
export async function load(generator: Generator, url: string, opts: LoadOptions, started?: (child: ChildProcess) => void): Promise<LoadResult> {
  const pairs = (opts.headers ?? []).map(splitHeader);
  const method = opts.method ?? 'GET';
  const body = opts.body === undefined ? null : JSON.stringify(opts.body);
  const run = (file: string, args: string[], cwd?: string) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile(file, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
      started?.(child);
    });
  if (generator === 'wrk') {
    const scriptDir = await mkdtemp(path.join(os.tmpdir(), 'netpilot-bench-wrk-'));
    try {
      const script = path.join(scriptDir, 'rotate.lua');
      // Printable ASCII only (splitHeader), so a JSON string literal is a valid Lua one.
      const entries = pairs.map(([name, value]) => `{${JSON.stringify(name)}, ${JSON.stringify(value)}}`);
      await writeFile(
        script,
        [
          `local hs = {${entries.join(', ')}}`,
          `local method = ${JSON.stringify(method)}`,
          `local body = ${body === null ? 'nil' : JSON.stringify(body)}`,
          'local n = 0',
          'request = function()',
          "  local h = {}",
          "  if body then h['Content-Type'] = 'application/json' end",
          '  if #hs > 0 then',
          '    n = n % #hs + 1',
          '    h[hs[n][1]] = hs[n][2]',
          '  end',
          '  return wrk.format(method, nil, h, body)',
          'end',
          '',
        ].join('\n'),
      );
      const stdout = await run('wrk', ['-t1', `-c${opts.concurrency}`, `-d${opts.seconds}s`, '-s', script, url]);
      const perSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
      const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
      const errors = /Socket errors:/.test(stdout) ? 1 : 0;
      if (!Number.isFinite(perSecond)) throw new Error(`cannot read wrk output:\n${stdout}`);
      return { perSecond, non2xx, errors };
    } finally {
      await rm(scriptDir, { recursive: true, force: true });
    }
  }
  const args = ['--import', 'tsx', path.join(__dirname, 'load.ts'), url, String(opts.seconds), String(opts.concurrency)];
  if (body !== null) args.push(`--method=${method}`, `--body=${body}`);
  args.push(...(opts.headers ?? []));
  const stdout = await run(process.execPath, args, path.resolve(__dirname, '..'));
  return JSON.parse(stdout.trim());
}
