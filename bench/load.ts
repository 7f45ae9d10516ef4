/**
 * HTTP load at fixed concurrency with autocannon: `connections` keep-alive
 * connections each send the next request variant as soon as the previous
 * answer arrived, for a fixed time after a warm-up.
 */
import autocannon from 'autocannon';
import type { Histogram } from 'hdr-histogram-js';
import { newLatencyHistogram } from './floor';
import type { RequestVariant } from './scenarios';

export interface LoadResult {
  requests: number;
  /** Non-2xx answers, transport errors and timeouts. */
  errors: number;
  /** 2xx answers whose body carried GraphQL errors (the scenario is broken if this is not 0). */
  graphqlErrors: number;
  durationMs: number;
  histogram: Histogram;
  /** The first body with errors, to show what went wrong. */
  sampleError?: string;
}

function runAutocannon(options: autocannon.Options, onResponse: (status: number, responseTime: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => onResponse(statusCode, responseTime));
  });
}

export async function runLoad(
  url: string,
  variants: readonly RequestVariant[],
  options: { connections: number; durationMs: number; warmupMs: number; timeoutSeconds: number; maxRequests?: number },
): Promise<LoadResult> {
  let next = 0;
  const request = {
    method: 'POST' as const,
    path: new URL(url).pathname,
    setupRequest: (req: autocannon.Request): autocannon.Request => {
      const variant = variants[next++ % variants.length]!;
      return { ...req, body: variant.body, headers: { ...req.headers, 'content-type': 'application/json', authorization: variant.authorization } };
    },
  };
  const histogram = newLatencyHistogram();
  let graphqlErrors = 0;
  let sampleError: string | undefined;
  let recording = false;
  let requests = 0;
  let errors = 0;
  const base: autocannon.Options = {
    url: new URL(url).origin,
    connections: options.connections,
    timeout: options.timeoutSeconds,
    requests: [
      {
        ...request,
        onResponse: (status: number, body: string) => {
          if (!recording) return;
          if (status >= 200 && status < 300 && body.includes('"errors"')) {
            graphqlErrors += 1;
            sampleError ??= body.slice(0, 500);
          }
        },
      },
    ],
  };
  if (options.warmupMs > 0) {
    await runAutocannon({ ...base, duration: options.warmupMs / 1000 }, () => {});
  }
  recording = true;
  const started = performance.now();
  const result = await runAutocannon(
    { ...base, ...(options.maxRequests ? { amount: options.maxRequests } : { duration: options.durationMs / 1000 }) },
    (status, responseTime) => {
      if (status >= 200 && status < 300) {
        requests += 1;
        histogram.recordValue(Math.max(1, Math.round(responseTime * 1000)));
      } else {
        errors += 1;
      }
    },
  );
  return {
    requests,
    errors: errors + result.errors,
    graphqlErrors,
    durationMs: performance.now() - started,
    histogram,
    ...(sampleError ? { sampleError } : {}),
  };
}
