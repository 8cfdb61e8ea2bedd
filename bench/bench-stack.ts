/**
 * The whole system for a benchmark, in this process: an embedded PostgreSQL in a temporary
 * directory, the executor and the controller listening on loopback, and the controller's
 * services for set-up that need not go through HTTP. Everything is torn down by `close`,
 * in the reverse order of start.
 */
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

export async function startBenchStack(opts: {
  /** Controller settings on top of the bench's own. */
  env?: Record<string, string>;
  executorEnv?: Record<string, string>;
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
    const executor = buildExecutor({ config: loadExecutorConfig({ EXECUTOR_TOKEN: token, LOG_LEVEL: 'silent', ...loopback, ...opts.executorEnv }), logger });
    const executorHttp = await listen(executor.app);
    cleanups.unshift(async () => {
      executor.close();
      await executorHttp.close();
    });
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: postgres.url,
      EXECUTOR_URL: executorHttp.url,
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
    const deps = { config, logger, db, executor: new ExecutorClient({ baseUrl: executorHttp.url, token, timeoutMs: config.executorTimeoutMs }) };
    const services = createServices(deps);
    const controller = await listen(createApp(deps, services));
    cleanups.unshift(() => controller.close());
    return {
      base: controller.url,
      executorUrl: executorHttp.url,
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
