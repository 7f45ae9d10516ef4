/**
 * Issue 9: a page of a long history (a reseller's orders, its points ledger)
 * costs what the page holds. Documents the database returns are counted with
 * the driver's command monitoring on the test database; every page is checked
 * against the whole list sorted in memory (api.md's order: newest first, ties
 * by id descending), with filters and cursors, so the bounded queries answer
 * exactly what reading the whole history answered.
 */
import type { CommandStartedEvent, CommandSucceededEvent, Document } from 'mongodb';
import type { OrderDoc, PointsEntryDoc } from '../../src/db/documents';
import type { OrderStatus } from '../../src/shared/codes';
import { compareNewestFirst } from '../../src/shared/cursor';
import { SMALL_LIST_MAX } from '../../src/shared/keysetPageLoader';
import { account, at, entry, order } from '../resolvers/fixtures';
import { expectNoErrors, startHarness, supportViewer, type Harness } from '../resolvers/harness';

let harness: Harness;

/** Collection and documents returned of every command since the last reset. */
const replies: { command: string; collection: string; documents: number }[] = [];
const started = new Map<number, { command: string; collection: string }>();

function documentsIn(reply: Document): number {
  const cursor = reply.cursor as { firstBatch?: unknown[]; nextBatch?: unknown[] } | undefined;
  return (cursor?.firstBatch?.length ?? 0) + (cursor?.nextBatch?.length ?? 0);
}

function documentsFrom(collection: string): number {
  return replies.filter((reply) => reply.collection === collection).reduce((sum, reply) => sum + reply.documents, 0);
}

const HEAVY_USER = 'heavy-user';
const HEAVY_ACCOUNTS = ['heavy-g', 'heavy-u'];
const STATUSES: OrderStatus[] = ['COMPLETED', 'DELIVERED', 'CANCELLED', 'SHIPPED'];
const LIGHT_USERS = 50;

function heavyOrders(): OrderDoc[] {
  const orders: OrderDoc[] = [];
  for (let n = 0; n < 700; n++) {
    const accountId = n % 7 < 4 ? 'heavy-g' : 'heavy-u';
    // Every third order shares its instant with the one before: pages must split ties by id.
    const minute = n - Math.floor(n / 3);
    orders.push(
      order(`ho-${String((n * 389) % 1000).padStart(4, '0')}`, accountId, {
        store: accountId === 'heavy-g' ? 'GLOBAL' : 'UK',
        placedAt: new Date(Date.UTC(2021, 0, 1) + minute * 3_600_000),
        status: STATUSES[n % STATUSES.length]!,
      }),
    );
  }
  return orders;
}

function heavyLedger(): PointsEntryDoc[] {
  const entries: PointsEntryDoc[] = [];
  for (let n = 0; n < 900; n++) {
    const accountId = n % 3 === 0 ? 'heavy-u' : 'heavy-g';
    entries.push(
      entry(`he-${String(n).padStart(4, '0')}`, accountId, {
        store: accountId === 'heavy-g' ? 'GLOBAL' : 'UK',
        at: new Date(Date.UTC(2021, 0, 1) + Math.floor(n / 2) * 3_600_000),
        type: n % 5 === 0 ? 'REDEEMED' : 'EARNED',
      }),
    );
  }
  return entries;
}

/** 60 orders: longer than a page, short enough to be paged on its sort keys. */
function mediumOrders(): OrderDoc[] {
  return Array.from({ length: 60 }, (_, n) =>
    order(`mo-${String((n * 7) % 60).padStart(2, '0')}`, 'medium-a', {
      placedAt: new Date(Date.UTC(2022, 0, 1) + Math.floor(n / 2) * 86_400_000),
      status: STATUSES[n % 2]!,
    }),
  );
}

const ORDERS_PAGE = `
  query ($first: Int, $after: String, $filter: PocoOrderFilter, $user: ID! = "${HEAVY_USER}") {
    _entities(representations: [{ __typename: "User", id: $user }]) {
      ... on User {
        pocoOrders(first: $first, after: $after, filter: $filter) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage endCursor }
          nodes { id }
        }
      }
    }
  }
`;

const HISTORY_PAGE = `
  query ($first: Int, $after: String, $types: [PocoPointsEntryType!]) {
    _entities(representations: [{ __typename: "User", id: "${HEAVY_USER}" }]) {
      ... on User {
        pocoPoints { history(first: $first, after: $after, types: $types) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage endCursor }
          nodes { id }
        } }
      }
    }
  }
`;

