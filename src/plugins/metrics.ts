/**
 * Prometheus metrics of one subgraph instance (served at GET /metrics): HTTP
 * requests by route and status, GraphQL requests and their latency by
 * operation and outcome, errors by code, and prom-client's default process
 * metrics. Each instance has its own registry, so several subgraphs in one
 * process (tests) never collide; other modules register more on it.
 *
 * Label values are bounded: operation names come from clients, so only the
 * first MAX_OPERATION_NAMES distinct well-formed names get a label of their
 * own, the rest count as "other"; outcomes and codes come from fixed lists.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../errors';
import type { RequestContext } from '../graphql/context';

export const METRIC_PREFIX = 'poco_';
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** Most severe first: the outcome of a request is its most severe error. */
const SEVERITY: readonly string[] = [
  ErrorCode.INTERNAL_SERVER_ERROR,
  ErrorCode.SERVICE_UNAVAILABLE,
  ErrorCode.QUERY_TOO_COMPLEX,
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
];

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface SubgraphMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'route'>;
  readonly graphqlRequests: Counter<'operation' | 'outcome'>;
  readonly graphqlDuration: Histogram<'operation' | 'outcome'>;
  readonly graphqlErrors: Counter<'code'>;
  /** Records every GraphQL request Apollo handles. */
  readonly plugin: ApolloServerPlugin<RequestContext>;
}

export function codeLabel(code: unknown): string {
  return typeof code === 'string' && KNOWN_CODES.has(code) ? code : 'OTHER';
}

export function outcomeOf(errors: readonly GraphQLFormattedError[] | undefined): string {
  if (!errors || errors.length === 0) return 'success';
  const codes = new Set(errors.map((error) => codeLabel(error.extensions?.code)));
  return (SEVERITY.find((code) => codes.has(code)) ?? 'OTHER').toLowerCase();
}

export function createMetrics(): SubgraphMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });

  const httpRequests = new Counter({
    name: `${METRIC_PREFIX}http_requests_total`,
    help: 'HTTP requests by route, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'Time from the request arriving to the response being sent, by route.',
    labelNames: ['route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const graphqlRequests = new Counter({
    name: `${METRIC_PREFIX}graphql_requests_total`,
    help: 'GraphQL requests by operation name and outcome (success, or the most severe error code).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const graphqlDuration = new Histogram({
    name: `${METRIC_PREFIX}graphql_request_duration_seconds`,
    help: 'GraphQL request latency by operation name and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const graphqlErrors = new Counter({
    name: `${METRIC_PREFIX}graphql_errors_total`,
    help: 'Errors in GraphQL responses by code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });

  const knownOperations = new Set<string>();
  const operationLabel = (name: string | null | undefined, resolved: boolean): string => {
    if (!resolved) return '(unresolved)';
    if (!name) return '(anonymous)';
    if (!OPERATION_NAME.test(name)) return '(other)';
    if (knownOperations.has(name)) return name;
    if (knownOperations.size >= MAX_OPERATION_NAMES) return '(other)';
    knownOperations.add(name);
    return name;
  };

  const plugin: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(requestContext) {
          const body = requestContext.response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          const outcome = outcomeOf(errors);
          const operation = operationLabel(requestContext.operationName, requestContext.operation !== undefined);
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          graphqlRequests.inc({ operation, outcome });
          graphqlDuration.observe({ operation, outcome }, seconds);
          for (const error of errors ?? []) graphqlErrors.inc({ code: codeLabel(error.extensions?.code) });
        },
      };
    },
  };

  return { registry, httpRequests, httpDuration, graphqlRequests, graphqlDuration, graphqlErrors, plugin };
}
