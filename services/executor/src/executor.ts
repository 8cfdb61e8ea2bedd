import { Router } from 'express';
import type { Express } from 'express';
import { ActionService, type DriverLookup } from './actions/action-service';
import { actionsRouter } from './actions/actions.routes';
import { createApp } from './app';
import type { ExecutorConfig } from './config';
import type { Logger } from '@netpilot/service-kit';
import { createMetrics, type ExecutorMetrics } from './metrics/metrics';
import { getDriver } from './platforms';
import { SessionRegistry } from './sessions/session-registry';
import { sessionsRouter } from './sessions/sessions.routes';
import { SshConnector } from './ssh/connector';

export interface Executor {
  app: Express;
  sessions: SessionRegistry;
  metrics: ExecutorMetrics;
  /** Ends every session and closes every SSH connection. */
  close(): void;
}

export interface BuildExecutorDeps {
  config: ExecutorConfig;
  logger: Logger;
  /** Platform drivers; the real ones unless a test substitutes its own. */
  getDriver?: DriverLookup;
  /** Process-level metrics (CPU, memory, event loop); off in tests where many apps share a process. */
  defaultMetrics?: boolean;
}

/** Wires the executor's parts: one metrics registry, one connector, one session registry per instance. */
export function buildExecutor(deps: BuildExecutorDeps): Executor {
  const { config, logger } = deps;
  const metrics = createMetrics({ defaultMetrics: deps.defaultMetrics });
  const connector = new SshConnector(
    {
      connectTimeoutMs: config.connectTimeoutMs,
      maxChannelsPerConnection: config.maxChannelsPerConnection,
      maxHandshakesPerHost: config.maxHandshakesPerHost,
      destinations: config.destinations,
    },
    metrics,
  );
  const sessions = new SessionRegistry({
    connector,
    logger,
    metrics,
    sessionIdleMs: config.sessionIdleMs,
    connectionIdleMs: config.connectionIdleMs,
    actionTimeoutMs: config.actionTimeoutMs,
  });
  const actions = new ActionService({
    sessions,
    getDriver: deps.getDriver ?? getDriver,
    logger,
    metrics,
    actionTimeoutMs: config.actionTimeoutMs,
  });
  const api = Router();
  api.use(sessionsRouter(sessions));
  api.use(actionsRouter(actions));
  const app = createApp({ config, logger, apiRouter: api, metrics: () => metrics.render() });
  return { app, sessions, metrics, close: () => sessions.closeAll() };
}
