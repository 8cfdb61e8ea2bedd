import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { ExecutorClient } from '@netpilot/executor-client';
import {
  createApp as createControllerApp,
  createServices as createControllerServices,
  type ControllerServices,
} from '../../services/controller/src/app';
import { loadConfig as loadControllerConfig, type ControllerConfig } from '../../services/controller/src/config';
import { openDatabase, type Database } from '../../services/controller/src/db/database';
import { startBackgroundWork } from '../../services/controller/src/jobs/background';
import { createFreshDatabase } from './fresh-database';
import { loadConfig as loadExecutorConfig } from '../../services/executor/src/config';
import { buildExecutor } from '../../services/executor/src/executor';
import type { SessionRegistry } from '../../services/executor/src/sessions/session-registry';
import { createLogger, type Logger } from '@netpilot/service-kit';
import { checkResponses, recordingApp } from './openapi';

export const TEST_EXECUTOR_TOKEN = 'test-executor-token-0123456789abcdef0123';

/**
 * The simulators listen on 127.0.0.1, an address routers may not have by default: the test
 * stacks allow exactly that one, by the operator's setting (both services must agree).
 */
export const TEST_DESTINATIONS = { ROUTER_ALLOWED_SPECIAL_ADDRESSES: '127.0.0.1' };

/** A quiet logger for tests; pass { level: 'debug' } while debugging one. */
export function testLogger(level = process.env.TEST_LOG_LEVEL ?? 'silent'): Logger {
  return createLogger({ level, format: 'json', service: 'test' });
}

/** Controller settings for tests: the run's database, fresh secrets, cheap bcrypt. */
export function testControllerConfig(env: Record<string, string> = {}): Readonly<ControllerConfig> {
  return loadControllerConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.DATABASE_URL,
    EXECUTOR_TOKEN: TEST_EXECUTOR_TOKEN,
    JWT_SECRET: randomBytes(32).toString('hex'),
    NETPILOT_SECRET_KEY: randomBytes(32).toString('hex'),
    BCRYPT_COST: '4',
    // Every test speaks from 127.0.0.1: limits per address are raised here and tested on their own.
    ANONYMOUS_REQUESTS_PER_MINUTE: '100000',
    REGISTER_MAX_FAILURES_PER_IP: '1000',
    ...TEST_DESTINATIONS,
    ...env,
  });
}

/**
 * A clock that runs at real speed from a time of the test's choosing: `set(iso)` jumps it.
 * Jobs the controller plans from it wait real time (the distance to a boundary as this clock
 * sees it), so a test can stand a few seconds before 21:00 on any date and watch the queue
 * run the boundary.
 */
export function shiftedClock(start?: string): { now: () => Date; set(iso: string): void } {
  let offset = start ? Date.parse(start) - Date.now() : 0;
  return {
    now: () => new Date(Date.now() + offset),
    set(iso: string) {
      offset = Date.parse(iso) - Date.now();
    },
  };
}

export async function listen(app: Express, port = 0): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface TestStack {
  app: Express;
  /** The services behind `app` (jobs, direct checks). */
  services: ControllerServices;
  config: Readonly<ControllerConfig>;
  /** The stack's database (its pool and the query helper); `dataSource` is its TypeORM side, for ad-hoc SQL in tests. */
  db: Database;
  dataSource: DataSource;
  executor: ExecutorClient;
  executorUrl: string;
  /** The real executor's in-memory sessions (read them only): what login/logout did there. Null with `executorUrl`. */
  executorSessions: Pick<SessionRegistry, 'get' | 'size'> | null;
  stopExecutor(): Promise<void>;
  /** Stops the executor and starts a fresh one (no sessions) on the same port. */
  restartExecutor(): Promise<void>;
  /** Stops everything, then fails if any response the tests saw does not match the OpenAPI document. */
  close(): Promise<void>;
}

/**
 * The controller app (for supertest) wired to a real executor app listening on an
 * ephemeral port and to the run's PostgreSQL.
 */
export async function startStack(
  opts: {
    env?: Record<string, string>;
    executorEnv?: Record<string, string>;
    executorUrl?: string;
    logger?: Logger;
    /**
     * Also run the background work main.ts runs: the job queue's workers (reconciles) and
     * periodic jobs. Their work is the whole database's, so without an env DATABASE_URL the
     * stack gets a fresh database of its own (dropped on close).
     */
    background?: boolean;
    /** A fresh database of its own (dropped on close) without the background work, unless env gives DATABASE_URL. */
    freshDatabase?: boolean;
    /** The controller's clock for schedules and temporary blocks (see `shiftedClock`). */
    clock?: () => Date;
  } = {},
): Promise<TestStack> {
  const logger = opts.logger ?? testLogger();
  const fresh = (opts.background || opts.freshDatabase) && !opts.env?.DATABASE_URL ? await createFreshDatabase() : null;
  if (fresh) opts = { ...opts, env: { ...opts.env, DATABASE_URL: fresh.url } };
  const executorConfig = loadExecutorConfig({ NODE_ENV: 'test', EXECUTOR_TOKEN: TEST_EXECUTOR_TOKEN, ...TEST_DESTINATIONS, ...opts.executorEnv });
  let executorService = opts.executorUrl ? null : buildExecutor({ config: executorConfig, logger });
  let executorHttp = executorService ? await listen(executorService.app) : null;
  const executorUrl = opts.executorUrl ?? executorHttp!.url;
  const config = testControllerConfig({ EXECUTOR_URL: executorUrl, ...opts.env });
  const db = await openDatabase(config.databaseUrl, { poolSize: 5 });
  const dataSource = db.dataSource;
  const executor = new ExecutorClient({ baseUrl: executorUrl, token: TEST_EXECUTOR_TOKEN });
  const deps = { config, logger, db, executor, clock: opts.clock };
  const services = createControllerServices(deps);
  const background = opts.background ? await startBackgroundWork(services, config, logger) : null;
  const inner = createControllerApp(deps, services);
  // Every answer the tests receive is checked against the OpenAPI document when the stack closes.
  const { app, recorded } = recordingApp(inner);
  const stopExecutor = async () => {
    if (!executorHttp) return;
    const http = executorHttp;
    executorHttp = null;
    executorService?.close();
    await http.close();
  };
  return {
    app,
    services,
    config,
    db,
    dataSource,
    executor,
    executorUrl,
    get executorSessions() {
      return executorService?.sessions ?? null;
    },
    stopExecutor,
    async restartExecutor() {
      if (opts.executorUrl) throw new Error("restartExecutor needs the stack's own executor");
      await stopExecutor();
      executorService = buildExecutor({ config: executorConfig, logger });
      executorHttp = await listen(executorService.app, Number(new URL(executorUrl).port));
    },
    async close() {
      await background?.stop();
      await stopExecutor();
      await services.stream.close();
      await db.close();
      await fresh?.drop();
      const doc = (await request(inner).get('/api/v1/openapi.json')).body as Record<string, unknown>;
      const problems = checkResponses(doc, recorded);
      if (problems.length) throw new Error(`responses that do not match the OpenAPI document:\n${problems.join('\n')}`);
    },
  };
}
