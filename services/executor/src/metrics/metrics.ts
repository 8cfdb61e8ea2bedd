import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The executor's Prometheus metrics, on a registry of its own (one per app instance, so
 * tests and several apps in one process never share counters). Labels carry action
 * names, outcomes and hops only — never hosts, users or credentials.
 */
export interface ExecutorMetrics {
  readonly registry: Registry;
  readonly sessionsActive: Gauge<string>;
  readonly connectionsPooled: Gauge<'hop'>;
  readonly handshakes: Counter<'hop' | 'outcome'>;
  readonly actionDuration: Histogram<'action' | 'outcome'>;
  readonly channelsInFlight: Gauge<string>;
  render(): Promise<{ contentType: string; body: string }>;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): ExecutorMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'executor_' });

  const sessionsActive = new Gauge({
    name: 'executor_sessions_active',
    help: 'Executor sessions currently open',
    registers: [registry],
  });
  const connectionsPooled = new Gauge({
    name: 'executor_ssh_connections_pooled',
    help: 'Authenticated SSH connections held in session pools',
    labelNames: ['hop'] as const,
    registers: [registry],
  });
  const handshakes = new Counter({
    name: 'executor_ssh_handshakes_total',
    help: 'SSH connection attempts by hop and outcome (ok or the error code)',
    labelNames: ['hop', 'outcome'] as const,
    registers: [registry],
  });
  const actionDuration = new Histogram({
    name: 'executor_action_duration_seconds',
    help: 'Router action latency as the executor answered it, by action and outcome (ok or the error code)',
    labelNames: ['action', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const channelsInFlight = new Gauge({
    name: 'executor_ssh_channels_in_flight',
    help: 'SSH exec channels open right now across all connections',
    registers: [registry],
  });
  // Pre-create the hop series so dashboards show 0 rather than nothing.
  connectionsPooled.set({ hop: 'router' }, 0);
  connectionsPooled.set({ hop: 'jumpHost' }, 0);

  return {
    registry,
    sessionsActive,
    connectionsPooled,
    handshakes,
    actionDuration,
    channelsInFlight,
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
