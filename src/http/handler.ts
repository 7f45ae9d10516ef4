/**
 * The HTTP surface (runtime.md): GraphQL on /graphql (POST and GET), /health,
 * /ready, /metrics, and 404 for the rest. A plain node:http handler, so that
 * body limits, headers and routes are ours to decide (Apollo's standalone
 * server has a fixed 50 MB body limit and answers every CORS origin).
 *
 * Cross-origin browsers are not served: callers are the router and internal
 * tools, server to server, so no CORS headers are sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Logger } from 'pino';
import type { ContextFactory } from '../graphql/createContext';
import type { RequestContext } from '../graphql/context';
import type { SubgraphMetrics } from '../plugins/metrics';
import { INTERNAL_ERROR_MESSAGE } from '../plugins/errorMasking';
import { ErrorCode } from '../errors';
import { DOCUMENTS_PATH } from '../documents/links';
import type { DocumentServer } from '../documents/serve';
import { hasRouterSecret, ROUTER_SECRET_HEADER } from '../limits/routerSecret';
import { answerThenLinger, type EarlyAnswer, type LingerBounds } from './lingeringClose';
import { BodyReadError, PayloadTooLargeError, readBody } from './readBody';
import { REQUEST_ID_HEADER, requestIdFrom } from './requestId';
import { requestScope } from './requestScope';
import { BAD_REQUEST, errorAnswer, sendError, sendJson } from './responses';
import { IDE_ASSET_PATH, type GraphqlIde } from '../ide';

export const GRAPHQL_PATH = '/graphql';

export interface HttpHandlerOptions {
  readonly apollo: ApolloServer<RequestContext>;
  readonly createContext: ContextFactory;
  readonly maxRequestBodyBytes: number;
  /** How much of an unwanted body is read and discarded after an early answer (413, 401), so the client reads it. */
  readonly requestBodyLinger: LingerBounds;
  /** Does the database answer (quickly)? */
  readonly checkReady: () => Promise<boolean>;
  readonly metrics: SubgraphMetrics;
  readonly logger: Logger;
  /** ROUTER_SHARED_SECRET: when set, /graphql answers 401 without it in the x-router-secret header. */
  readonly routerSharedSecret?: string | undefined;
  /** The GraphQL IDE's files (IDE_ASSET_PATH/...); absent in production, where those paths are 404. */
  readonly ide?: Pick<GraphqlIde, 'serveAsset'> | undefined;
  /**
   * GET /documents/<token> (src/documents/serve.ts). Not behind the router
   * secret: browsers open these links directly, the token is the credential.
   */
  readonly serveDocument?: DocumentServer;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

type Route = 'graphql' | 'health' | 'ready' | 'metrics' | 'documents' | 'ide' | 'not_found';

function routeOf(pathname: string, servesIde: boolean): Route {
  if (pathname.startsWith(DOCUMENTS_PATH)) return 'documents';
  if (servesIde && pathname.startsWith(`${IDE_ASSET_PATH}/`)) return 'ide';
  switch (pathname) {
    case GRAPHQL_PATH:
      return 'graphql';
    case '/health':
      return 'health';
    case '/ready':
      return 'ready';
    case '/metrics':
      return 'metrics';
    default:
      return 'not_found';
  }
}

/** The request's headers as Apollo wants them (repeated headers joined, as Express does). */
function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function methodLabel(method: string | undefined): string {
  switch (method) {
    case 'GET':
    case 'POST':
    case 'HEAD':
    case 'OPTIONS':
      return method;
    default:
      return 'OTHER';
  }
}

