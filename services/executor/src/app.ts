import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { errorMiddleware, notFoundHandler, rejectMalformedText, requestIdMiddleware, type Logger } from '@netpilot/service-kit';
import type { ExecutorConfig } from './config';
import { renderEnvelope } from './errors';
import { requireServiceToken } from './http/auth';

export interface ExecutorDeps {
  config: Pick<ExecutorConfig, 'token'>;
  logger: Logger;
  /** Routes mounted under /api, behind the service-token check. */
  apiRouter?: Router;
  /** Prometheus text for GET /metrics. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
}

/** The executor's HTTP app: no listen, no global state. */
export function createApp(deps: ExecutorDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(helmet());
  app.use(requestIdMiddleware(deps.logger));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const serviceToken = requireServiceToken(deps.config.token);
  if (deps.metrics) {
    const metrics = deps.metrics;
    // Strangers learn nothing here either: Prometheus scrapes with the service token
    // (its `authorization` setting).
    app.get('/metrics', serviceToken, async (_req, res) => {
      const { contentType, body } = await metrics();
      res.type(contentType).send(body);
    });
  }

  app.use('/api', serviceToken, express.json({ limit: '64kb' }), rejectMalformedText);
  if (deps.apiRouter) app.use('/api', deps.apiRouter);

  app.use(notFoundHandler);
  app.use(errorMiddleware({ logger: deps.logger, render: renderEnvelope }));
  return app;
}
