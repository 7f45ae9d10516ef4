/**
 * The resolver map of the whole subgraph: every domain's resolvers merged
 * type by type, the scalars, Money, and a per-item `_entities`.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { accountResolvers } from './accounts/resolvers';
import { afterSalesResolvers } from './afterSales/resolvers';
import { couponResolvers } from './coupons/resolvers';
import { badUserInput } from './errors';
import type { RequestContext } from './graphql/context';
import { scalarResolvers } from './graphql/scalars';
import type { Resolvers } from './generated/resolvers';
import { orderResolvers } from './orders/resolvers';
import { pointsResolvers } from './points/resolvers';
import { privacyResolvers } from './privacy/resolvers';
import { supportResolvers } from './support/resolvers';
import { formatMinorUnits } from './shared/money';
import { userResolvers } from './users/resolvers';

/** Merges resolver maps type by type; two domains defining the same field is a bug. */
export function mergeResolvers(...maps: Resolvers[]): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map as Record<string, Record<string, unknown>>)) {
      const target = (merged[typeName] ??= {});
      for (const [fieldName, resolver] of Object.entries(fields)) {
        if (fieldName in target) throw new Error(`Resolver ${typeName}.${fieldName} is defined twice`);
        target[fieldName] = resolver;
      }
    }
  }
  return merged as Resolvers;
}

const moneyResolvers: Resolvers = {
  Money: {
    // Every currency of POCO's shop (EUR, GBP, PLN, USD) has two minor-unit digits.
    amount: (money) => formatMinorUnits(money.minor),
    currencyCode: (money) => money.currency,
  },
};

const domainResolvers = mergeResolvers(
  moneyResolvers,
  userResolvers,
  accountResolvers,
  orderResolvers,
  pointsResolvers,
  couponResolvers,
  afterSalesResolvers,
  supportResolvers,
  privacyResolvers,
);

type ReferenceResolver = (reference: never, context: RequestContext, info: GraphQLResolveInfo) => unknown;

/** The entity types of this subgraph and how a reference to each resolves. */
const ENTITY_TYPES = new Map<string, ReferenceResolver | undefined>([
  ['User', domainResolvers.User?.__resolveReference as ReferenceResolver | undefined],
  ['PocoOrder', domainResolvers.PocoOrder?.__resolveReference as ReferenceResolver | undefined],
  ['PocoCoupon', domainResolvers.PocoCoupon?.__resolveReference as ReferenceResolver | undefined],
]);

/**
 * One entity per representation, each on its own: @apollo/subgraph's
 * `_entities` throws for the whole batch on an unknown `__typename` or a
 * representation that is not an object, and api.md wants a null (with an
 * error) for that item only while the rest of the batch resolves.
 */
async function resolveEntity(
  representation: unknown,
  context: RequestContext,
  info: GraphQLResolveInfo,
): Promise<unknown> {
  const typename =
    typeof representation === 'object' && representation !== null && !Array.isArray(representation)
      ? (representation as { __typename?: unknown }).__typename
      : undefined;
  const resolveReference = typeof typename === 'string' ? ENTITY_TYPES.get(typename) : undefined;
  if (typeof typename !== 'string' || !ENTITY_TYPES.has(typename)) {
    throw badUserInput(
      `Each representation must be an object whose __typename is one of ${[...ENTITY_TYPES.keys()].join(', ')}.`,
      'representations',
    );
  }
  const entity = resolveReference ? await resolveReference(representation as never, context, info) : representation;
  if (entity === null || entity === undefined) return null;
  // _Entity resolves its runtime type from __typename; copy, never mutate a loader's cached document.
  return { ...(entity as object), __typename: typename };
}

type EntitiesResolver = (
  root: unknown,
  args: { representations: readonly unknown[] },
  context: RequestContext,
  info: GraphQLResolveInfo,
) => Promise<unknown>[];

/** For buildSubgraphSchema: its own `_entities` is replaced by the per-item one below. */
export const resolvers: Resolvers & { Query: NonNullable<Resolvers['Query']> & { _entities: EntitiesResolver } } = {
  ...domainResolvers,
  ...scalarResolvers,
  Query: {
    ...domainResolvers.Query,
    _entities: (_root, { representations }, context, info) =>
      representations.map((representation) => resolveEntity(representation, context, info)),
  },
};
