/**
 * The demo's local gateway: composes the supergraph from the subgraphs' SDL
 * with @apollo/composition (as a router's build step would) and serves it with
 * @apollo/gateway on Apollo Server. Every subgraph request carries the
 * caller's own `Authorization` header, as Xiaomi's router forwards the end
 * user's token, so each subgraph applies its own access rules.
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { DocumentNode } from 'graphql';
import { createGraphqlIde, type GraphqlIdeOptions } from '../ide';
import { authorizationOf, serve, type RunningServer } from './serveSubgraph';

export interface SubgraphDefinition {
  /** The subgraph's name in the supergraph, e.g. `poco`, `accounts`. */
  readonly name: string;
  /** Where the gateway sends the subgraph's part of a query. */
  readonly url: string;
  readonly typeDefs: DocumentNode;
}

/** Composition failed: the message lists every error, each with the subgraph it names. */
export class SupergraphCompositionError extends Error {
  override readonly name = 'SupergraphCompositionError';
  constructor(readonly errors: readonly string[]) {
    super(
      `The supergraph does not compose (${errors.length} error${errors.length === 1 ? '' : 's'}):\n` +
        errors.map((error) => `  - ${error.replace(/\n/g, '\n    ')}`).join('\n'),
    );
  }
}

/** The supergraph SDL of these subgraphs; throws SupergraphCompositionError when they do not compose. */
export function composeSupergraph(subgraphs: readonly SubgraphDefinition[]): string {
  const result = composeServices(subgraphs.map(({ name, url, typeDefs }) => ({ name, url, typeDefs })));
  if (result.errors) {
    throw new SupergraphCompositionError(
      result.errors.map((error) => {
        const code = typeof error.extensions['code'] === 'string' ? `[${error.extensions['code']}] ` : '';
        return `${code}${error.message}`;
      }),
    );
  }
  return result.supergraphSdl;
}

interface GatewayContext {
  readonly authorization: string | undefined;
}

/** Sends the incoming request's Authorization header on to the subgraph (and nothing when there was none). */
class AuthorizationForwardingDataSource extends RemoteGraphQLDataSource<Record<string, unknown>> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Record<string, unknown>>): void {
    const authorization = (context as Partial<GatewayContext>).authorization;
    if (typeof authorization === 'string' && request.http) request.http.headers.set('authorization', authorization);
  }
}

export interface GatewayOptions {
  subgraphs: readonly SubgraphDefinition[];
  port?: number;
  host?: string;
  /** What the gateway's GraphQL IDE (its URL, opened in a browser) starts with; absent: no IDE. */
  ide?: Pick<GraphqlIdeOptions, 'initialQuery' | 'initialHeaders'>;
}

export interface RunningGateway extends RunningServer {
  readonly supergraphSdl: string;
}

/** Composes first, so a composition error stops start-up before any port is taken. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const supergraphSdl = composeSupergraph(options.subgraphs);
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) => new AuthorizationForwardingDataSource({ url }),
    // The gateway's own logger would print to the console on every start; the demo prints its own lines.
    logger: { debug: () => {}, info: () => {}, warn: (m) => console.warn(m), error: (m) => console.error(m) },
  });
  const server = await serve<GatewayContext>(
    // @apollo/gateway 2.x implements server-gateway-interface v1; Apollo Server 5 declares v2 of the same shape.
    { gateway: gateway as never },
    {
      port: options.port ?? 4000,
      host: options.host ?? '127.0.0.1',
      context: async (req) => ({ authorization: authorizationOf(req) }),
      ...(options.ide
        ? {
            ide: createGraphqlIde({
              title: 'POCO demo supergraph: GraphQL IDE',
              endpoint: '/',
              ...options.ide,
              onBuildError: (error) => console.error(`The GraphQL IDE could not be built: ${String(error)}`),
            }),
          }
        : {}),
    },
  );
  return { ...server, supergraphSdl };
}
