import { Metrics, type RequestObserver } from '@netpilot/service-kit';
import { routePattern } from './api';

export interface ControllerMetrics {
  metrics: Metrics;
  /** Records one finished HTTP request (pass to requestIdMiddleware, which calls it on 'finish'). */
  observeRequest: RequestObserver;
  /** Records one router action's outcome ('ok' or an error code) and latency. */
  observeAction(action: string, outcome: string, durationMs: number): void;
}

/** One registry per app (no global state): HTTP requests by route and status, router actions by outcome. */
export function createControllerMetrics(opts: { defaultMetrics?: boolean } = {}): ControllerMetrics {
  const metrics = new Metrics({ processPrefix: opts.defaultMetrics ? 'netpilot_controller_' : undefined });
  const requests = metrics.counter('netpilot_http_requests_total', 'HTTP requests by method, route pattern and status', ['method', 'route', 'status']);
  const latency = metrics.histogram('netpilot_http_request_duration_seconds', 'HTTP request latency by method and route pattern', ['method', 'route']);
  const actions = metrics.counter('netpilot_router_actions_total', 'Router actions by action and outcome (ok or error code)', ['action', 'outcome']);
  const actionLatency = metrics.histogram(
    'netpilot_router_action_duration_seconds',
    'Router action latency through the executor, by action and outcome',
    ['action', 'outcome'],
  );

  const observeRequest: RequestObserver = (req, res, durationMs) => {
    // The route pattern, not the URL: ids would explode the label set.
    const route = req.route?.path ? routePattern(req.baseUrl, req.route.path) : 'unmatched';
    latency.observe({ method: req.method, route }, durationMs / 1000);
    requests.inc({ method: req.method, route, status: String(res.statusCode) });
  };

  return {
    metrics,
    observeRequest,
    observeAction(action, outcome, durationMs) {
      actions.inc({ action, outcome });
      actionLatency.observe({ action, outcome }, durationMs / 1000);
    },
  };
}
