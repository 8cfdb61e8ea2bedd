import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive as alive } from '../services/controller/src/db/embedded-postgres';
import { localStackEnv } from './support/local-home';

/**
 * `npm start` as a person runs it: its own process group (like a terminal's foreground job),
 * Ctrl-C delivered to the whole group, a second start on the same NETPILOT_HOME.
 */
const root = path.resolve(__dirname, '..');

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function npmStart(env: Record<string, string>): Run {
  let out = '';
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

async function waitFor(run: Run, text: string, opts: { evenAfterExit?: boolean } = {}): Promise<void> {
  for (;;) {
    if (run.output().includes(text)) return;
    if (!opts.evenAfterExit && run.child.exitCode !== null) throw new Error(`npm start exited early:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves once no member of the process group is left (signal 0 to the group fails). */
async function groupGone(pgid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm start', () => {
  let tmp: string;
  let env: Record<string, string>;
  const runs: Run[] = [];

  beforeAll(async () => {
    ({ tmp, env } = await localStackEnv('netpilot-start-'));
  });

  afterAll(async () => {
    for (const run of runs) {
      try {
        process.kill(-run.child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await rm(tmp, { recursive: true, force: true });
  });

  async function startAndCheck(): Promise<Run> {
    const run = npmStart(env);
    runs.push(run);
    await waitFor(run, 'NetPilot is up');
    const base = `http://127.0.0.1:${env.CONTROLLER_PORT}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const exec = await fetch(`http://127.0.0.1:${env.EXECUTOR_PORT}/api/session/start`, { method: 'POST' });
    expect(exec.status).toBe(401);
    expect(((await exec.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    return run;
  }

  /**
   * Ctrl-C in a terminal signals the whole group; a service manager or `kill PID` signals only
   * the npm process, which hands the signal to the launcher (npm's script runs it with exec).
   */
  async function ctrlC(run: Run, opts: { signal?: NodeJS.Signals; onlyNpm?: boolean } = {}): Promise<void> {
    const pgPid = Number((await readFile(path.join(env.NETPILOT_HOME, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(alive(pgPid)).toBe(true);
    process.kill(opts.onlyNpm ? run.child.pid! : -run.child.pid!, opts.signal ?? 'SIGINT');
    // npm itself dies of the SIGINT at once, as shells expect; the launcher finishes the shutdown.
    await waitFor(run, 'stopped.', { evenAfterExit: true });
    await groupGone(run.child.pid!);
    expect(alive(pgPid)).toBe(false);
    expect(run.output()).not.toMatch(/exited unexpectedly|did not stop/);
  }

  const demoKey = (run: Run) => /demo router \(simulated OpenWrt\) on 127\.0\.0\.1:\d+, host key (SHA256:\S+)/.exec(run.output())?.[1];
  let firstDemoKey: string | undefined;

  test('when started on a fresh home, then both services, the console and the demo router answer, the banner says how to create the first admin, and Ctrl-C stops everything including PostgreSQL', async () => {
    const run = await startAndCheck();
    const base = `http://127.0.0.1:${env.CONTROLLER_PORT}`;
    expect(run.output()).toContain(`console     http://localhost:${env.CONTROLLER_PORT}/`);
    expect(run.output()).toContain('to create the first admin account');
    expect(run.output()).toContain('npm run cli -- admin create');
    const page = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toMatch(/<script type="module"[^>]+src="\/assets\/[^"]+\.js"/);
    expect(((await (await fetch(`${base}/api/v1/console/config`)).json()) as { demoRouter: boolean }).demoRouter).toBe(true);
    firstDemoKey = demoKey(run);
    expect(firstDemoKey).toMatch(/^SHA256:/);
    for (const file of ['secrets.json', 'demo-router/ssh_host_ed25519_key', 'demo-router/password']) {
      expect(statSync(path.join(env.NETPILOT_HOME, file)).mode & 0o777).toBe(0o600);
    }
    // The first account exists now: the next start stops asking for it.
    const registered = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'first-admin', password: 'a long enough password' }),
    });
    expect(registered.status).toBe(201);
    await ctrlC(run);
  }, 90_000);

  test('when started again on the same home, then it reuses the data, the demo router keeps its host key, and the banner no longer asks for a first admin', async () => {
    const run = await startAndCheck();
    expect(run.output()).not.toContain('applied migrations');
    expect(run.output()).not.toContain('admin create');
    expect(run.output()).not.toContain('building the web console');
    expect(demoKey(run)).toBe(firstDemoKey);
    await ctrlC(run);
  }, 90_000);

  test('when SIGTERM is sent to the npm process itself (not its group), then everything stops', async () => {
    const run = await startAndCheck();
    await ctrlC(run, { signal: 'SIGTERM', onlyNpm: true });
  }, 90_000);

  test('when SIGINT is sent to the npm process itself, then everything stops', async () => {
    const run = await startAndCheck();
    await ctrlC(run, { signal: 'SIGINT', onlyNpm: true });
  }, 90_000);

  test('when the demo is turned off, then no demo router starts and the console does not offer one', async () => {
    const run = npmStart({ ...env, NETPILOT_DEMO: 'false' });
    runs.push(run);
    await waitFor(run, 'NetPilot is up');
    expect(run.output()).not.toContain('demo router');
    const config = (await (await fetch(`http://127.0.0.1:${env.CONTROLLER_PORT}/api/v1/console/config`)).json()) as { demoRouter: boolean };
    expect(config.demoRouter).toBe(false);
    await ctrlC(run);
  }, 90_000);

  test('when the executor crashes, then the rest is stopped with a clear message instead of hanging', async () => {
    const run = await startAndCheck();
    const pgPid = Number((await readFile(path.join(env.NETPILOT_HOME, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const members = execFileSync('ps', ['-o', 'pid=,args=', '-g', String(run.child.pid)], { encoding: 'utf8' });
    const executorPid = Number(members.split('\n').find((l) => l.includes('services/executor/src/main.ts'))!.trim().split(/\s+/)[0]);
    process.kill(executorPid, 'SIGKILL');
    await waitFor(run, 'stopped.', { evenAfterExit: true });
    await groupGone(run.child.pid!);
    expect(run.output()).toMatch(/executor exited unexpectedly/);
    expect(alive(pgPid)).toBe(false);
  }, 90_000);

  test('when CONTROLLER_PORT is not a port, then it exits non-zero naming the variable', async () => {
    const run = npmStart({ ...env, CONTROLLER_PORT: 'not-a-port' });
    runs.push(run);
    expect(await run.exit).not.toBe(0);
    expect(run.output()).toContain('CONTROLLER_PORT');
  }, 30_000);
});
