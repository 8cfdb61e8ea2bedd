/**
 * The whole system on one machine, as `npm start` runs it and the browser tests start it:
 * the console built if stale, embedded PostgreSQL (unless DATABASE_URL is set) with
 * generated local secrets, the demo router (with the embedded defaults), then the executor
 * and the controller as child processes. `stop()` ends all of it, the database last.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig as loadControllerConfig, type ControllerConfig } from '../services/controller/src/config';
import { prepareLocalEnvironment, type LocalEnvironment } from '../services/controller/src/dev/local-env';
import { loadConfig as loadExecutorConfig, worstCaseActionMs, type ExecutorConfig } from '../services/executor/src/config';
import { ensureConsoleBuilt } from './console-build';
import { startDemoRouter, type DemoRouter } from './demo-router';

const root = path.resolve(__dirname, '..');

export interface Part {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

export interface LauncherOptions {
  /** The settings; process.env by default. */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Where the services' output goes (the terminal for npm start). */
  childStdio?: 'inherit' | 'ignore';
  /** How often demo visitors come and go. */
  demoVisitorPeriodMs?: number;
}

const DEMO_PORT_DEFAULT = 2222;

/** Whether to run the demo router: NETPILOT_DEMO wins; otherwise only with the embedded database. */
export function demoWanted(env: NodeJS.ProcessEnv): boolean {
  const flag = (env.NETPILOT_DEMO ?? '').trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(flag)) return true;
  if (['false', '0', 'no', 'off'].includes(flag)) return false;
  return !env.DATABASE_URL;
}

async function waitHealthy(url: string, part: Part, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void part.exited.then(() => (dead = true));
  while (Date.now() < deadline && !dead) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(dead ? `${part.name} exited during start` : `${part.name} did not become healthy within ${timeoutMs} ms`);
}

export class Launcher {
  readonly parts: Part[] = [];
  /** The services' environment (settings, generated secrets, database URL, demo router). */
  env: Record<string, string> = {};
  local: LocalEnvironment | null = null;
  demo: DemoRouter | null = null;
  private stopping: Promise<void> | null = null;
  private readonly log: (line: string) => void;
  private readonly exitListeners: ((part: Part, code: number | null) => void)[] = [];

  constructor(private readonly opts: LauncherOptions = {}) {
    this.log = opts.log ?? (() => undefined);
  }

  get controllerUrl(): string {
    return `http://127.0.0.1:${this.env.CONTROLLER_PORT}`;
  }

  /** Called when a service exits while nobody asked it to. */
  onUnexpectedExit(listener: (part: Part, code: number | null) => void): void {
    this.exitListeners.push(listener);
  }

  async start(): Promise<void> {
    const source = this.opts.env ?? process.env;
    await ensureConsoleBuilt(this.log);
    this.local = await prepareLocalEnvironment({ env: source, log: this.log });
    const env: Record<string, string> = {
      ...this.local.env,
      CONTROLLER_PORT: this.local.env.CONTROLLER_PORT || '8080',
      EXECUTOR_PORT: this.local.env.EXECUTOR_PORT || '4001',
    };
    env.EXECUTOR_URL ||= `http://127.0.0.1:${env.EXECUTOR_PORT}`;
    this.env = env;
    if (this.stopping) return;

    if (demoWanted(source)) {
      const port = Number(source.NETPILOT_DEMO_PORT || DEMO_PORT_DEFAULT);
      this.demo = await startDemoRouter({ home: this.local.home, port, visitorPeriodMs: this.opts.demoVisitorPeriodMs });
      env.NETPILOT_DEMO_ROUTER = this.demo.url;
      // The demo router's exact address, and nothing else on loopback, is allowed by name.
      env.ROUTER_ALLOWED_ENDPOINTS = [env.ROUTER_ALLOWED_ENDPOINTS, this.demo.endpoint].filter(Boolean).join(',');
      this.log(`demo router (simulated OpenWrt) on ${this.demo.endpoint}, host key ${this.demo.sim.hostKeySha256}`);
    }

    // Both services' settings checked here, so a bad value is named before anything is spawned.
    checkTimeouts(loadControllerConfig(env), loadExecutorConfig(env));

    const executor = this.spawnPart('executor', 'services/executor/src/main.ts', env);
    await waitHealthy(`http://127.0.0.1:${env.EXECUTOR_PORT}/healthz`, executor, 20_000);
    if (this.stopping) return;
    const controller = this.spawnPart('controller', 'services/controller/src/main.ts', env);
    await waitHealthy(`${this.controllerUrl}/healthz`, controller, 30_000);
    this.demo?.startHeartbeats(this.controllerUrl);
  }

  /** One more controller replica on `port`, sharing the database and the executor. */
  async startController(port: number, name = `controller:${port}`): Promise<Part> {
    const part = this.spawnPart(name, 'services/controller/src/main.ts', { ...this.env, CONTROLLER_PORT: String(port) });
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, part, 30_000);
    return part;
  }

  /** Stops the services (last started first), the demo router, then PostgreSQL. Idempotent. */
  stop(graceMs = 8000): Promise<void> {
    this.stopping ??= (async () => {
      for (const part of [...this.parts].reverse()) await this.stopPart(part, graceMs);
      await this.demo?.stop();
      await this.local?.stop();
    })();
    return this.stopping;
  }

  private spawnPart(name: string, entry: string, env: Record<string, string>): Part {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
      cwd: root,
      env,
      stdio: ['ignore', this.opts.childStdio ?? 'inherit', this.opts.childStdio ?? 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const part = { name, child, exited };
    this.parts.push(part);
    void exited.then((code) => {
      if (!this.stopping) for (const l of this.exitListeners) l(part, code);
    });
    return part;
  }

  private async stopPart(part: Part, graceMs: number): Promise<void> {
    if (part.child.exitCode !== null || part.child.signalCode !== null) return;
    part.child.kill('SIGTERM');
    const done = await Promise.race([part.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), graceMs))]);
    if (!done) {
      this.log(`${part.name} did not stop within ${graceMs} ms; killing it`);
      part.child.kill('SIGKILL');
      await part.exited;
    }
  }
}

/**
 * The controller must wait longer for an executor call than the executor can take, or a slow
 * first action (handshakes, prepare) is recorded as EXECUTOR_UNAVAILABLE while it succeeds.
 */
export function checkTimeouts(controller: Pick<ControllerConfig, 'executorTimeoutMs'>, executor: Pick<ExecutorConfig, 'connectTimeoutMs' | 'actionTimeoutMs'>): void {
  const worst = worstCaseActionMs(executor);
  if (controller.executorTimeoutMs <= worst) {
    throw new ConfigError(
      `EXECUTOR_TIMEOUT_MS (${controller.executorTimeoutMs}) must be above the executor's worst case, ` +
        `2 × SSH_CONNECT_TIMEOUT_MS + 2 × ACTION_TIMEOUT_MS = ${worst} ms`,
    );
  }
}