export function createRequestHandler(options: HttpHandlerOptions): RequestHandler {
  /** Responses Apollo produced: its request log (src/plugins/requestLog.ts) already wrote their line. */
  const answeredByApollo = new WeakSet<ServerResponse>();
  const { apollo, createContext, maxRequestBodyBytes, requestBodyLinger, checkReady, metrics, logger, routerSharedSecret, serveDocument, ide } = options;

  /** Answers before the body is read, then reads and discards the rest within bounds before closing. */
  async function answerEarly(req: IncomingMessage, res: ServerResponse, answer: EarlyAnswer, requestId: string): Promise<void> {
    const { outcome, discardedBytes } = await answerThenLinger(req, res, answer, requestBodyLinger);
    logger.debug({ requestId, status: answer.status, outcome, discardedBytes }, 'unread request body discarded');
  }

  async function serveGraphql(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> {
    if (routerSharedSecret !== undefined && !hasRouterSecret(req.headers[ROUTER_SECRET_HEADER], routerSharedSecret)) {
      // Before the body is read: callers other than the router get nothing but this.
      await answerEarly(req, res, errorAnswer(401, ErrorCode.UNAUTHENTICATED, 'This subgraph answers its router only.', requestId), requestId);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      sendError(res, 405, BAD_REQUEST, 'GraphQL is served over GET and POST only.', requestId, { allow: 'GET, POST' });
      return;
    }
    let body: unknown = undefined;
    if (req.method === 'POST') {
      let raw: Buffer;
      try {
        raw = await readBody(req, maxRequestBodyBytes);
      } catch (error) {
        if (error instanceof PayloadTooLargeError) {
          // The rest of the body is never parsed or kept; it is drained so that the client can read the 413.
          await answerEarly(req, res, errorAnswer(413, BAD_REQUEST, error.message, requestId), requestId);
          return;
        }
        if (error instanceof BodyReadError) {
          logger.debug({ requestId, reason: error.message }, 'request body not read');
          if (!res.headersSent && !res.destroyed) sendError(res, 400, BAD_REQUEST, 'The request body could not be read.', requestId);
          return;
        }
        throw error;
      }
      const text = raw.toString('utf8');
      if (text.trim() === '') {
        body = undefined; // Apollo answers "POST body missing".
      } else if (isJsonContentType(req.headers['content-type'])) {
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          sendError(res, 400, BAD_REQUEST, 'The request body is not valid JSON.', requestId);
          return;
        }
      } else {
        body = text; // Apollo refuses it with the right status (CSRF prevention, content type).
      }
    }

    const authorization = req.headers.authorization;
    const response = await requestScope.run({ requestId }, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers: headerMapOf(req), search: url.search, body },
        context: () => createContext({ requestId, authorization }),
      }),
    );
    answeredByApollo.add(res);
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  async function serveReady(res: ServerResponse): Promise<void> {
    const ready = await checkReady();
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable' });
  }

  async function serveMetrics(res: ServerResponse): Promise<void> {
    const text = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
    res.end(text);
  }

  async function serve(req: IncomingMessage, res: ServerResponse, route: Route, url: URL, requestId: string): Promise<void> {
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    switch (route) {
      case 'graphql':
        return serveGraphql(req, res, url, requestId);
      case 'health':
        if (!isRead) return sendError(res, 405, BAD_REQUEST, 'Use GET.', requestId, { allow: 'GET, HEAD' });
        return sendJson(res, 200, { status: 'ok' });
      case 'ready':
        if (!isRead) return sendError(res, 405, BAD_REQUEST, 'Use GET.', requestId, { allow: 'GET, HEAD' });
        return serveReady(res);
      case 'metrics':
        if (!isRead) return sendError(res, 405, BAD_REQUEST, 'Use GET.', requestId, { allow: 'GET, HEAD' });
        return serveMetrics(res);
      case 'documents': {
        if (!isRead) return sendError(res, 405, BAD_REQUEST, 'Use GET.', requestId, { allow: 'GET, HEAD', 'cache-control': 'private, no-store' });
        const token = url.pathname.slice(DOCUMENTS_PATH.length);
        if (!serveDocument) return sendError(res, 404, 'NOT_FOUND', 'No document here.', requestId, { 'cache-control': 'private, no-store' });
        return serveDocument(res, token, requestId);
      }
      case 'ide':
        // The page itself is Apollo's landing page at /graphql (src/ide); these are its script, styles and workers.
        if (!ide?.serveAsset(req, res, url.pathname)) sendError(res, 404, 'NOT_FOUND', 'Not found.', requestId);
        return;
      case 'not_found':
        return sendError(res, 404, 'NOT_FOUND', `Nothing here; GraphQL is served at ${GRAPHQL_PATH}.`, requestId);
      default: {
        const unreachable: never = route;
        throw new Error(`unhandled route ${String(unreachable)}`);
      }
    }
  }

  return (req, res) => {
    // During shutdown the drain ends connections that had no request yet; a request whose bytes were
    // already on the way can still be parsed after that, but never answered: do not run it.
    if (req.socket.writableEnded || req.socket.destroyed) {
      req.socket.destroy();
      return;
    }
    const started = process.hrtime.bigint();
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://subgraph.invalid');
    } catch {
      sendError(res, 400, BAD_REQUEST, 'The request target is not a valid URL.', requestId);
      return;
    }
    const route = routeOf(url.pathname, ide !== undefined);
    let accounted = false;
    const account = (): void => {
      if (accounted) return;
      accounted = true;
      metrics.httpRequests.inc({ route, method: methodLabel(req.method), status: String(res.statusCode) });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe({ route }, seconds);
      // /graphql requests refused before Apollo (body too large, bad JSON, no router secret) get their log line here.
      if (route === 'graphql' && !answeredByApollo.has(res)) {
        logger.info({ requestId, status: res.statusCode, durationMs: Math.round(seconds * 10_000) / 10 }, 'graphql request refused');
      }
    };
    res.on('finish', account);
    // An early answer cut off at its linger bound never 'finish'es, but its status was sent: count it too.
    res.on('close', () => {
      if (res.headersSent) account();
    });
    serve(req, res, route, url, requestId).catch((error: unknown) => {
      // Apollo answers GraphQL failures itself; reaching here is a bug of ours.
      logger.error({ err: error, requestId, route }, 'unhandled error while serving a request');
      if (!res.headersSent) sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE, requestId);
      else res.destroy();
    });
  };
}
