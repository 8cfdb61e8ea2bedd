import type { Server } from 'node:http';
import { ConfigError, loadConfig } from './config';
import { buildExecutor } from './executor';
import { createLogger } from './logger';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`executor: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, service: 'executor' });
  const executor = buildExecutor({ config, logger, defaultMetrics: true });

  const server: Server = await new Promise((resolve, reject) => {
    const s = executor.app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  logger.info(`executor listening on http://${config.host}:${config.port}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping executor`);
    const force = setTimeout(() => process.exit(1), 5000).unref();
    // Sessions first: closing their SSH connections fails any action still running,
    // which lets its HTTP answer go out before the server closes.
    executor.close();
    server.close(() => {
      clearTimeout(force);
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection', { err: reason });
  });
}

main().catch((err) => {
  process.stderr.write(`executor: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
