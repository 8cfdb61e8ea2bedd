import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import { ExecutorClient } from '@netpilot/executor-client';
import { createApp as createControllerApp } from '../../services/controller/src/app';
import { loadConfig as loadControllerConfig, type ControllerConfig } from '../../services/controller/src/config';
import { createDataSource } from '../../services/controller/src/db/data-source';
import { createApp as createExecutorApp } from '../../services/executor/src/app';
import { createLogger, type Logger } from '../../services/controller/src/logger';

export const TEST_EXECUTOR_TOKEN = 'test-executor-token-0123456789abcdef0123';

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
    ...env,
  });
}

export async function listen(app: Express): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface TestStack {
  app: Express;
  config: Readonly<ControllerConfig>;
  dataSource: DataSource;
  executor: ExecutorClient;
  executorUrl: string;
  stopExecutor(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The controller app (for supertest) wired to a real executor app listening on an
 * ephemeral port and to the run's PostgreSQL.
 */
export async function startStack(opts: { env?: Record<string, string>; executorUrl?: string } = {}): Promise<TestStack> {
  const logger = testLogger();
  const executorApp = createExecutorApp({ config: { token: TEST_EXECUTOR_TOKEN }, logger });
  const executorHttp = opts.executorUrl ? null : await listen(executorApp);
  const executorUrl = opts.executorUrl ?? executorHttp!.url;
  const config = testControllerConfig({ EXECUTOR_URL: executorUrl, ...opts.env });
  const dataSource = createDataSource(config.databaseUrl, { poolSize: 5 });
  await dataSource.initialize();
  const executor = new ExecutorClient({ baseUrl: executorUrl, token: TEST_EXECUTOR_TOKEN });
  const app = createControllerApp({ config, logger, dataSource, executor });
  let executorStopped = false;
  const stopExecutor = async () => {
    if (executorStopped || !executorHttp) return;
    executorStopped = true;
    await executorHttp.close();
  };
  return {
    app,
    config,
    dataSource,
    executor,
    executorUrl,
    stopExecutor,
    async close() {
      await stopExecutor();
      await dataSource.destroy();
    },
  };
}