const ME_PAGE = `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on User {
        id
        pocoOrders(first: 10) { totalCount pageInfo { hasNextPage } nodes { id } }
        pocoPoints { history(first: 20) { totalCount nodes { id } } }
      }
    }
  }
`;

beforeAll(async () => {
  harness = await startHarness('long_history', { monitorCommands: true });
  const { collections } = harness;
  await collections.accounts.insertMany([
    account('heavy-g', { xiaomiUserId: HEAVY_USER, store: 'GLOBAL' }),
    account('heavy-u', { xiaomiUserId: HEAVY_USER, store: 'UK', registeredAt: at('2020-06-01T00:00:00.000Z') }),
  ]);
  await collections.orders.insertMany(heavyOrders());
  await collections.pointsLedger.insertMany(heavyLedger());
  await collections.accounts.insertOne(account('medium-a', { xiaomiUserId: 'medium-user' }));
  await collections.orders.insertMany(mediumOrders());
  for (let i = 0; i < LIGHT_USERS; i++) {
    await collections.accounts.insertOne(account(`light-${i}`, { xiaomiUserId: `light-user-${i}` }));
    await collections.orders.insertMany(
      [1, 2, 3].map((n) => order(`lo-${i}-${n}`, `light-${i}`, { placedAt: at(`2022-0${n}-01T00:00:00.000Z`) })),
    );
    await collections.pointsLedger.insertMany([entry(`le-${i}-1`, `light-${i}`), entry(`le-${i}-2`, `light-${i}`, { at: at('2022-05-01T00:00:00.000Z') })]);
  }
  const { client } = harness.database;
  client.on('commandStarted', (event: CommandStartedEvent) => {
    const collection = event.command[event.commandName];
    started.set(event.requestId, { command: event.commandName, collection: typeof collection === 'string' ? collection : '' });
  });
  client.on('commandSucceeded', (event: CommandSucceededEvent) => {
    const start = started.get(event.requestId);
    if (start) replies.push({ ...start, documents: documentsIn(event.reply as Document) });
  });
});

afterAll(async () => {
  await harness.close();
});

async function run(query: string, variables: Record<string, unknown>): Promise<any> {
  replies.length = 0;
  const result = await harness.run(query, { viewer: supportViewer(), variables });
  expectNoErrors(result);
  return result.data!._entities;
}

const newestFirst = <T extends { _id: string }>(docs: T[], atOf: (doc: T) => Date): string[] =>
  docs
    .map((doc) => ({ at: atOf(doc), id: doc._id }))
    .sort(compareNewestFirst)
    .map((position) => position.id);

it('reads at most (first + 1) documents per account for a page of 700 orders, with an exact totalCount', async () => {
  // The premise: both accounts are far too long to be read whole.
  expect(heavyOrders().filter((o) => o.accountId === 'heavy-u').length).toBeGreaterThan(SMALL_LIST_MAX * 2);
  const [user] = await run(ORDERS_PAGE, { first: 10 });
  expect(user.pocoOrders.totalCount).toBe(700);
  expect(user.pocoOrders.nodes.map((node: { id: string }) => node.id)).toEqual(newestFirst(heavyOrders(), (o) => o.placedAt).slice(0, 10));
  expect(user.pocoOrders.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  const pageReads = replies.filter((reply) => reply.collection === 'orders' && reply.command === 'find');
  const countRows = replies.filter((reply) => reply.collection === 'orders' && reply.command === 'aggregate');
  expect(pageReads.reduce((sum, reply) => sum + reply.documents, 0)).toBeLessThanOrEqual((10 + 1) * HEAVY_ACCOUNTS.length);
  expect(countRows.reduce((sum, reply) => sum + reply.documents, 0)).toBe(HEAVY_ACCOUNTS.length);
  console.log(`[figures] 700-order user, first 10: ${documentsFrom('orders')} order documents and count rows returned`);
});

it('pages through a long filtered order history with cursors exactly as the sorted list, each page bounded', async () => {
  const filter = { status: ['COMPLETED', 'CANCELLED'], placedAfter: '2021-01-05T00:00:00.000Z' };
  const expected = newestFirst(
    heavyOrders().filter((o) => ['COMPLETED', 'CANCELLED'].includes(o.status) && o.placedAt >= at(filter.placedAfter)),
    (o) => o.placedAt,
  );
  expect(expected.length).toBeGreaterThan(200);
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const [user] = await run(ORDERS_PAGE, { first: 37, after, filter });
    const { totalCount, pageInfo, nodes } = user.pocoOrders;
    expect(totalCount).toBe(expected.length);
    expect(pageInfo.hasPreviousPage).toBe(page > 0);
    // One page of 37 (+1 to know whether more follow) per account, one probe for hasPreviousPage.
    expect(documentsFrom('orders') - HEAVY_ACCOUNTS.length).toBeLessThanOrEqual((37 + 1) * HEAVY_ACCOUNTS.length + 1);
    seen.push(...nodes.map((node: { id: string }) => node.id));
    expect(pageInfo.hasNextPage).toBe(seen.length < expected.length);
    if (!pageInfo.hasNextPage) break;
    after = pageInfo.endCursor;
  }
  expect(seen).toEqual(expected);
});

