/**
 * Serves a small in-memory GraphQL schema (a sample subgraph or the gateway) on
 * a loopback port with Apollo Server's standalone HTTP server. Port 0 picks a
 * free port; the returned `url` names the one it got.
 */
import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { IncomingMessage } from 'node:http';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:4002/` — Apollo's standalone server answers GraphQL on `/`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, drains the open ones and frees the port. */
  close(): Promise<void>;
}

export interface ServeOptions<TContext extends BaseContext> {
  port: number;
  host: string;
  context: (req: IncomingMessage) => Promise<TContext>;
}

export async function serve<TContext extends BaseContext>(
  serverOptions: ApolloServerOptions<TContext>,
  { port, host, context }: ServeOptions<TContext>,
): Promise<RunningServer> {
  const server = new ApolloServer<TContext>({
    ...serverOptions,
    // Whoever started the server stops it (the demo's shutdown, a test's afterAll): Apollo's own
    // SIGINT/SIGTERM handler would race that and re-raise the signal.
    stopOnTerminationSignals: false,
    // As our subgraph promises (api.md "Errors"): no stack traces to clients, here neither.
    includeStacktraceInErrorResponses: false,
    // No Apollo Studio here: inline traces would only add weight (and a console line) to every response.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ...(serverOptions.plugins ?? [])],
  } as ApolloServerOptions<TContext>);
  const { url } = await startStandaloneServer(server, {
    listen: { port, host },
    context: ({ req }) => context(req),
  });
  let closing: Promise<void> | undefined;
  return {
    url,
    port: Number(new URL(url).port),
    close: () => (closing ??= server.stop()),
  };
}

/** The raw `Authorization` header of a request (first one when repeated). */
export function authorizationOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return Array.isArray(header) ? header[0] : header;
}
