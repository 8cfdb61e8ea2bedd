import express, { Router, type Express } from 'express';
import helmet from 'helmet';
import type { DataSource } from 'typeorm';
import type { ExecutorClient } from '@netpilot/executor-client';
import type { ControllerConfig } from './config';
import { errorHandler, notFoundHandler } from './errors';
import { requestIdMiddleware } from './http/request-id';
import type { Logger } from './logger';
import { healthRoutes } from './modules/health/health.routes';

export interface ControllerDeps {
  config: Readonly<ControllerConfig>;
  logger: Logger;
  dataSource: DataSource;
  executor: ExecutorClient;
}

/** The controller's HTTP app: everything it needs is passed in; no listen, no global state. */
export function createApp(deps: ControllerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.use(helmet());
  app.use(requestIdMiddleware(deps.logger));
  app.use(express.json({ limit: '100kb' }));

  app.use(healthRoutes(deps));

  const v1 = Router();
  app.use('/api/v1', v1);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