it('pages through a 60-order history on its sort keys, then reads only the page documents', async () => {
  const expected = newestFirst(mediumOrders().filter((o) => o.status === 'COMPLETED'), (o) => o.placedAt);
  expect(expected.length).toBeGreaterThan(11);
  expect(expected.length).toBeLessThanOrEqual(SMALL_LIST_MAX);
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 10; page++) {
    const [user] = await run(ORDERS_PAGE, { first: 4, after, filter: { status: ['COMPLETED'] }, user: 'medium-user' });
    const { totalCount, pageInfo, nodes } = user.pocoOrders;
    expect(totalCount).toBe(expected.length);
    expect(pageInfo.hasPreviousPage).toBe(page > 0);
    // The count row, the list's sort keys, the page's 4 documents.
    const documents = replies.filter((reply) => reply.collection === 'orders').map((reply) => `${reply.command}:${reply.documents}`);
    expect(documents.sort()).toEqual(['aggregate:1', `find:${expected.length}`, `find:${nodes.length}`].sort());
    seen.push(...nodes.map((node: { id: string }) => node.id));
    if (!pageInfo.hasNextPage) break;
    after = pageInfo.endCursor;
  }
  expect(seen).toEqual(expected);
});

it('pages through a long points history with a types filter, each page bounded, totalCount exact', async () => {
  const expected = newestFirst(
    heavyLedger().filter((e) => e.type === 'EARNED'),
    (e) => e.at,
  );
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 30; page++) {
    const [user] = await run(HISTORY_PAGE, { first: 50, after, types: ['EARNED'] });
    const { totalCount, pageInfo, nodes } = user.pocoPoints.history;
    expect(totalCount).toBe(expected.length);
    expect(pageInfo.hasPreviousPage).toBe(page > 0);
    expect(documentsFrom('points_ledger') - HEAVY_ACCOUNTS.length).toBeLessThanOrEqual((50 + 1) * HEAVY_ACCOUNTS.length + 1);
    seen.push(...nodes.map((node: { id: string }) => node.id));
    if (!pageInfo.hasNextPage) break;
    after = pageInfo.endCursor;
  }
  expect(seen).toEqual(expected);
});

it('costs the same number of database commands for a heavy user beside 1, 10 and 50 others', async () => {
  const namesFor = async (k: number): Promise<string[]> => {
    const representations = [
      { __typename: 'User', id: HEAVY_USER },
      ...Array.from({ length: k }, (_, i) => ({ __typename: 'User', id: `light-user-${i}` })),
    ];
    const users = await run(ME_PAGE, { representations });
    expect(users).toHaveLength(k + 1);
    expect(users[0].pocoOrders.totalCount).toBe(700);
    expect(users[0].pocoPoints.history.totalCount).toBe(900);
    for (const user of users.slice(1)) expect(user.pocoOrders.nodes).toHaveLength(3);
    const pageDocuments = replies
      .filter((reply) => reply.command === 'find' && (reply.collection === 'orders' || reply.collection === 'points_ledger'))
      .reduce((sum, reply) => sum + reply.documents, 0);
    // Heavy accounts: first + 1 each (orders 10, history 20); light accounts: their 3 orders and 2 entries.
    expect(pageDocuments).toBeLessThanOrEqual(HEAVY_ACCOUNTS.length * (11 + 21) + k * (3 + 2));
    expect(pageDocuments).toBeGreaterThanOrEqual(k * (3 + 2));
    return replies.map((reply) => `${reply.command}:${reply.collection}`).sort();
  };
  const one = await namesFor(1);
  expect(await namesFor(10)).toEqual(one);
  expect(await namesFor(50)).toEqual(one);
});
