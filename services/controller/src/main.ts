import type { Server } from 'node:http';
import { ExecutorClient } from '@netpilot/executor-client';
import { createApp, createServices } from './app';
import { ConfigError, loadConfig } from './config';
import { createDataSource, migrateUp } from './db/data-source';
import { startSessionSweep } from './jobs/session-sweep.job';
import { createLogger } from './logger';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`controller: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, service: 'controller' });

  const dataSource = createDataSource(config.databaseUrl);
  await dataSource.initialize();
  const applied = await migrateUp(dataSource);
  if (applied.length) logger.info(`applied migrations: ${applied.join(', ')}`);

  const executor = new ExecutorClient({ baseUrl: config.executorUrl, token: config.executorToken });
  const deps = { config, logger, dataSource, executor };
  const services = createServices(deps);
  const app = createApp(deps, services);
  const sweep = startSessionSweep({
    sessions: services.sessions,
    limiter: services.limiter,
    logger,
    intervalMs: config.sessionSweepIntervalMs,
  });
  services.routerLiveness.start();

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  logger.info(`controller listening on http://${config.host}:${config.port}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping controller`);
    setTimeout(() => process.exit(1), 8000).unref();
    await sweep.stop();
    services.routerLiveness.stop();
    // Open live streams would hold server.close() until the deadline.
    await services.stream.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await dataSource.destroy().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { err: reason }));
}

main().catch((err) => {
  process.stderr.write(`controller: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
