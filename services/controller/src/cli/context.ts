import { readFile } from 'node:fs/promises';
import path from 'node:path';
import winston from 'winston';
import { ExecutorClient } from '@netpilot/executor-client';
import { createServices, type ControllerServices } from '../app';
import { loadConfig, type ControllerConfig } from '../config';
import { migrateUp, openDatabase, type Database } from '../db/database';
import { prepareLocalEnvironment, type LocalEnvironment } from '../dev/local-env';
import { createLogger, type Logger } from '@netpilot/service-kit';

export interface CliContext {
  config: Readonly<ControllerConfig>;
  db: Database;
  logger: Logger;
  /** Built on first use, so `migrate` never needs tables that do not exist yet. */
  services(): ControllerServices;
  close(): Promise<void>;
}

/** Progress and warnings go to stderr; stdout carries only the command's answer. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * When `npm start` is running, its embedded PostgreSQL already owns the data directory:
 * connect to it instead (its port is in postmaster.pid, its password in secrets.json).
 */
async function runningEmbeddedUrl(home: string): Promise<string | null> {
  try {
    const pidLines = (await readFile(path.join(home, 'postgres', 'postmaster.pid'), 'utf8')).split('\n');
    const port = Number(pidLines[3]);
    const secrets = JSON.parse(await readFile(path.join(home, 'secrets.json'), 'utf8')) as { POSTGRES_PASSWORD?: string };
    if (!Number.isInteger(port) || !secrets.POSTGRES_PASSWORD) return null;
    return `postgres://netpilot:${encodeURIComponent(secrets.POSTGRES_PASSWORD)}@127.0.0.1:${port}/netpilot`;
  } catch {
    return null;
  }
}

async function localEnvironment(): Promise<LocalEnvironment> {
  try {
    return await prepareLocalEnvironment({ log: note });
  } catch (err) {
    const home = path.resolve(process.env.NETPILOT_HOME || '.netpilot');
    const url = /already running/.test((err as Error).message) ? await runningEmbeddedUrl(home) : null;
    if (!url) throw err;
    note('using the embedded PostgreSQL of the NetPilot that is running');
    return prepareLocalEnvironment({ env: { ...process.env, DATABASE_URL: url }, log: note });
  }
}

/** Settings, database and services for one CLI command: DATABASE_URL, or the embedded database. */
export async function openContext(opts: { migrate: boolean }): Promise<CliContext> {
  const local = await localEnvironment();
  let db: Database | null = null;
  try {
    const config = loadConfig(local.env);
    const logger = createLogger({ level: 'warn', format: 'pretty', service: 'cli' });
    // Keep the logger's redacting format; only send every level to stderr.
    logger.clear().add(new winston.transports.Console({ stderrLevels: Object.keys(winston.config.npm.levels) }));
    const opened = await openDatabase(config.databaseUrl, { poolSize: 2 });
    db = opened;
    if (opts.migrate) {
      // Like the controller at start: a fresh database gets its tables before the first command.
      const applied = await migrateUp(opened);
      if (applied.length) note(`applied migrations: ${applied.join(', ')}`);
    }
    let services: ControllerServices | null = null;
    return {
      config,
      db: opened,
      logger,
      services() {
        services ??= createServices({
          config,
          logger,
          db: opened,
          executor: new ExecutorClient({ baseUrl: config.executorUrl, token: config.executorToken, timeoutMs: 3000 }),
        });
        return services;
      },
      async close() {
        await opened.close().catch(() => undefined);
        await local.stop();
      },
    };
  } catch (err) {
    await db?.close().catch(() => undefined);
    await local.stop();
    throw err;
  }
}
