/**
 * @apollo/gateway (the query planner a router runs) in process, over subgraphs
 * on real loopback ports, recording every request it sends a subgraph and the
 * answer it got: the queries and variables the planner really plans, to be
 * costed and replayed. The caller's Authorization goes on to every subgraph,
 * as Xiaomi's router forwards it.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { composeServices } from '@apollo/composition';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { SubgraphDefinition } from '../../src/demo/gateway';

export interface SubgraphFetch {
  readonly subgraph: string;
  readonly query: string;
  readonly variables: Record<string, unknown> | undefined;
  readonly data: unknown;
  readonly errors: readonly GraphQLFormattedError[] | undefined;
}

export interface RecordingGateway {
  /** The supergraph's API schema (what clients query). */
  readonly apiSchema: GraphQLSchema;
  run(query: string, variables: Record<string, unknown>, authorization: string): Promise<{ data?: unknown; errors?: readonly GraphQLFormattedError[] }>;
  /** Every fetch sent to `subgraph` since the last take. */
  take(subgraph: string): SubgraphFetch[];
  stop(): Promise<void>;
}

interface GatewayContext {
  readonly authorization: string;
}

class RecordingDataSource extends RemoteGraphQLDataSource<Record<string, unknown>> {
  constructor(
    private readonly subgraph: string,
    private readonly log: SubgraphFetch[],
    url: string,
  ) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Record<string, unknown>>): void {
    const authorization = (context as Partial<GatewayContext>).authorization;
    if (typeof authorization === 'string' && request.http) request.http.headers.set('authorization', authorization);
  }

  override async process(options: GraphQLDataSourceProcessOptions<Record<string, unknown>>) {
    const { query = '', variables } = options.request;
    try {
      const response = await super.process(options);
      // A copy: the gateway merges other subgraphs' fields into these very objects afterwards.
      this.log.push({ subgraph: this.subgraph, query, variables, data: structuredClone(response.data), errors: response.errors });
      return response;
    } catch (error) {
      this.log.push({ subgraph: this.subgraph, query, variables, data: undefined, errors: [{ message: (error as Error).message }] });
      throw error;
    }
  }
}

export async function startRecordingGateway(subgraphs: readonly SubgraphDefinition[]): Promise<RecordingGateway> {
  const composed = composeServices(subgraphs.map(({ name, url, typeDefs }) => ({ name, url, typeDefs })));
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));
  const log: SubgraphFetch[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    buildService: ({ name, url }) => new RecordingDataSource(name, log, url ?? ''),
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  // @apollo/gateway 2.x implements server-gateway-interface v1; Apollo Server 5 declares v2 of the same shape.
  const router = new ApolloServer<GatewayContext>({ gateway: gateway as never });
  await router.start();
  return {
    apiSchema: composed.schema.toAPISchema().toGraphQLJSSchema(),
    async run(query, variables, authorization) {
      const response = await router.executeOperation({ query, variables }, { contextValue: { authorization } });
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not expected here');
      return response.body.singleResult as never;
    },
    take(subgraph) {
      const taken = log.filter((fetch) => fetch.subgraph === subgraph);
      log.splice(0, log.length, ...log.filter((fetch) => fetch.subgraph !== subgraph));
      return taken;
    },
    stop: () => router.stop(),
  };
}
