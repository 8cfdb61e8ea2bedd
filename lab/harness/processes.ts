import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import type { ExecResult } from './types';

/** Runs a program without a shell; never rejects, the exit code tells. */
export function run(cmd: string, args: string[], input?: string): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Like run, but a non-zero exit is an error naming the command. */
export async function must(cmd: string, args: string[], input?: string): Promise<string> {
  const r = await run(cmd, args, input);
  if (r.code !== 0) throw new Error(`lab: \`${cmd} ${args.join(' ')}\` failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Runs a program and waits for it: for teardown, which must also work inside an 'exit' handler. */
export function runSync(cmd: string, args: string[]): { code: number; stdout: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return { code: r.status ?? 1, stdout: r.stdout ?? '' };
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** True while the process runs. A zombie counts as gone: our own children stay zombies
 * until the event loop reaps them, which cannot happen during a synchronous teardown. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Kills pids (TERM, then KILL after a grace period) and waits until they are gone. */
export function killPidsSync(pids: number[]): void {
  const live = pids.filter((p) => p > 1 && p !== process.pid && alive(p));
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    for (const p of live.filter(alive)) {
      try {
        process.kill(p, signal);
      } catch {
        /* already gone */
      }
    }
    for (let i = 0; i < 40 && live.some(alive); i++) sleepSync(25);
  }
}

/** Polls `probe` until it answers something other than null, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => T | null | Promise<T | null>,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`lab: timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Resolves once something accepts TCP connections on host:port. */
export async function waitForTcp(host: string, port: number, timeoutMs: number): Promise<void> {
  const listening = async () => ((await canConnect(host, port)) ? true : null);
  await waitFor(`something listening on ${host}:${port}`, timeoutMs, listening, 10);
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = netConnect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
