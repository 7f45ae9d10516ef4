/** Our schema (no resolvers) behind Apollo Server with the request limits under test. */
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { requestLimitOptions } from '../../src/limits';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from '../../src/limits/settings';
import { pocoSchema } from './routerTraffic';

export interface LimitedServer {
  readonly server: ApolloServer<BaseContext>;
  /** How many operations reached execution (a limit must stop a request before it). */
  executions(): number;
  run(query: string, variables?: Record<string, unknown>): Promise<{ status: number; data: unknown; errors: readonly GraphQLFormattedError[] }>;
}

export async function startLimitedServer(limits: RequestLimits = DEFAULT_REQUEST_LIMITS): Promise<LimitedServer> {
  let executions = 0;
  const counter: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      return {
        async executionDidStart() {
          executions += 1;
        },
      };
    },
  };
  const options = requestLimitOptions(limits);
  const server = new ApolloServer<BaseContext>({
    schema: pocoSchema(),
    ...options,
    plugins: [...options.plugins, counter],
  });
  await server.start();
  return {
    server,
    executions: () => executions,
    async run(query, variables) {
      const response = await server.executeOperation({ query, variables });
      if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
      const { data, errors } = response.body.singleResult;
      return { status: response.http.status ?? 200, data, errors: errors ?? [] };
    },
  };
}

export const LIMIT_CODES = ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'QUERY_TOO_COMPLEX'];

export function limitErrors(errors: readonly GraphQLFormattedError[] | undefined): GraphQLFormattedError[] {
  return (errors ?? []).filter((error) => LIMIT_CODES.includes(String(error.extensions?.code)));
}

/** `pocoAccounts { orders { nodes { account { orders { ... } } } } }` nested `levels` times (4 fields a level). */
export function nestedOrders(levels: number, first: string | number = 10): string {
  let inner = 'id';
  for (let level = 0; level < levels; level += 1) inner = `orders(first: ${first}) { nodes { account { id ${inner === 'id' ? '' : inner} } } }`;
  return inner;
}
