/**
 * Metrics of document downloads (GET /documents/<token>): downloads by kind
 * and outcome, and the time to make a document by kind. Labels come from
 * fixed lists (registered kind names, DocumentOutcome): a forged token can
 * never mint a label value.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../plugins/metrics';

/**
 * served: 200 with the document. not_found: the token is not one of ours
 * (tampered, truncated, another secret, unknown kind). expired: 410.
 * unreadable: the subject is gone or its viewer may no longer read it (404).
 * unavailable: the database did not answer (503). busy: the kind's renderers
 * were saturated (503). failed: a bug (500).
 */
export type DocumentOutcome = 'served' | 'not_found' | 'expired' | 'unreadable' | 'unavailable' | 'busy' | 'failed';

/** The kind label of a download whose token named no registered kind. */
export const UNKNOWN_KIND = 'unknown';

export interface DocumentMetrics {
  readonly downloads: Counter<'kind' | 'outcome'>;
  readonly renderDuration: Histogram<'kind'>;
}

export function registerDocumentMetrics(registry: Registry): DocumentMetrics {
  return {
    downloads: new Counter({
      name: `${METRIC_PREFIX}document_downloads_total`,
      help: 'Document link downloads by document kind and outcome (served, not_found, expired, unreadable, unavailable, busy, failed).',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    renderDuration: new Histogram({
      name: `${METRIC_PREFIX}document_render_duration_seconds`,
      help: 'Time to make a served document (reading its data excluded), by document kind.',
      labelNames: ['kind'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
