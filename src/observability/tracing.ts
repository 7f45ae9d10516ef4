/**
 * OpenTelemetry traces, only when OTEL_EXPORTER_OTLP_ENDPOINT is set (the
 * standard variable; the exporter also reads OTEL_EXPORTER_OTLP_HEADERS and
 * the other OTEL_* settings itself). Spans:
 * - one server span per HTTP request, continuing the router's trace
 *   (W3C `traceparent`), from @opentelemetry/instrumentation-http;
 * - one span per GraphQL operation (graphqlTracingPlugin), with its name and
 *   outcome, never its variables;
 * - one client span per database command (command name and collection), from
 *   the driver's command events (the OpenTelemetry mongodb instrumentation
 *   does not support driver 7 on a Node 20 release line).
 *
 * Must run before node:http is loaded by the server: src/main.ts imports
 * ./observability/register first.
 */
import { SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';
import { DOCUMENTS_PATH } from '../documents/links';
import { collectionOf } from './databaseMetrics';

export const TRACER_NAME = 'poco-legacy-subgraph';
const PROBE_PATHS = new Set(['/health', '/ready', '/metrics']);
/** HTTP span attributes that hold the request target, query string included (old and stable conventions). */
const URL_ATTRIBUTES = ['http.target', 'http.url', 'url.full'] as const;

export interface Tracing {
  /** Flushes and stops the exporter (part of graceful shutdown). */
  shutdown(): Promise<void>;
}

let started: Tracing | undefined;

/** Starts tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise does nothing. Idempotent. */
export function startTracing(env: NodeJS.ProcessEnv): Tracing | undefined {
  if (started) return started;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT.trim() === '') return undefined;
  const provider = new NodeTracerProvider({
    resource: new Resource({ 'service.name': env.OTEL_SERVICE_NAME?.trim() || TRACER_NAME }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would drown the traces that matter.
        ignoreIncomingRequestHook: (request) => PROBE_PATHS.has((request.url ?? '').split('?')[0] ?? ''),
        // The subgraph makes no outgoing HTTP calls worth tracing (JWKS fetches are cached).
        ignoreOutgoingRequestHook: () => true,
        requestHook: (span, request) => {
          if (!('headers' in request) || typeof request.url !== 'string') return;
          // A document link's token is a credential: spans keep the route, never the token.
          if (request.url.startsWith(DOCUMENTS_PATH)) {
            const redacted = `${DOCUMENTS_PATH}[token]`;
            span.setAttribute('http.target', redacted);
            span.setAttribute('url.path', redacted);
            span.setAttribute('http.route', `${DOCUMENTS_PATH}:token`);
            const host = typeof request.headers.host === 'string' ? request.headers.host : 'localhost';
            span.setAttribute('http.url', `http://${host}${redacted}`);
            return;
          }
          // GET /graphql carries the query and its variables (emails, ids) in the query string:
          // the server span keeps the path only.
          if (!request.url.includes('?')) return;
          const attributes = (span as unknown as { attributes?: Record<string, unknown> }).attributes ?? {};
          for (const key of URL_ATTRIBUTES) {
            const value = attributes[key];
            if (typeof value === 'string' && value.includes('?')) span.setAttribute(key, value.slice(0, value.indexOf('?')));
          }
          if (typeof attributes['url.query'] === 'string') span.setAttribute('url.query', '');
        },
      }),
    ],
  });
  started = { shutdown: () => provider.shutdown() };
  return started;
}

/** Flushes the spans not yet exported and stops tracing; nothing when tracing never started. */
export async function shutdownTracing(): Promise<void> {
  const running = started;
  started = undefined;
  await running?.shutdown();
}

export function isTracing(): boolean {
  return started !== undefined;
}

function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** One span per GraphQL operation, named after the operation; errors by code, never messages or variables. */
export function graphqlTracingPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      if (!isTracing()) return;
      const span = tracer().startSpan('graphql.request', { kind: SpanKind.INTERNAL });
      return {
        async didResolveOperation({ operationName, operation }) {
          span.updateName(`graphql.${operation?.operation ?? 'request'} ${operationName ?? 'anonymous'}`.slice(0, 120));
          span.setAttribute('graphql.operation.type', operation?.operation ?? 'unknown');
          if (operationName) span.setAttribute('graphql.operation.name', operationName.slice(0, 100));
        },
        async willSendResponse({ response }) {
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const codes = [...new Set((result.errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN')))];
          if (codes.length > 0) {
            span.setAttribute('graphql.error.codes', codes);
            span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(',') });
          }
          span.end();
        },
      };
    },
  };
}

/** A client span per database command, from the driver's command monitoring events. */
export function traceDatabase(client: MongoClient): () => void {
  if (!isTracing()) return () => {};
  const spans = new Map<number, Span>();
  const onStarted = (event: CommandStartedEvent): void => {
    if (event.commandName === 'hello' || event.commandName === 'ismaster' || event.commandName === 'isMaster') return;
    if (spans.size > 10_000) spans.clear();
    const collection = collectionOf(event);
    spans.set(
      event.requestId,
      tracer().startSpan(`mongodb.${event.commandName}${collection === 'none' ? '' : ` ${collection}`}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system': 'mongodb',
          'db.operation': event.commandName,
          'db.name': event.databaseName,
          ...(collection === 'none' ? {} : { 'db.mongodb.collection': collection }),
        },
      }),
    );
  };
  const onEnded = (event: CommandSucceededEvent | CommandFailedEvent): void => {
    const span = spans.get(event.requestId);
    if (!span) return;
    spans.delete(event.requestId);
    if ('failure' in event) span.setStatus({ code: SpanStatusCode.ERROR, message: event.failure.name });
    span.end();
  };
  client.on('commandStarted', onStarted);
  client.on('commandSucceeded', onEnded);
  client.on('commandFailed', onEnded);
  return () => {
    client.off('commandStarted', onStarted);
    client.off('commandSucceeded', onEnded);
    client.off('commandFailed', onEnded);
    for (const span of spans.values()) span.end();
    spans.clear();
  };
}
