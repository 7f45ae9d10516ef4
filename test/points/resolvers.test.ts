import { account, at, balance, entry, order, transfer } from '../resolvers/fixtures';
import { anonymous, codesOf, expectNoErrors, startHarness, supportViewer, userViewer, type Harness } from '../resolvers/harness';

let harness: Harness;

const POINTS = `query ($id: ID!, $first: Int, $after: String, $types: [PocoPointsEntryType!]) {
  _entities(representations: [{ __typename: "User", id: $id }]) { ... on User { pocoPoints {
    balance lifetimeEarned lifetimeRedeemed lifetimeExpired
    transfers { store pocoPoints xiaomiPoints rate transferredAt xiaomiLoyaltyAccountId }
    history(first: $first, after: $after, types: $types) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { id } }
      nodes { id store occurredAt type points balanceAfter description order { id } }
    }
  } } } }`;

/** u4's entries m00 (oldest) .. m24 (newest): more than the default page of 20. */
const MANY_ENTRIES = 25;

const ids = (result: { data: any }) => result.data._entities[0].pocoPoints.history.nodes.map((node: { id: string }) => node.id);

beforeAll(async () => {
  harness = await startHarness('points');
  const { collections } = harness;
  await collections.accounts.insertMany([
    account('pa-g', { xiaomiUserId: 'u1', store: 'GLOBAL' }),
    account('pa-f', { xiaomiUserId: 'u1', store: 'FR' }),
    account('pa-e', { xiaomiUserId: 'u1', store: 'ES' }), // linked, no points at all
    account('pb', { xiaomiUserId: 'u2' }), // linked, no ledger and no balance document
    account('pc', { xiaomiUserId: 'u3' }),
    account('pd', { xiaomiUserId: 'u4' }), // more entries than one default page
  ]);
  await collections.orders.insertMany([order('po-1', 'pa-g'), order('po-3', 'pc')]);
  await collections.pointsLedger.insertMany([
    entry('e01', 'pa-g', { at: at('2022-01-01T00:00:00.000Z'), type: 'EARNED', points: 300, balanceAfter: 300, orderId: 'po-1', note: 'Order po-1' }),
    entry('e02', 'pa-g', { at: at('2022-02-01T00:00:00.000Z'), type: 'REDEEMED', points: -100, balanceAfter: 200 }),
    entry('e03', 'pa-g', { at: at('2022-03-01T00:00:00.000Z'), type: 'EXPIRED', points: -50, balanceAfter: 150 }),
    entry('e04', 'pa-f', { store: 'FR', at: at('2022-03-01T00:00:00.000Z'), type: 'EARNED', points: 80, balanceAfter: 80 }),
    entry('e05', 'pa-f', { store: 'FR', at: at('2022-03-01T00:00:00.000Z'), type: 'ADJUSTED', points: 20, balanceAfter: 100 }),
    entry('e06', 'pa-g', { at: at('2024-12-12T00:00:00.000Z'), type: 'TRANSFERRED', points: -150, balanceAfter: 0 }),
    // An entry naming an order of another customer (the export does not forbid it).
    entry('e07', 'pc', { at: at('2022-03-01T00:00:00.000Z'), points: 5, balanceAfter: 5, orderId: 'po-1' }),
    entry('e08', 'pc', { at: at('2022-03-02T00:00:00.000Z'), points: 0, balanceAfter: 5, orderId: 'po-3' }),
  ]);
  await collections.pointsLedger.insertMany(
    Array.from({ length: MANY_ENTRIES }, (_, index) =>
      entry(`m${String(index).padStart(2, '0')}`, 'pd', { at: at(`2023-01-${String(index + 1).padStart(2, '0')}T00:00:00.000Z`), points: 1, balanceAfter: index + 1 }),
    ),
  );
  await collections.pointsBalances.insertMany([
    balance('pa-g', { balance: 0, earned: 300, redeemed: 100, expired: 50 }),
    balance('pa-f', { balance: 100, earned: 80, redeemed: 0, expired: 0 }),
    balance('pc', { balance: 5, earned: 5 }),
  ]);
  await collections.pointsTransfers.insertMany([
    transfer('pa-g', { store: 'GLOBAL', pocoPoints: 150, miPoints: 75, rate: '0.5', transferredAt: at('2024-12-12T00:00:00.000Z'), miLoyaltyAccountId: 'ML-1' }),
    // Same instant as pa-g's: ties by account id ascending (pa-f < pa-g).
    transfer('pa-f', { store: 'FR', pocoPoints: 100, miPoints: 100, rate: '1', transferredAt: at('2024-12-12T00:00:00.000Z') }),
    // Stored not canonical ("12.50"): canonical on the wire.
    transfer('pa-e', { store: 'ES', pocoPoints: 0, miPoints: 0, rate: '12.50', transferredAt: at('2024-12-01T00:00:00.000Z') }),
  ]);
});

