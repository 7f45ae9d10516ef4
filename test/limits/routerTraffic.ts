/**
 * What a router really sends to this subgraph: a gateway (@apollo/gateway,
 * the same query planner a router runs) over the composed supergraph
 * (accounts + support tickets + ours) plans a supergraph query, and every
 * request it sends to our subgraph is recorded. Our subgraph here is the real
 * schema with the real limits and no resolvers, so a recorded operation
 * either passes the limits (and resolves to nulls) or is refused by them.
 */
import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, type GraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLFormattedError } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountsSchema, accountsTypeDefs, SAMPLE_USERS } from '../../src/demo/accountsSubgraph';
import { supportTicketsSchema, supportTicketsTypeDefs } from '../../src/demo/supportTicketsSubgraph';

export const POCO_SDL = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');

export function pocoSchema() {
  return buildSubgraphSchema({ typeDefs: parse(POCO_SDL) });
}

export interface RecordedRequest {
  readonly query: string;
  readonly variables: Record<string, unknown> | undefined;
  readonly operationName: string | undefined;
  readonly errors: readonly GraphQLFormattedError[] | undefined;
}

type AnyServer = ApolloServer<BaseContext>;

/** Sends the gateway's subgraph requests to an in-process Apollo Server (its whole request pipeline). */
class InProcessDataSource implements GraphQLDataSource<Record<string, unknown>> {
  constructor(
    private readonly server: AnyServer,
    private readonly context: () => BaseContext,
    private readonly recorded?: RecordedRequest[],
  ) {}

  async process({ request }: GraphQLDataSourceProcessOptions<Record<string, unknown>>) {
    const response = await this.server.executeOperation(
      { query: request.query, variables: request.variables, operationName: request.operationName },
      { contextValue: this.context() },
    );
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not expected here');
    const result = response.body.singleResult;
    this.recorded?.push({
      query: request.query ?? '',
      variables: request.variables,
      operationName: request.operationName,
      errors: result.errors,
    });
    return result as never;
  }
}

export interface RouterHarness {
  /** Runs a supergraph query as `userId`; returns the supergraph result. */
  run(query: string, variables?: Record<string, unknown>): Promise<{ data?: unknown; errors?: readonly GraphQLFormattedError[] }>;
  /** Every request the gateway sent our subgraph since the last `take()`. */
  take(): RecordedRequest[];
  stop(): Promise<void>;
}

/**
 * `pocoOptions` are the subgraph's Apollo Server options under test
 * (validation rules, parse options, plugins); the schema is always ours.
 */
export async function startRouterHarness(pocoOptions: Omit<ApolloServerOptions<BaseContext>, 'schema' | 'typeDefs' | 'resolvers' | 'gateway'>, userId = SAMPLE_USERS[0]!.id): Promise<RouterHarness> {
  const poco = new ApolloServer({ ...pocoOptions, schema: pocoSchema() } as ApolloServerOptions<BaseContext>);
  const accounts = new ApolloServer({ schema: accountsSchema(SAMPLE_USERS) } as ApolloServerOptions<BaseContext>);
  const tickets = new ApolloServer({
    schema: supportTicketsSchema(
      Array.from({ length: 100 }, (_, index) => ({ id: `T${index}`, subject: `Ticket ${index}`, orderId: `O${index}` })),
    ),
  } as ApolloServerOptions<BaseContext>);
  await Promise.all([poco.start(), accounts.start(), tickets.start()]);

  const composed = composeServices([
    { name: 'accounts', url: 'http://accounts.invalid/', typeDefs: accountsTypeDefs() },
    { name: 'tickets', url: 'http://tickets.invalid/', typeDefs: supportTicketsTypeDefs() },
    { name: 'poco', url: 'http://poco.invalid/', typeDefs: parse(POCO_SDL) },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));

  const recorded: RecordedRequest[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    buildService: ({ name }) => {
      switch (name) {
        case 'poco':
          return new InProcessDataSource(poco, () => ({}), recorded);
        case 'accounts':
          return new InProcessDataSource(accounts, () => ({ callerId: userId }));
        case 'tickets':
          return new InProcessDataSource(tickets, () => ({}));
        default:
          throw new Error(`unknown subgraph ${name}`);
      }
    },
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const router = new ApolloServer({ gateway: gateway as never });
  await router.start();

  return {
    async run(query, variables) {
      const response = await router.executeOperation({ query, variables });
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not expected here');
      return response.body.singleResult as never;
    },
    take() {
      return recorded.splice(0, recorded.length);
    },
    async stop() {
      await router.stop();
      await Promise.all([poco.stop(), accounts.stop(), tickets.stop()]);
    },
  };
}

/** Every field of a `me` page in the supergraph: what a "my POCO history" screen shows. */
export const FULL_ME_PAGE = /* GraphQL */ `
  fragment money on Money { amount currencyCode }
  fragment order on PocoOrder {
    id orderNumber store placedAt status currencyCode
    subtotal { ...money } shippingFee { ...money } discountTotal { ...money } taxTotal { ...money }
    total { ...money } refundedTotal { ...money }
    pointsEarned pointsRedeemed
    account { id store email displayName registeredAt migratedAt }
    user { id name email }
    lineItems { sku product { sku } productName variant quantity unitPrice { ...money } lineTotal { ...money } }
    shipments { id carrier trackingNumber status shippedAt deliveredAt events { occurredAt status location description } }
    couponsApplied { id code title store discountKind status amountOff { ...money } percentOff }
    feedback { id kind rating title body sku createdAt reply { body repliedAt } }
    shippingAddress { name line1 line2 city postalCode countryCode }
  }
  fragment coupon on PocoCoupon {
    id code title store discountKind amountOff { ...money } percentOff minimumSpend { ...money }
    issuedAt validFrom validUntil status redeemedAt redeemedOrder { id orderNumber }
    reissue { xiaomiCouponId xiaomiCouponCode reissuedAt validUntil }
  }
  query MyPocoHistory($first: Int = 10, $after: String, $historyFirst: Int = 20) {
    me {
      id name email
      pocoAccounts { id store email displayName registeredAt migratedAt }
      pocoOrders(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { ...order } }
      }
      pocoPoints {
        balance lifetimeEarned lifetimeRedeemed lifetimeExpired
        transfers { store pocoPoints xiaomiPoints rate transferredAt xiaomiLoyaltyAccountId }
        history(first: $historyFirst) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { cursor node { id store occurredAt type points balanceAfter description order { id orderNumber } } }
        }
      }
      pocoCoupons { ...coupon }
    }
  }
`;

/** A support tool listing tickets with the full order each one is about (100 order references). */
export const TICKETS_WITH_ORDERS = /* GraphQL */ `
  fragment money on Money { amount currencyCode }
  query TicketsWithOrders {
    supportTickets {
      id subject
      order {
        id orderNumber store placedAt status currencyCode
        total { ...money } refundedTotal { ...money }
        lineItems { sku productName quantity unitPrice { ...money } lineTotal { ...money } }
        shipments { id carrier trackingNumber status events { occurredAt status location } }
        shippingAddress { name line1 city postalCode countryCode }
      }
    }
  }
`;
