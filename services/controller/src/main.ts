import { ExecutorClient } from '@netpilot/executor-client';
import { closeServer, createLogger, listen, runService } from '@netpilot/service-kit';
import { createApp, createServices } from './app';
import { loadConfig } from './config';
import { migrateUp, openDatabase } from './db/database';
import { startSessionSweep } from './jobs/session-sweep.job';

runService(
  'controller',
  async () => {
    const config = loadConfig();
    const logger = createLogger({ level: config.logLevel, format: config.logFormat, service: 'controller' });

    const db = await openDatabase(config.databaseUrl, { onConnectionError: (err) => logger.warn('database connection error', { err }) });
    const applied = await migrateUp(db);
    if (applied.length) logger.info(`applied migrations: ${applied.join(', ')}`);

    const executor = new ExecutorClient({ baseUrl: config.executorUrl, token: config.executorToken });
    const deps = { config, logger, db, executor };
    const services = createServices(deps);
    const app = createApp(deps, services);
    const sweep = startSessionSweep({
      sessions: services.sessions,
      limiter: services.limiter,
      logger,
      intervalMs: config.sessionSweepIntervalMs,
    });
    services.routerLiveness.start();

    const server = await listen(app, config.port, config.host);
    logger.info(`controller listening on http://${config.host}:${config.port}`);
    return {
      logger,
      async stop() {
        await sweep.stop();
        services.routerLiveness.stop();
        // Open live streams would hold the server's close until the deadline.
        await services.stream.close();
        await closeServer(server, 5000);
        await db.close().catch(() => undefined);
      },
    };
  },
  { stopDeadlineMs: 8000 },
);
