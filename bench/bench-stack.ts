/**
 * The whole system for a benchmark, in this process: an embedded PostgreSQL in a temporary
 * directory, the executor and the controller listening on loopback, and the controller's
 * services for set-up that need not go through HTTP. Everything is torn down by `close`,
 * in the reverse order of start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type express from 'express';
import { ExecutorClient } from '@netpilot/executor-client';
import { createLogger, type Logger } from '@netpilot/service-kit';
import { createApp, createServices, type ControllerServices } from '../services/controller/src/app';
import { loadConfig, type ControllerConfig } from '../services/controller/src/config';
import { migrateUp, openDatabase, type Database } from '../services/controller/src/db/database';
import { freePort, startEmbeddedPostgres } from '../services/controller/src/db/embedded-postgres';
import { loadConfig as loadExecutorConfig } from '../services/executor/src/config';
import { buildExecutor } from '../services/executor/src/executor';

export const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

export interface BenchStack {
  /** The controller's base URL (http://127.0.0.1:port). */
  base: string;
  executorUrl: string;
  /** The executor's process id, when it runs in a process of its own. */
  executorPid: number | null;
  config: Readonly<ControllerConfig>;
  db: Database;
  services: ControllerServices;
  logger: Logger;
  /** Runs `fn` at close, before what was started earlier. */
  defer(fn: () => Promise<unknown>): void;
  close(): Promise<void>;
}

export async function listen(app: express.Express): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  server.keepAliveTimeout = 65_000;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * The real executor (services/executor/src/main.ts) in its own process, as in production: its
 * work and the caller's do not share one event loop (nor one core).
 */
export async function startExecutorProcess(env: Record<string, string>): Promise<{ url: string; pid: number; client: ExecutorClient; stop(): Promise<void> }> {
  const port = await freePort();
  // BENCH_CPU_PROF=<dir>: the executor writes a V8 CPU profile there when it stops.
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'services/executor/src/main.ts'], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env, EXECUTOR_PORT: String(port), EXECUTOR_HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = () => stopChild(child);
  const url = `http://127.0.0.1:${port}`;
  const client = new ExecutorClient({ baseUrl: url, token: env.EXECUTOR_TOKEN });
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await client.health();
      return { url, pid: child.pid!, client, stop };
    } catch (err) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the executor did not start: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** SIGTERM, SIGKILL after 5 s, and wait for the exit. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export interface FarmSim {
  host: string;
  port: number;
  username: string;
  password: string;
  hostKeySha256: string;
}

/** `count` simulated routers (linux-nft) in a process of their own (bench/sim-farm.ts). */
export async function startSimFarm(count: number, password = 'bench'): Promise<{ sims: FarmSim[]; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'sim-farm.ts'), String(count), password], {
    cwd: path.resolve(__dirname, '..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = () => stopChild(child);
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`the simulator farm exited (${code}) before it was ready`)));
  });
  const sims = (JSON.parse(line) as { port: number; hostKeySha256: string }[]).map((s) => ({ ...s, host: '127.0.0.1', username: 'root', password }));
  return { sims, pid: child.pid!, stop };
}

export async function startBenchStack(opts: {
  /** Controller settings on top of the bench's own. */
  env?: Record<string, string>;
  executorEnv?: Record<string, string>;
  /** 'process': the executor in its own process (as in production); in this one by default. */
  executor?: 'inprocess' | 'process';
  poolSize?: number;
}): Promise<BenchStack> {
  const token = randomBytes(24).toString('hex');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'netpilot-bench-pg-'));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dataDir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of cleanups.splice(0)) await c().catch((err) => say(`cleanup: ${(err as Error).message}`));
  };
  try {
    const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), user: 'bench', password: randomBytes(8).toString('hex'), database: 'bench' });
    cleanups.unshift(() => postgres.stop());
    const logger = createLogger({ level: 'silent', format: 'json', service: 'bench' });
    // The simulators listen on loopback, which routers may otherwise not use.
    const loopback = { ROUTER_ALLOWED_SPECIAL_ADDRESSES: '127.0.0.1' };
    let executorUrl: string;
    let executorPid: number | null = null;
    if (opts.executor === 'process') {
      const executor = await startExecutorProcess({ EXECUTOR_TOKEN: token, ...loopback, ...opts.executorEnv });
      cleanups.unshift(() => executor.stop());
      executorUrl = executor.url;
      executorPid = executor.pid;
    } else {
      const executor = buildExecutor({ config: loadExecutorConfig({ EXECUTOR_TOKEN: token, LOG_LEVEL: 'silent', ...loopback, ...opts.executorEnv }), logger });
      const executorHttp = await listen(executor.app);
      cleanups.unshift(async () => {
        executor.close();
        await executorHttp.close();
      });
      executorUrl = executorHttp.url;
    }
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: postgres.url,
      EXECUTOR_URL: executorUrl,
      EXECUTOR_TOKEN: token,
      JWT_SECRET: randomBytes(32).toString('hex'),
      NETPILOT_SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
      ...loopback,
      ...opts.env,
    });
    const db = await openDatabase(config.databaseUrl, opts.poolSize ? { poolSize: opts.poolSize } : {});
    cleanups.unshift(() => db.close());
    await migrateUp(db);
    const deps = { config, logger, db, executor: new ExecutorClient({ baseUrl: executorUrl, token, timeoutMs: config.executorTimeoutMs }) };
    const services = createServices(deps);
    const controller = await listen(createApp(deps, services));
    cleanups.unshift(() => controller.close());
    return {
      base: controller.url,
      executorUrl,
      executorPid,
      config,
      db,
      services,
      logger,
      defer: (fn) => cleanups.unshift(fn),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** One JSON request to the controller; the body parsed. */
export async function api(base: string, method: string, p: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
