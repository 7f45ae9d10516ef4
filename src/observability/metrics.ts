/**
 * The metrics this module adds to the subgraph's Prometheus registry (the one
 * /metrics serves, created by src/plugins/metrics.ts): database command
 * latency by command and collection, connection pool usage, and DataLoader
 * batch sizes. Registered on the instance's own registry, never the global
 * one, so several subgraphs in one process never mix their counts.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export const METRIC_PREFIX = 'poco_';

export interface DatabaseMetrics {
  readonly commandDuration: Histogram<'command' | 'collection' | 'outcome'>;
  readonly poolConnections: Gauge<'state'>;
  readonly checkoutFailures: Counter<'reason'>;
  readonly loaderBatchSize: Histogram<'loader'>;
  /** For loaders: call with the number of keys in each batch. */
  observeLoaderBatch(loader: string, size: number): void;
}

export function registerDatabaseMetrics(registry: Registry): DatabaseMetrics {
  const commandDuration = new Histogram({
    name: `${METRIC_PREFIX}mongodb_command_duration_seconds`,
    help: 'Database command latency by command name, collection and outcome (succeeded, failed).',
    labelNames: ['command', 'collection', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const poolConnections = new Gauge({
    name: `${METRIC_PREFIX}mongodb_pool_connections`,
    help: 'Database connections by state: open (created and not yet closed), in_use (checked out by an operation).',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const checkoutFailures = new Counter({
    name: `${METRIC_PREFIX}mongodb_pool_checkout_failures_total`,
    help: 'Connection check-outs that failed, by reason (timeout = pool busy past MONGODB_WAIT_QUEUE_TIMEOUT_MS, connectionError, poolClosed).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const loaderBatchSize = new Histogram({
    name: `${METRIC_PREFIX}dataloader_batch_size`,
    help: 'Keys per DataLoader batch, by loader.',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [registry],
  });
  return {
    commandDuration,
    poolConnections,
    checkoutFailures,
    loaderBatchSize,
    observeLoaderBatch(loader, size) {
      loaderBatchSize.observe({ loader }, size);
    },
  };
}
