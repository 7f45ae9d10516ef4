/**
 * Starts the subgraph: database, schema, Apollo Server and the HTTP server
 * around it. `startSubgraph` is what `npm start`, the demo and the end-to-end
 * tests run; `close()` stops it and releases the port and the connections it
 * opened.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { MongoClient, type Db } from 'mongodb';
import type { Logger } from 'pino';
import type { Config } from './config';
import { createAuthenticator } from './auth/viewer';
import { collectionsOf, ensureIndexes } from './db/collections';
import type { Resolvers } from './generated/resolvers';
import type { RequestContext } from './graphql/context';
import { createContextFactory, createViewerContextFactory } from './graphql/createContext';
import { createDocumentRegistry, type DocumentKind } from './documents/kind';
import { DOCUMENT_KINDS } from './documents/kinds';
import { createDocumentLinkIssuer } from './documents/links';
import { registerDocumentMetrics } from './documents/metrics';
import { createDocumentServer } from './documents/serve';
import { createDocumentTokenCodec } from './documents/token';
import { systemClock, type Clock } from './shared/clock';
import { buildSchema } from './graphql/schema';
import { createRequestHandler, GRAPHQL_PATH } from './http/handler';
import { createFormatError } from './plugins/errorMasking';
import { createMetrics, type SubgraphMetrics } from './plugins/metrics';
import { resolvers as defaultResolvers } from './resolvers';
import { requestLimitOptions } from './limits';
import { boundedCollections, mongoClientOptions } from './limits/database';
import { observeDatabase } from './observability/databaseMetrics';
import { createServiceLogger } from './observability/logger';
import { registerDatabaseMetrics } from './observability/metrics';
import { graphqlTracingPlugin, traceDatabase } from './observability/tracing';
import { requestLogPlugin } from './plugins/requestLog';
import { createGraphqlIde, type GraphqlIdeOptions } from './ide';
import { completePendingErasures } from './privacy/erasure';
import { installTestFault } from './privacy/faults';

export interface StartSubgraphOptions {
  readonly config: Config;
  /** An open database; its client stays the caller's to close. Default: connect to config.mongodbUri. */
  readonly db?: Db;
  /** Default: JSON lines on stdout at config.logLevel. */
  readonly logger?: Logger;
  /** Replaces the resolver map (tests that need a resolver to misbehave). */
  readonly resolvers?: Resolvers;
  /** What the GraphQL IDE at GET /graphql starts with (npm start: the demo query and token). Never served in production. */
  readonly ide?: Pick<GraphqlIdeOptions, 'initialQuery' | 'initialHeaders'>;
  /** The service's "now" (request time, document link expiry). Default: the system clock. */
  readonly clock?: Clock;
  /** The document kinds served by document links. Default: DOCUMENT_KINDS (src/documents/kinds.ts). */
  readonly documentKinds?: readonly DocumentKind[];
}

export interface RunningSubgraph {
  /** http://HOST:PORT/graphql */
  readonly url: string;
  readonly port: number;
  /** The base of document links: PUBLIC_BASE_URL, or http://HOST:PORT. */
  readonly publicBaseUrl: string;
  /** Stops taking requests, lets running ones finish, closes what startSubgraph opened. */
  close(): Promise<void>;
  /** This instance's Prometheus metrics (more modules register on its registry). */
  readonly metrics: SubgraphMetrics;
}

/** How long /ready waits for the database's answer to a ping. */
export const READY_TIMEOUT_MS = 1000;

export function createLogger(config: Config): Logger {
  // JSON lines; tokens, secrets and personal data are redacted wherever they could slip in.
  return createServiceLogger({ level: config.logLevel });
}

