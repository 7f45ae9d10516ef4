/**
 * The four scenarios of issue 5 and the request bodies that drive them.
 *
 * Each scenario has a small pool of request variants (different users,
 * orders) that every connection cycles through, so caching one answer cannot
 * make a scenario look cheap. The users are the same at every dataset size
 * (the generator gives user N the same data whatever the size), so p50s at
 * 10k and 100k users compare the same work.
 */
import { signDevToken } from '../src/auth/devToken';
import { generateUser, heavyUserIdOf, userIdOf } from './dataset';

export type ScenarioId = 'a' | 'b' | 'c' | 'd';

export interface RequestVariant {
  body: string;
  authorization: string;
}

export interface Scenario {
  id: ScenarioId;
  title: string;
  variants: RequestVariant[];
}

/** What a router sends for a profile page: the whole `me` page of POCO history (runtime.md: orders 10, points history 20). */
export const ME_PAGE_QUERY = `query MePage($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User {
      id
      pocoAccounts { id store email displayName registeredAt migratedAt }
      pocoOrders(first: 10) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          id orderNumber store placedAt status currencyCode
          total { amount currencyCode }
          lineItems { sku productName variant quantity unitPrice { amount currencyCode } }
        }
      }
      pocoPoints {
        balance lifetimeEarned lifetimeRedeemed lifetimeExpired
        transfers { store pocoPoints xiaomiPoints rate transferredAt }
        history(first: 20) { totalCount nodes { id store occurredAt type points balanceAfter description } }
      }
      pocoCoupons { id code title store discountKind status validUntil amountOff { amount currencyCode } percentOff }
    }
  }
}`;

/** One page of a user's orders, every field a list screen shows. */
export const ORDERS_PAGE_QUERY = `query OrdersPage($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User {
      pocoOrders(first: 10) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id } }
        nodes {
          id orderNumber store placedAt status currencyCode
          total { amount currencyCode }
          lineItems { sku productName variant quantity unitPrice { amount currencyCode } }
        }
      }
    }
  }
}`;

/** A support lookup by invoice number. */
export const ORDER_BY_NUMBER_QUERY = `query OrderByNumber($orderNumber: String!) {
  pocoOrderByNumber(orderNumber: $orderNumber) {
    id orderNumber store placedAt status
    total { amount currencyCode }
    refundedTotal { amount currencyCode }
    account { id store email displayName }
    user { id }
  }
}`;

/** Order detail for references from another subgraph (after-sales, support tickets). */
export const ORDER_DETAIL_QUERY = `query OrderDetail($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on PocoOrder {
      id orderNumber placedAt status
      total { amount currencyCode }
      lineItems { sku productName variant quantity unitPrice { amount currencyCode } lineTotal { amount currencyCode } }
      shipments { id carrier trackingNumber status shippedAt deliveredAt events { occurredAt status location description } }
      feedback { id kind rating title body createdAt reply { body repliedAt } }
      couponsApplied { id code title status }
      shippingAddress { name line1 city postalCode countryCode }
    }
  }
}`;

/**
 * `count` user indices spread over the first `spread` users, starting at
 * `offset`: the benchmark's users, identical at every dataset size.
 */
export function benchUserIndices(count: number, spread: number, offset: number): number[] {
  const step = Math.max(1, Math.floor(spread / count));
  return Array.from({ length: count }, (_, k) => (offset + k * step) % spread);
}

function body(query: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query, variables });
}

/** Orders of the bench users, taken from the generator (no database read needed). */
function ordersOf(seed: number, indices: number[]): { id: string; orderNo: string }[] {
  return indices.flatMap((index) => generateUser(seed, index).orders.map((order) => ({ id: order._id, orderNo: order.orderNo })));
}

