import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { routePattern } from './api';
import type { RequestObserver } from '@netpilot/service-kit';

export interface ControllerMetrics {
  registry: Registry;
  /** Records one finished HTTP request (pass to requestIdMiddleware, which calls it on 'finish'). */
  observeRequest: RequestObserver;
  /** Records one router action's outcome ('ok' or an error code) and latency. */
  observeAction(action: string, outcome: string, durationMs: number): void;
}

/** One registry per app (no global state): HTTP requests by route and status, router actions by outcome. */
export function createControllerMetrics(opts: { defaultMetrics?: boolean } = {}): ControllerMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'netpilot_controller_' });

  const requests = new Counter({
    name: 'netpilot_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'netpilot_http_request_duration_seconds',
    help: 'HTTP request latency by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const actions = new Counter({
    name: 'netpilot_router_actions_total',
    help: 'Router actions by action and outcome (ok or error code)',
    labelNames: ['action', 'outcome'] as const,
    registers: [registry],
  });
  const actionLatency = new Histogram({
    name: 'netpilot_router_action_duration_seconds',
    help: 'Router action latency through the executor, by action and outcome',
    labelNames: ['action', 'outcome'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  const observeRequest: RequestObserver = (req, res, durationMs) => {
    // The route pattern, not the URL: ids would explode the label set.
    const route = req.route?.path ? routePattern(req.baseUrl, req.route.path) : 'unmatched';
    latency.observe({ method: req.method, route }, durationMs / 1000);
    requests.inc({ method: req.method, route, status: String(res.statusCode) });
  };

  return {
    registry,
    observeRequest,
    observeAction(action, outcome, durationMs) {
      actions.inc({ action, outcome });
      actionLatency.observe({ action, outcome }, durationMs / 1000);
    },
  };
}