afterAll(async () => {
  await harness.close();
});

describe('User.pocoPoints', () => {
  it('sums the figures over every linked account and lists transfers oldest first (ties by account id)', async () => {
    const result = await harness.run(POINTS, { viewer: userViewer('u1'), variables: { id: 'u1', first: 100 } });
    expectNoErrors(result);
    const points = result.data!._entities[0].pocoPoints;
    expect(points).toMatchObject({ balance: 100, lifetimeEarned: 380, lifetimeRedeemed: 100, lifetimeExpired: 50 });
    expect(points.transfers).toEqual([
      { store: 'ES', pocoPoints: 0, xiaomiPoints: 0, rate: '12.5', transferredAt: '2024-12-01T00:00:00.000Z', xiaomiLoyaltyAccountId: null },
      { store: 'FR', pocoPoints: 100, xiaomiPoints: 100, rate: '1', transferredAt: '2024-12-12T00:00:00.000Z', xiaomiLoyaltyAccountId: null },
      { store: 'GLOBAL', pocoPoints: 150, xiaomiPoints: 75, rate: '0.5', transferredAt: '2024-12-12T00:00:00.000Z', xiaomiLoyaltyAccountId: 'ML-1' },
    ]);
  });

  it('lists the history of every linked account newest first, ties by id descending, with every field', async () => {
    const result = await harness.run(POINTS, { viewer: userViewer('u1'), variables: { id: 'u1', first: 100 } });
    const history = result.data!._entities[0].pocoPoints.history;
    expect(history.totalCount).toBe(6);
    expect(ids(result)).toEqual(['e06', 'e05', 'e04', 'e03', 'e02', 'e01']);
    expect(history.nodes[5]).toEqual({
      id: 'e01',
      store: 'GLOBAL',
      occurredAt: '2022-01-01T00:00:00.000Z',
      type: 'EARNED',
      points: 300,
      balanceAfter: 300,
      description: 'Order po-1',
      order: { id: 'po-1' },
    });
    expect(history.nodes[1]).toMatchObject({ id: 'e05', store: 'FR', type: 'ADJUSTED', points: 20, description: null, order: null });
    expect(history.nodes[4]).toMatchObject({ type: 'REDEEMED', points: -100 });
  });

  it('pages the history with cursors, every entry exactly once, across equal instants', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result = await harness.run(POINTS, { viewer: userViewer('u1'), variables: { id: 'u1', first: 2, after } });
      expectNoErrors(result);
      const history = result.data!._entities[0].pocoPoints.history;
      expect(history.totalCount).toBe(6);
      seen.push(...ids(result));
      if (!history.pageInfo.hasNextPage) break;
      after = history.pageInfo.endCursor;
    }
    expect(seen).toEqual(['e06', 'e05', 'e04', 'e03', 'e02', 'e01']);
  });

  it('defaults to 20 entries per page', async () => {
    const result = await harness.run(POINTS, { viewer: userViewer('u4'), variables: { id: 'u4' } });
    expectNoErrors(result);
    const history = result.data!._entities[0].pocoPoints.history;
    // The newest 20 of 25, and a next page holding the other 5.
    expect(ids(result)).toEqual(Array.from({ length: 20 }, (_, index) => `m${String(MANY_ENTRIES - 1 - index).padStart(2, '0')}`));
    expect(history.totalCount).toBe(MANY_ENTRIES);
    expect(history.pageInfo.hasNextPage).toBe(true);
    const rest = await harness.run(POINTS, { viewer: userViewer('u4'), variables: { id: 'u4', after: history.pageInfo.endCursor } });
    expectNoErrors(rest);
    expect(ids(rest)).toEqual(['m04', 'm03', 'm02', 'm01', 'm00']);
  });

  it('filters the history by types, totalCount counting the filter', async () => {
    const result = await harness.run(POINTS, {
      viewer: userViewer('u1'),
      variables: { id: 'u1', types: ['REDEEMED', 'EXPIRED', 'TRANSFERRED'] },
    });
    expectNoErrors(result);
    expect(ids(result)).toEqual(['e06', 'e03', 'e02']);
    expect(result.data!._entities[0].pocoPoints.history.totalCount).toBe(3);
  });

  it('gives zeros, no transfers and an empty history for linked accounts without points', async () => {
    const result = await harness.run(POINTS, { viewer: userViewer('u2'), variables: { id: 'u2' } });
    expectNoErrors(result);
    expect(result.data!._entities[0].pocoPoints).toEqual({
      balance: 0,
      lifetimeEarned: 0,
      lifetimeRedeemed: 0,
      lifetimeExpired: 0,
      transfers: [],
      history: {
        totalCount: 0,
        pageInfo: { hasNextPage: false, hasPreviousPage: false, endCursor: null },
        edges: [],
        nodes: [],
      },
    });
  });

  it('is null for a user with no linked account', async () => {
    const result = await harness.run(POINTS, { viewer: userViewer('u9'), variables: { id: 'u9' } });
    expectNoErrors(result);
    expect(result.data!._entities[0].pocoPoints).toBeNull();
  });

  it.each([
    ['anonymous', anonymous, 'UNAUTHENTICATED'],
    ['another user', userViewer('u3'), 'FORBIDDEN'],
  ])('is null for %s with the error code', async (_who, viewer, code) => {
    const result = await harness.run(POINTS, { viewer, variables: { id: 'u1' } });
    expect(result.data!._entities[0].pocoPoints).toBeNull();
    expect(codesOf(result)).toEqual([code]);
  });

  it('is readable by support', async () => {
    const result = await harness.run(POINTS, { viewer: supportViewer(), variables: { id: 'u3' } });
    expectNoErrors(result);
    expect(result.data!._entities[0].pocoPoints).toMatchObject({ balance: 5, lifetimeEarned: 5 });
    expect(result.data!._entities[0].pocoPoints.history.nodes.map((n: { order: unknown }) => n.order)).toEqual([{ id: 'po-3' }, { id: 'po-1' }]);
  });

  it("never shows an owner the order of someone else that an entry names", async () => {
    const result = await harness.run(POINTS, { viewer: userViewer('u3'), variables: { id: 'u3' } });
    expectNoErrors(result);
    expect(result.data!._entities[0].pocoPoints.history.nodes.map((n: { order: unknown }) => n.order)).toEqual([{ id: 'po-3' }, null]);
  });

  it.each([0, 101])('rejects history(first: %p) with BAD_USER_INPUT naming `first`', async (first) => {
    const result = await harness.run(POINTS, { viewer: userViewer('u1'), variables: { id: 'u1', first } });
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.argumentName).toBe('first');
  });

  it("rejects an orders cursor, another user's cursor and another filter's cursor as `after`", async () => {
    const ordersPage = await harness.run(
      `query { _entities(representations: [{ __typename: "User", id: "u1" }]) { ... on User { pocoOrders(first: 1) { pageInfo { endCursor } } } } }`,
      { viewer: userViewer('u1') },
    );
    const orderCursor = ordersPage.data!._entities[0].pocoOrders.pageInfo.endCursor;
    const u3 = await harness.run(POINTS, { viewer: userViewer('u3'), variables: { id: 'u3', first: 1 } });
    const u3Cursor = u3.data!._entities[0].pocoPoints.history.pageInfo.endCursor;
    const own = await harness.run(POINTS, { viewer: userViewer('u1'), variables: { id: 'u1', first: 1 } });
    const unfilteredCursor = own.data!._entities[0].pocoPoints.history.pageInfo.endCursor;
    expect([orderCursor, u3Cursor, unfilteredCursor].every((cursor) => typeof cursor === 'string')).toBe(true);
    for (const variables of [
      { id: 'u1', after: orderCursor },
      { id: 'u1', after: u3Cursor },
      { id: 'u1', after: unfilteredCursor, types: ['EARNED'] },
    ]) {
      const result = await harness.run(POINTS, { viewer: supportViewer(), variables });
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.argumentName).toBe('after');
    }
  });
});
