import { closeServer, createLogger, listen, runService } from '@netpilot/service-kit';
import { loadConfig } from './config';
import { buildExecutor } from './executor';

runService(
  'executor',
  async () => {
    const config = loadConfig();
    const logger = createLogger({ level: config.logLevel, format: config.logFormat, service: 'executor' });
    const executor = buildExecutor({ config, logger, defaultMetrics: true });
    const server = await listen(executor.app, config.port, config.host);
    server.keepAliveTimeout = 65_000;
    logger.info(`executor listening on http://${config.host}:${config.port}`);
    return {
      logger,
      async stop() {
        // Sessions first: closing their SSH connections fails any action still running,
        // which lets its HTTP answer go out before the server closes.
        executor.close();
        await closeServer(server, 1000);
      },
    };
  },
  { stopDeadlineMs: 5000 },
);