export async function buildScenarios(seed: number, smallestSize: number, jwtSecret: string): Promise<Scenario[]> {
  const token = async (sub: string, scopes: string[] = []): Promise<string> =>
    `Bearer ${await signDevToken({ sub, scopes, secret: jwtSecret, expiresIn: '6h' })}`;
  const support = await token('support-agent-1', ['poco:support']);

  // a: four different users, each reading their own page with their own token. (Every variant is
  // first sent alone to capture the floor's commands: more variants would cost more than they tell.)
  const aUsers = benchUserIndices(4, smallestSize, 7);
  const a: RequestVariant[] = [];
  for (const index of aUsers) {
    a.push({
      body: body(ME_PAGE_QUERY, { representations: [{ __typename: 'User', id: userIdOf(index) }] }),
      authorization: await token(userIdOf(index)),
    });
  }

  // b: a router batch of 100 users (support token: one caller may read them all).
  const b: RequestVariant[] = [0, 1, 2].map((offset) => ({
    body: body(ME_PAGE_QUERY, {
      representations: benchUserIndices(100, smallestSize, 3 + offset).map((index) => ({ __typename: 'User', id: userIdOf(index) })),
    }),
    authorization: support,
  }));

  const orders = ordersOf(seed, benchUserIndices(40, smallestSize, 11));
  if (orders.length < 30) throw new Error('the bench users have too few orders for scenarios c and d');

  // c: support looks an order up by its invoice number.
  const c: RequestVariant[] = orders.slice(0, 4).map((order) => ({
    body: body(ORDER_BY_NUMBER_QUERY, { orderNumber: order.orderNo }),
    authorization: support,
  }));

  // d: ten order references at once, full detail.
  const d: RequestVariant[] = [0, 1, 2].map((group) => ({
    body: body(ORDER_DETAIL_QUERY, {
      representations: orders.slice(group * 10, group * 10 + 10).map((order) => ({ __typename: 'PocoOrder', id: order.id })),
    }),
    authorization: support,
  }));

  return [
    { id: 'a', title: '_entities, 1 user, full me page', variants: a },
    { id: 'b', title: '_entities, 100 users, full me page', variants: b },
    { id: 'c', title: 'pocoOrderByNumber (support)', variants: c },
    { id: 'd', title: 'order detail, 10 order references', variants: d },
  ];
}

/** A heavy-user scenario (issue 9): the same request shape for heavy users and for light ones. */
export interface HeavyScenario {
  id: 'e' | 'f';
  title: string;
  /** `first` of each list the request pages, and how many accounts each population merges into them. */
  lists: { name: string; collection: string; first: number }[];
  populations: { population: 'heavy' | 'light'; accounts: number; variants: RequestVariant[] }[];
}

function linkedAccounts(seed: number, indices: number[]): number {
  return indices.reduce((sum, index) => sum + generateUser(seed, index).accounts.filter((account) => account.xiaomiUserId !== null).length, 0);
}

/** e: one page of a heavy user's orders (own token); f: `_entities` of 100 users of whom `heavyUsers` are heavy. */
export async function buildHeavyScenarios(seed: number, lightUsers: number, heavyUsers: number, jwtSecret: string): Promise<HeavyScenario[]> {
  const token = async (sub: string, scopes: string[] = []): Promise<string> =>
    `Bearer ${await signDevToken({ sub, scopes, secret: jwtSecret, expiresIn: '6h' })}`;
  const support = await token('support-agent-1', ['poco:support']);
  const user = (id: string) => ({ __typename: 'User', id });
  const heavyIds = Array.from({ length: heavyUsers }, (_, h) => heavyUserIdOf(h));
  // Light users with at least one linked account, so each page has work to do.
  const lightIndices = Array.from({ length: lightUsers }, (_, i) => i).filter((i) => linkedAccounts(seed, [i]) > 0);
  const lightPage = lightIndices.slice(0, 2);
  const batchLight = lightIndices.slice(0, Math.min(100, lightIndices.length));
  const batchMixed = batchLight.slice(0, batchLight.length - heavyIds.length);
  return [
    {
      id: 'e',
      title: 'one page of orders (first 10) of one user',
      lists: [{ name: 'pocoOrders', collection: 'orders', first: 10 }],
      populations: [
        {
          population: 'heavy',
          accounts: 2,
          variants: [{ body: body(ORDERS_PAGE_QUERY, { representations: [user(heavyIds[0]!)] }), authorization: await token(heavyIds[0]!) }],
        },
        {
          population: 'light',
          accounts: linkedAccounts(seed, lightPage) / lightPage.length,
          variants: await Promise.all(
            lightPage.map(async (index) => ({
              body: body(ORDERS_PAGE_QUERY, { representations: [user(userIdOf(index))] }),
              authorization: await token(userIdOf(index)),
            })),
          ),
        },
      ],
    },
    {
      id: 'f',
      title: `_entities of ${batchLight.length} users, full me page`,
      lists: [
        { name: 'pocoOrders', collection: 'orders', first: 10 },
        { name: 'history', collection: 'points_ledger', first: 20 },
      ],
      populations: [
        {
          population: 'heavy',
          accounts: linkedAccounts(seed, batchMixed) + 2 * heavyIds.length,
          variants: [
            {
              body: body(ME_PAGE_QUERY, { representations: [...heavyIds.map(user), ...batchMixed.map((index) => user(userIdOf(index)))] }),
              authorization: support,
            },
          ],
        },
        {
          population: 'light',
          accounts: linkedAccounts(seed, batchLight),
          variants: [{ body: body(ME_PAGE_QUERY, { representations: batchLight.map((index) => user(userIdOf(index))) }), authorization: support }],
        },
      ],
    },
  ];
}