/** A ping that answers false after `timeoutMs` instead of waiting for the driver's own timeouts. */
function createReadinessCheck(db: Db, timeoutMs: number, isClosing: () => boolean): () => Promise<boolean> {
  let inFlight: Promise<boolean> | undefined;
  const ping = async (): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([db.command({ ping: 1 }).then(() => true, () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  return async () => {
    if (isClosing()) return false;
    // Probes that arrive while a ping is pending share it rather than piling up.
    inFlight ??= ping().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startSubgraph(options: StartSubgraphOptions): Promise<RunningSubgraph> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config);
  installTestFault(config.testFault);

  let ownClient: MongoClient | undefined;
  let db = options.db;
  if (!db) {
    if (config.mongodbUri === undefined) {
      throw new Error('startSubgraph needs a Db or config.mongodbUri (main.ts opens the local database without it)');
    }
    ownClient = new MongoClient(config.mongodbUri, {
      ...mongoClientOptions(config.limits.database, config.mongodbUri),
      appName: 'poco-legacy-subgraph',
    });
    await ownClient.connect();
    db = ownClient.db(config.mongodbDb);
  }

  let closing = false;
  const { headersTimeoutMs, requestTimeoutMs } = config.limits.http;
  const httpServer = createServer({
    // Slow clients (slowloris): a request whose headers or body do not arrive in time gets a 408 and is closed.
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    // node checks those timeouts every connectionsCheckingInterval (30 s by default, which would let a
    // slow client hold a connection up to 30 s past its timeout): check often enough to keep them.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
  });
  const metrics = createMetrics();
  const databaseMetrics = registerDatabaseMetrics(metrics.registry);
  const stopMetrics = observeDatabase(db.client, databaseMetrics);
  const stopTracing = traceDatabase(db.client);
  const stopObservingDatabase = (): void => {
    stopMetrics();
    stopTracing();
  };
  const limitOptions = requestLimitOptions(config.limits.request);
  // Outside production a browser opening /graphql gets GraphiQL, served from our own dependencies
  // (Apollo's default landing page, Sandbox, loads from Apollo's CDN and shows nothing offline).
  const ide = config.isProduction
    ? undefined
    : createGraphqlIde({
        title: 'POCO legacy subgraph: GraphQL IDE',
        endpoint: GRAPHQL_PATH,
        ...options.ide,
        onBuildError: (error) => logger.error({ err: error }, 'the GraphQL IDE could not be built'),
      });
  const clock = options.clock ?? systemClock;
  const documentCodec = createDocumentTokenCodec(config.documents.secret);
  // Without PUBLIC_BASE_URL the links point at this server, whose port is known once it listens.
  let publicBaseUrl = config.documents.publicBaseUrl;
  const documentLinks = createDocumentLinkIssuer(documentCodec, () => {
    if (publicBaseUrl === undefined) throw new Error('A document link was asked for before the server listened');
    return publicBaseUrl;
  });
  let apollo: ApolloServer<RequestContext> | undefined;
  try {
    await ensureIndexes(db);
    apollo = new ApolloServer<RequestContext>({
      schema: buildSchema(options.resolvers ?? defaultResolvers),
      nodeEnv: config.nodeEnv,
      // Production: no introspection (`_service { sdl }` is a plain field and keeps answering) and no schema hints in errors.
      introspection: !config.isProduction,
      hideSchemaDetailsFromClientErrors: config.isProduction,
      includeStacktraceInErrorResponses: false,
      // Signals are main.ts's to handle: Apollo's own SIGINT/SIGTERM handler would stop the
      // server behind our back and re-raise the signal, and close() then waits on it.
      stopOnTerminationSignals: false,
      csrfPrevention: true,
      formatError: createFormatError(logger),
      parseOptions: limitOptions.parseOptions,
      validationRules: limitOptions.validationRules,
      logger: logger.child({ component: 'apollo' }),
      plugins: [
        metrics.plugin,
        ...limitOptions.plugins,
        requestLogPlugin(logger),
        graphqlTracingPlugin(),
        ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.limits.shutdownGraceMs }),
        // Nothing is sent to Apollo's cloud just because APOLLO_KEY happens to be set.
        ApolloServerPluginUsageReportingDisabled(),
        ApolloServerPluginSchemaReportingDisabled(),
        ide ? ide.plugin : ApolloServerPluginLandingPageDisabled(),
      ],
    });
    await apollo.start();

    const contextDependencies = {
      authenticator: createAuthenticator(config.jwt, logger.child({ component: 'auth' })),
      // Every read carries maxTimeMS (MONGODB_MAX_TIME_MS): a slow query fails fast instead of holding the request.
      collections: boundedCollections(collectionsOf(db), config.limits.database.maxTimeMs),
      cursorSecret: config.cursorSecret,
      documents: documentLinks,
      warrantyMonths: config.warrantyMonths,
      clock,
      observeLoaderBatch: (loader: string, size: number) => databaseMetrics.observeLoaderBatch(loader, size),
    };
    const handler = createRequestHandler({
      apollo,
      createContext: createContextFactory(contextDependencies),
      serveDocument: createDocumentServer({
        codec: documentCodec,
        registry: createDocumentRegistry(options.documentKinds ?? DOCUMENT_KINDS),
        clock,
        contextFor: createViewerContextFactory(contextDependencies),
        metrics: registerDocumentMetrics(metrics.registry),
        logger: logger.child({ component: 'documents' }),
      }),
      maxRequestBodyBytes: config.maxRequestBodyBytes,
      requestBodyLinger: config.requestBodyLinger,
      routerSharedSecret: config.limits.routerSharedSecret,
      ide,
      checkReady: createReadinessCheck(db, READY_TIMEOUT_MS, () => closing),
      metrics,
      logger,
    });
    httpServer.on('request', handler);
    const port = await listen(httpServer, config.port, config.host);
    const url = `http://${urlHost(config.host)}:${port}${GRAPHQL_PATH}`;
    publicBaseUrl ??= `http://${urlHost(config.host)}:${port}`;
    const linkBase = publicBaseUrl;
    logger.info({ url }, 'subgraph listening');

    // Erasures a previous process decided but did not finish scrubbing: reads already hide their
    // values, so this runs in the background instead of delaying start-up. A failure is logged;
    // the next start-up or a repeated erase call finishes the scrub.
    const erasureRecovery = completePendingErasures(collectionsOf(db), logger.child({ component: 'erasure' })).then(
      (count) => {
        if (count > 0) logger.info({ count }, 'finished unfinished erasure scrubs');
      },
      (error: unknown) => logger.warn({ err: error }, 'could not finish the unfinished erasure scrubs; the next start-up retries'),
    );

    let closed: Promise<void> | undefined;
    const startedApollo = apollo;
    return {
      url,
      port,
      publicBaseUrl: linkBase,
      metrics,
      close: () =>
        (closed ??= (async () => {
          closing = true;
          try {
            await startedApollo.stop(); // the drain plugin closes the HTTP server
            await erasureRecovery; // never rejects; the database must stay open until it is done
          } finally {
            stopObservingDatabase();
            await ownClient?.close();
          }
        })()),
    };
  } catch (error) {
    if (apollo) await apollo.stop().catch(() => {});
    if (httpServer.listening) httpServer.close();
    stopObservingDatabase();
    await ownClient?.close().catch(() => {});
    throw error;
  }
}
