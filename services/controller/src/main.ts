import { ExecutorClient } from '@netpilot/executor-client';
import { closeServer, createLogger, listen, runService } from '@netpilot/service-kit';
import { createApp, createServices } from './app';
import { loadConfig } from './config';
import { migrateUp, openDatabaseWhenReachable } from './db/database';
import { isDatabaseUnavailable } from './db/errors';
import { startBackgroundWork } from './jobs/background';

runService(
  'controller',
  async () => {
    const config = loadConfig();
    const logger = createLogger({ level: config.logLevel, format: config.logFormat, service: 'controller' });

    // A controller may start before its database: it waits for it, saying so.
    const db = await openDatabaseWhenReachable(config.databaseUrl, {
      onConnectionError: (err) => logger.warn('database connection error', { reason: err.message }),
      isUnreachable: isDatabaseUnavailable,
      log: (line) => logger.warn(line),
    });
    const applied = await migrateUp(db);
    if (applied.length) logger.info(`applied migrations: ${applied.join(', ')}`);

    const executor = new ExecutorClient({ baseUrl: config.executorUrl, token: config.executorToken, timeoutMs: config.executorTimeoutMs });
    const deps = { config, logger, db, executor };
    const services = createServices(deps);
    const app = createApp(deps, services);
    const background = await startBackgroundWork(services, config, logger);

    const server = await listen(app, config.port, config.host);
    logger.info(`controller listening on http://${config.host}:${config.port} (instance ${services.instanceId})`);
    return {
      logger,
      async stop() {
        // Open live streams would hold the server's close until the deadline.
        await services.stream.close();
        await closeServer(server, 5000);
        await background.stop();
        // The system's executor session (reconciles) ends with this process.
        await executor.endSession(services.instanceId).catch(() => undefined);
        await db.close().catch(() => undefined);
      },
    };
  },
  { stopDeadlineMs: 10_000 },
);
