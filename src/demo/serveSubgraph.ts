/**
 * Serves a small in-memory GraphQL schema (a sample subgraph or the gateway) on
 * a loopback port. Port 0 picks a free port; the returned `url` names the one
 * it got.
 *
 * Why not Apollo's `startStandaloneServer`: it listens without an error
 * handler, so a taken port crashes the whole process with an unhandled
 * 'error' event instead of failing the start. This is the same small
 * node:http bridge (JSON bodies, CORS for Apollo Sandbox, Apollo's drain
 * plugin for a clean stop) with the listen error turned into a rejection.
 */
import { ApolloServer, HeaderMap, type ApolloServerOptions, type ApolloServerPlugin, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphqlIde } from '../ide';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:4002/` — GraphQL is answered on every path, as Apollo's standalone server does. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, drains the open ones and frees the port. */
  close(): Promise<void>;
}

export interface ServeOptions<TContext extends BaseContext> {
  port: number;
  host: string;
  context: (req: IncomingMessage) => Promise<TContext>;
  /** A GraphQL IDE for browsers (the gateway's); without it Apollo's landing page is off. */
  ide?: GraphqlIde;
}

/** Bigger than any query a person types into the demo; a runaway body is cut off. */
const MAX_BODY_BYTES = 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (req.method !== 'POST') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const contentType = req.headers['content-type'] ?? '';
  // Apollo answers a POST without a JSON body with its own clear 400.
  if (!/^application\/(graphql-response\+)?json/i.test(contentType) || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

function allowCors(req: IncomingMessage, res: ServerResponse): void {
  // Apollo Sandbox (the landing page) calls from studio.apollographql.com.
  res.setHeader('access-control-allow-origin', '*');
  if (req.method === 'OPTIONS') {
    res.setHeader('access-control-allow-methods', 'GET,HEAD,POST');
    const requested = req.headers['access-control-request-headers'];
    if (requested) res.setHeader('access-control-allow-headers', requested);
  }
}

export async function serve<TContext extends BaseContext>(
  serverOptions: ApolloServerOptions<TContext>,
  { port, host, context, ide }: ServeOptions<TContext>,
): Promise<RunningServer> {
  const httpServer = createServer();
  const apollo = new ApolloServer<TContext>({
    ...serverOptions,
    // Whoever started the server stops it (the demo's shutdown, a test's afterAll): Apollo's own
    // SIGINT/SIGTERM handler would race that and re-raise the signal.
    stopOnTerminationSignals: false,
    // As our subgraph promises (api.md "Errors"): no stack traces to clients, here neither.
    includeStacktraceInErrorResponses: false,
    plugins: [
      // No Apollo Studio here: inline traces would only add weight (and a console line) to every response.
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's default landing page (Sandbox) loads from Apollo's CDN: our own IDE, or none.
      ide ? (ide.plugin as ApolloServerPlugin<TContext>) : ApolloServerPluginLandingPageDisabled(),
      ...(serverOptions.plugins ?? []),
    ],
  } as ApolloServerOptions<TContext>);
  await apollo.start();

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    allowCors(req, res);
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      res.end();
      return;
    }
    if (ide?.serveAsset(req, res, new URL(req.url ?? '/', 'http://localhost').pathname)) return;
    void (async () => {
      try {
        const headers = new HeaderMap();
        for (const [key, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
        }
        const httpGraphQLRequest: HTTPGraphQLRequest = {
          method: (req.method ?? 'GET').toUpperCase(),
          headers,
          search: new URL(req.url ?? '/', 'http://localhost').search,
          body: await readJsonBody(req),
        };
        const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => context(req) });
        for (const [key, value] of response.headers) res.setHeader(key, value);
        res.statusCode = response.status ?? 200;
        if (response.body.kind === 'complete') {
          res.end(response.body.string);
          return;
        }
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      } catch (error) {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const status = error instanceof HttpError ? error.status : 500;
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ errors: [{ message: error instanceof HttpError ? error.message : 'internal error' }] }));
      }
    })();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(port, host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await apollo.stop().catch(() => {});
    throw error;
  }

  const address = httpServer.address() as AddressInfo;
  const urlHost = address.address.includes(':') ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}/`,
    port: address.port,
    // The drain plugin closes the HTTP server as part of stop().
    close: () => (closing ??= apollo.stop()),
  };
}

/** The raw `Authorization` header of a request (first one when repeated). */
export function authorizationOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return Array.isArray(header) ? header[0] : header;
}
