import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets in seconds, 1 ms to 30 s: fit for HTTP requests and router actions alike. */
export const LATENCY_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * A Prometheus registry of one app instance (never prom-client's global one, so tests and
 * several apps in one process never share counters), and the metrics declared on it.
 */
export class Metrics {
  readonly registry = new Registry();

  /** `processPrefix` adds the process metrics (CPU, memory, event loop) under that prefix. */
  constructor(opts: { processPrefix?: string } = {}) {
    if (opts.processPrefix) collectDefaultMetrics({ register: this.registry, prefix: opts.processPrefix });
  }

  /** A counter on this registry. */
  counter<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** A gauge on this registry. */
  gauge<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  /** A histogram of seconds on this registry. */
  histogram<L extends string = string>(name: string, help: string, labelNames: readonly L[] = [], buckets = LATENCY_BUCKETS): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [this.registry] });
  }

  /** The text exposition format for GET /metrics. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
