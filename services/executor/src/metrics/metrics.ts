import { Metrics } from '@netpilot/service-kit';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The executor's Prometheus metrics, on a registry of its own (one per app instance). Labels
 * carry action names, outcomes and hops only — never hosts, users or credentials.
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
  const metrics = new Metrics({ processPrefix: opts.defaultMetrics ? 'executor_' : undefined });
  const connectionsPooled = metrics.gauge('executor_ssh_connections_pooled', 'Authenticated SSH connections held in session pools', ['hop']);
  // Pre-create the hop series so dashboards show 0 rather than nothing.
  connectionsPooled.set({ hop: 'router' }, 0);
  connectionsPooled.set({ hop: 'jumpHost' }, 0);
  return {
    registry: metrics.registry,
    sessionsActive: metrics.gauge('executor_sessions_active', 'Executor sessions currently open'),
    connectionsPooled,
    handshakes: metrics.counter('executor_ssh_handshakes_total', 'SSH connection attempts by hop and outcome (ok or the error code)', ['hop', 'outcome']),
    actionDuration: metrics.histogram(
      'executor_action_duration_seconds',
      'Router action latency as the executor answered it, by action and outcome (ok or the error code)',
      ['action', 'outcome'],
    ),
    channelsInFlight: metrics.gauge('executor_ssh_channels_in_flight', 'SSH exec channels open right now across all connections'),
    render: () => metrics.render(),
  };
}
