/**
 * Query.pocoOrdersByTrackingNumber through the gateway (the whole supergraph on
 * loopback ports), on hand-written orders: who sees which orders, in which
 * order, what the argument accepts.
 */
import type { AccountDoc, OrderDoc, ShipmentDoc } from '../../src/db/documents';
import { COLLECTION_NAMES, INDEXES } from '../../src/db/collections';
import { account, at, order } from '../resolvers/fixtures';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { errorCodesAt, postGraphQL, startE2EStack, type E2EStack } from '../support/e2eStack';

const SHARED = 'JD014600003828471';

function parcel(id: string, trackingNo: string | null, deliveredAt: string | null = null): ShipmentDoc {
  return {
    id, carrier: 'DHL', trackingNo, status: deliveredAt ? 'DELIVERED' : 'IN_TRANSIT',
    shippedAt: at('2024-05-01T08:00:00.000Z'), deliveredAt: deliveredAt ? at(deliveredAt) : null, events: [],
  };
}

const QUERY = `query ($n: String!) { pocoOrdersByTrackingNumber(trackingNumber: $n) { id orderNumber placedAt shipments { trackingNumber } } }`;

describe('pocoOrdersByTrackingNumber through the gateway', () => {
  let testDb: TestDatabase;
  let stack: E2EStack;

  beforeAll(async () => {
    testDb = await openTestDatabase('tracking-number');
    await testDb.db.collection<AccountDoc>('accounts').insertMany([
      account('ACC-1-FR', { store: 'FR', xiaomiUserId: 'demo-user-1' }),
      account('ACC-1-PL', { store: 'PL', xiaomiUserId: 'demo-user-1' }),
      account('ACC-2', { xiaomiUserId: 'demo-user-2' }),
      account('ACC-UNLINKED', { xiaomiUserId: null }),
    ]);
    await testDb.db.collection<OrderDoc>('orders').insertMany([
      // demo-user-1: three orders shipped under the shared number (re-used for replacements), one on another parcel.
      order('ORD-A', 'ACC-1-FR', { placedAt: at('2024-05-01T10:00:00.000Z'), shipments: [parcel('S-A1', 'X-OTHER'), parcel('S-A2', SHARED)] }),
      order('ORD-B', 'ACC-1-PL', { placedAt: at('2024-06-01T10:00:00.000Z'), shipments: [parcel('S-B', SHARED, '2024-06-03T10:00:00.000Z')] }),
      order('ORD-C', 'ACC-1-FR', { placedAt: at('2024-06-01T10:00:00.000Z'), shipments: [parcel('S-C', SHARED)] }),
      order('ORD-D', 'ACC-1-FR', { placedAt: at('2024-07-01T10:00:00.000Z'), shipments: [parcel('S-D', 'X-OTHER')] }),
      // Someone else's and an unlinked account's orders under the same number.
      order('ORD-E', 'ACC-2', { placedAt: at('2024-08-01T10:00:00.000Z'), shipments: [parcel('S-E', SHARED)] }),
      order('ORD-F', 'ACC-UNLINKED', { placedAt: at('2024-04-01T10:00:00.000Z'), shipments: [parcel('S-F', SHARED)] }),
      // Case matters; no tracking number at all.
      order('ORD-G', 'ACC-1-FR', { placedAt: at('2024-09-01T10:00:00.000Z'), shipments: [parcel('S-G', SHARED.toLowerCase())] }),
      order('ORD-H', 'ACC-1-FR', { placedAt: at('2024-09-02T10:00:00.000Z'), shipments: [parcel('S-H', null)] }),
    ]);
    stack = await startE2EStack({ testDb });
  });
  afterAll(async () => {
    await stack?.close();
    await testDb?.drop();
  });

  const lookup = async (trackingNumber: string, token?: string) =>
    postGraphQL<{ pocoOrdersByTrackingNumber: { id: string }[] | null }>(stack.gatewayUrl, QUERY, {
      variables: { n: trackingNumber },
      ...(token ? { token } : {}),
    });
  const ids = (response: Awaited<ReturnType<typeof lookup>>) => response.data?.pocoOrdersByTrackingNumber?.map((o) => o.id);

  it("gives the owner their own orders with that number, newest placedAt first, ties by id descending", async () => {
    const response = await lookup(SHARED, await stack.token('demo-user-1'));
    expect(response.errors).toBeUndefined();
    expect(ids(response)).toEqual(['ORD-C', 'ORD-B', 'ORD-A']);
  });

  it('gives support every order with that number, unlinked accounts included', async () => {
    const response = await lookup(SHARED, await stack.token('support-agent-1', ['poco:support']));
    expect(response.errors).toBeUndefined();
    expect(ids(response)).toEqual(['ORD-E', 'ORD-C', 'ORD-B', 'ORD-A', 'ORD-F']);
  });

  it('gives another user only their own, and a user with no POCO orders an empty list: no hint that others exist', async () => {
    expect(ids(await lookup(SHARED, await stack.token('demo-user-2')))).toEqual(['ORD-E']);
    const stranger = await lookup(SHARED, await stack.token('demo-user-3'));
    expect(stranger.errors).toBeUndefined();
    expect(ids(stranger)).toEqual([]);
    expect(ids(await lookup('X-OTHER', await stack.token('demo-user-2')))).toEqual([]);
  });

  it('answers anonymous callers UNAUTHENTICATED', async () => {
    const response = await lookup(SHARED);
    expect(response.data ?? null).toBeNull();
    expect(errorCodesAt(response, 'pocoOrdersByTrackingNumber')).toEqual(['UNAUTHENTICATED']);
  });

  it('trims the argument, then matches exactly, case included', async () => {
    const token = await stack.token('demo-user-1');
    expect(ids(await lookup(`  ${SHARED}\t `, token))).toEqual(['ORD-C', 'ORD-B', 'ORD-A']);
    expect(ids(await lookup(SHARED.toLowerCase(), token))).toEqual(['ORD-G']);
    expect(ids(await lookup(SHARED.slice(0, -1), token))).toEqual([]);
  });

  it.each([
    ['an empty', ''],
    ['a blank', '   '],
    ['a longer than 128 characters', 'X'.repeat(129)],
  ])('refuses %s tracking number with BAD_USER_INPUT naming the argument', async (_case, value) => {
    const response = await lookup(value, await stack.token('demo-user-1'));
    expect(errorCodesAt(response, 'pocoOrdersByTrackingNumber')).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.extensions?.argumentName).toBe('trackingNumber');
  });

  it('accepts 128 characters, counted in code points', async () => {
    const response = await lookup('Ł'.repeat(128), await stack.token('demo-user-1'));
    expect(response.errors).toBeUndefined();
    expect(ids(response)).toEqual([]);
  });

  it('is served by the multikey index on the shipments’ tracking numbers', async () => {
    expect(INDEXES.orders).toContainEqual(expect.objectContaining({ key: { 'shipments.trackingNo': 1, placedAt: -1, _id: -1 } }));
    const indexes = await testDb.db.collection(COLLECTION_NAMES.orders).indexes();
    expect(indexes.map((index) => index.name)).toContain('by_tracking_no');
  });
});
