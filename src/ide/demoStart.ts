/**
 * What the IDEs of `npm start` and `npm run demo` start with: an example
 * query that shows demo data and, in the request headers, a demo user's
 * token signed afresh for every page load (so a tab opened tomorrow still
 * works). Without a development secret (production) there is no token.
 */
import type { StartSubgraphOptions } from '../app';
import { DEMO_USER_ID, signDemoToken } from '../auth/devToken';
import type { Config } from '../config';

/** The demo user's latest orders, asked the way the router asks (an entity reference). */
export const SUBGRAPH_EXAMPLE_QUERY = `{
  _entities(representations: [{ __typename: "User", id: "${DEMO_USER_ID}" }]) {
    ... on User {
      pocoOrders(first: 3) {
        totalCount
        nodes { orderNumber placedAt status total { amount currencyCode } }
      }
    }
  }
}`;

export type IdeStart = NonNullable<StartSubgraphOptions['ide']>;

export function demoIdeStart(config: Pick<Config, 'isProduction' | 'jwt'>, initialQuery: string): IdeStart {
  return {
    initialQuery,
    initialHeaders: async () => {
      const token = await signDemoToken(config, DEMO_USER_ID);
      return token === undefined ? undefined : { Authorization: `Bearer ${token}` };
    },
  };
}

/** The subgraph's IDE (GET /graphql in a browser). */
export function subgraphIdeStart(config: Pick<Config, 'isProduction' | 'jwt'>): IdeStart {
  return demoIdeStart(config, SUBGRAPH_EXAMPLE_QUERY);
}
