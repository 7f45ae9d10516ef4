import { account, at, coupon, feedback, order } from '../resolvers/fixtures';
import {
  anonymous,
  codesOf,
  expectNoErrors,
  startHarness,
  supportViewer,
  userViewer,
  type Harness,
} from '../resolvers/harness';

let harness: Harness;

const ORDER_FIELDS = `
  id orderNumber store placedAt status currencyCode
  account { id store }
  user { id }
  subtotal { amount currencyCode } shippingFee { amount currencyCode } discountTotal { amount currencyCode }
  taxTotal { amount currencyCode } total { amount currencyCode } refundedTotal { amount currencyCode }
  pointsEarned pointsRedeemed
  lineItems { sku product { sku } productName variant quantity unitPrice { amount currencyCode } lineTotal { amount currencyCode } }
  shipments { id carrier trackingNumber status shippedAt deliveredAt events { occurredAt status location description } }
  couponsApplied { id code store }
  feedback { id kind rating title body sku createdAt reply { body repliedAt } }
  shippingAddress { name line1 line2 city postalCode countryCode }
`;

const PAGE_QUERY = `
  query Page($id: ID!, $first: Int, $after: String, $filter: PocoOrderFilter) {
    _entities(representations: [{ __typename: "User", id: $id }]) {
      ... on User {
        pocoOrders(first: $first, after: $after, filter: $filter) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { cursor node { id } }
          nodes { id placedAt }
        }
      }
    }
  }
`;

// User u1: a GLOBAL (EUR) and a UK (GBP) account, 13 orders across both, some sharing placedAt.
// User u2: one account, one order. Account c1: never linked, one order.
const u1Orders = [
  order('o01', 'a1', { placedAt: at('2023-01-01T10:00:00.000Z'), status: 'COMPLETED' }),
  order('o02', 'a1', { placedAt: at('2023-02-01T10:00:00.000Z'), status: 'CANCELLED' }),
  order('o03', 'a2', { placedAt: at('2023-03-01T10:00:00.000Z'), store: 'UK', currency: 'GBP', status: 'DELIVERED' }),
  // Five orders at the very same instant: pages must split them by id descending.
  order('o04', 'a1', { placedAt: at('2023-04-01T10:00:00.000Z') }),
  order('o05', 'a2', { placedAt: at('2023-04-01T10:00:00.000Z'), store: 'UK', currency: 'GBP' }),
  order('o06', 'a1', { placedAt: at('2023-04-01T10:00:00.000Z') }),
  order('o07', 'a2', { placedAt: at('2023-04-01T10:00:00.000Z'), store: 'UK', currency: 'GBP' }),
  order('o08', 'a1', { placedAt: at('2023-04-01T10:00:00.000Z') }),
  order('o09', 'a1', { placedAt: at('2023-05-01T10:00:00.000Z'), status: 'REFUNDED' }),
  order('o10', 'a2', { placedAt: at('2023-06-01T10:00:00.000Z'), store: 'UK', currency: 'GBP' }),
  order('o11', 'a1', { placedAt: at('2023-07-01T10:00:00.000Z') }),
  order('o12', 'a1', { placedAt: at('2023-08-01T10:00:00.000Z') }),
  order('o13', 'a1', {
    placedAt: at('2023-09-01T10:00:00.000Z'),
    status: 'PARTIALLY_REFUNDED',
    subtotal: 30050,
    shippingFee: 499,
    discount: 1000,
    tax: 5000,
    total: 29549,
    refunded: 550,
    pointsEarned: 295,
    pointsRedeemed: 40,
    couponCodes: ['SAVE10', 'GONE'],
    items: [
      { sku: 'SKU-F5', name: 'POCO F5', variant: 'Black 12/256', qty: 2, unitPrice: 12525 },
      { sku: 'SKU-CASE', name: 'Case', variant: null, qty: 1, unitPrice: 5000 },
    ],
    shippingAddress: { name: 'Ada L', line1: '1 Rue X', line2: null, city: 'Paris', postcode: '75001', country: 'FR' },
    shipments: [
      {
        id: 'sh-2',
        carrier: 'DHL',
        trackingNo: 'TRK2',
        status: 'DELIVERED',
        shippedAt: at('2023-09-02T00:00:00.000Z'),
        deliveredAt: at('2023-09-04T00:00:00.000Z'),
        events: [
          { at: at('2023-09-02T00:00:00.000Z'), status: 'picked up', location: 'Paris', desc: null },
          { at: at('2023-09-04T00:00:00.000Z'), status: 'delivered', location: null, desc: 'Left at door' },
        ],
      },
      { id: 'sh-1', carrier: 'UPS', trackingNo: null, status: 'PENDING', shippedAt: null, deliveredAt: null, events: [] },
    ],
  }),
];
const byNewest = ['o13', 'o12', 'o11', 'o10', 'o09', 'o08', 'o07', 'o06', 'o05', 'o04', 'o03', 'o02', 'o01'];

beforeAll(async () => {
  harness = await startHarness('orders');
  const { collections } = harness;
  await collections.accounts.insertMany([
    account('a1', { xiaomiUserId: 'u1', store: 'GLOBAL' }),
    account('a2', { xiaomiUserId: 'u1', store: 'UK' }),
    account('b1', { xiaomiUserId: 'u2' }),
    account('c1', { xiaomiUserId: null }),
  ]);
  await collections.orders.insertMany([
    ...u1Orders,
    order('ob1', 'b1', { placedAt: at('2023-03-03T00:00:00.000Z') }),
    order('oc1', 'c1', { placedAt: at('2023-03-03T00:00:00.000Z') }),
  ]);
  await collections.coupons.insertMany([
    coupon('cp-save10', 'a1', { code: 'SAVE10', store: 'GLOBAL' }),
    // Same code in another store: not the one order o13 (GLOBAL) used.
    coupon('cp-save10-uk', 'a2', { code: 'SAVE10', store: 'UK' }),
  ]);
  await collections.feedback.insertMany([
    feedback('f-b', 'o13', 'a1', { createdAt: at('2023-09-10T00:00:00.000Z') }),
    feedback('f-a', 'o13', 'a1', {
      kind: 'SERVICE_TICKET',
      rating: null,
      sku: null,
      createdAt: at('2023-09-10T00:00:00.000Z'),
      reply: { body: 'Sorry!', at: at('2023-09-11T00:00:00.000Z') },
    }),
    feedback('f-0', 'o13', 'a1', { kind: 'DELIVERY_RATING', rating: 3, sku: null, createdAt: at('2023-09-05T00:00:00.000Z') }),
  ]);
});

afterAll(async () => {
  await harness.close();
});

describe('User.pocoOrders', () => {
  it('merges the orders of every linked store account, newest first with ties by id descending', async () => {
    const result = await harness.run(PAGE_QUERY, { viewer: userViewer('u1'), variables: { id: 'u1', first: 100 } });
    expectNoErrors(result);
    const page = result.data!._entities[0].pocoOrders;
    expect(page.nodes.map((node: { id: string }) => node.id)).toEqual(byNewest);
    expect(page.totalCount).toBe(13);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    expect(page.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(byNewest);
  });

  it('walks every page (size 2, 3, 4) returning each order exactly once, across equal placedAt', async () => {
    for (const size of [2, 3, 4]) {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const result = await harness.run(PAGE_QUERY, {
          viewer: userViewer('u1'),
          variables: { id: 'u1', first: size, after },
        });
        expectNoErrors(result);
        const page = result.data!._entities[0].pocoOrders;
        expect(page.totalCount).toBe(13);
        expect(page.pageInfo.hasPreviousPage).toBe(pages > 0);
        expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
        seen.push(...page.nodes.map((node: { id: string }) => node.id));
        pages += 1;
        if (!page.pageInfo.hasNextPage) break;
        expect(page.nodes).toHaveLength(size);
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(byNewest);
      expect(pages).toBe(Math.ceil(13 / size));
    }
  });

  it('continues after any edge cursor, not just endCursor', async () => {
    const first = await harness.run(PAGE_QUERY, { viewer: userViewer('u1'), variables: { id: 'u1', first: 7 } });
    const sixth = first.data!._entities[0].pocoOrders.edges[5].cursor; // o08, the first of the tied group
    const rest = await harness.run(PAGE_QUERY, { viewer: userViewer('u1'), variables: { id: 'u1', first: 3, after: sixth } });
    expect(rest.data!._entities[0].pocoOrders.nodes.map((node: { id: string }) => node.id)).toEqual(['o07', 'o06', 'o05']);
  });

  it('defaults to 10 per page', async () => {
    const result = await harness.run(PAGE_QUERY, { viewer: userViewer('u1'), variables: { id: 'u1' } });
    expect(result.data!._entities[0].pocoOrders.nodes).toHaveLength(10);
    expect(result.data!._entities[0].pocoOrders.pageInfo.hasNextPage).toBe(true);
  });

  it('filters by status, store, placedAfter (inclusive) and placedBefore (exclusive), totalCount counting the filter', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ status: ['CANCELLED', 'REFUNDED'] }, ['o09', 'o02']],
      [{ store: ['UK'] }, ['o10', 'o07', 'o05', 'o03']],
      [{ placedAfter: '2023-04-01T10:00:00.000Z', placedBefore: '2023-05-01T10:00:00.000Z' }, ['o08', 'o07', 'o06', 'o05', 'o04']],
      [{ placedAfter: '2023-04-01T12:00:00+02:00' }, ['o13', 'o12', 'o11', 'o10', 'o09', 'o08', 'o07', 'o06', 'o05', 'o04']],
      [{ store: ['UK'], status: ['DELIVERED'] }, ['o03']],
      [{ status: [] }, []],
      [{ placedAfter: '2023-06-01T00:00:00Z', placedBefore: '2023-01-01T00:00:00Z' }, []],
    ];
    for (const [filter, expected] of cases) {
      const result = await harness.run(PAGE_QUERY, { viewer: userViewer('u1'), variables: { id: 'u1', first: 100, filter } });
      expectNoErrors(result);
      const page = result.data!._entities[0].pocoOrders;
      expect({ filter, ids: page.nodes.map((node: { id: string }) => node.id) }).toEqual({ filter, ids: expected });
      expect(page.totalCount).toBe(expected.length);
    }
  });

  it('pages a filtered list with its own cursors', async () => {
    const filter = { store: ['UK'] };
    const first = await harness.run(PAGE_QUERY, { viewer: userViewer('u1'), variables: { id: 'u1', first: 2, filter } });
    const after = first.data!._entities[0].pocoOrders.pageInfo.endCursor;
    const second = await harness.run(PAGE_QUERY, { viewer: userViewer('u1'), variables: { id: 'u1', first: 2, filter, after } });
    expect(second.data!._entities[0].pocoOrders.nodes.map((node: { id: string }) => node.id)).toEqual(['o05', 'o03']);
    expect(second.data!._entities[0].pocoOrders.pageInfo.hasNextPage).toBe(false);
  });

  it('is empty, not null, for a user without linked accounts', async () => {
    const result = await harness.run(PAGE_QUERY, { viewer: userViewer('nobody'), variables: { id: 'nobody' } });
    expectNoErrors(result);
    expect(result.data!._entities[0].pocoOrders).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      edges: [],
      nodes: [],
    });
  });

  it.each([0, 101, -1])('rejects first: %p with BAD_USER_INPUT naming `first`', async (first) => {
    const result = await harness.run(PAGE_QUERY, { viewer: userViewer('u1'), variables: { id: 'u1', first } });
    expect(result.data!._entities[0].pocoOrders).toBeNull();
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.argumentName).toBe('first');
    expect(result.errors![0]!.message).toMatch(/first/);
  });

  it('accepts first: 1 and first: 100', async () => {
    for (const first of [1, 100]) {
      const result = await harness.run(PAGE_QUERY, { viewer: userViewer('u1'), variables: { id: 'u1', first } });
      expectNoErrors(result);
      expect(result.data!._entities[0].pocoOrders.nodes).toHaveLength(Math.min(first, 13));
    }
  });

  it('rejects forged, tampered and foreign cursors with BAD_USER_INPUT naming `after`', async () => {
    const own = await harness.run(PAGE_QUERY, { viewer: userViewer('u1'), variables: { id: 'u1', first: 2 } });
    const cursor: string = own.data!._entities[0].pocoOrders.pageInfo.endCursor;
    const u2 = await harness.run(PAGE_QUERY, { viewer: userViewer('u2'), variables: { id: 'u2', first: 1 } });
    const cursorOfU2: string = u2.data!._entities[0].pocoOrders.pageInfo.endCursor;
    const [payload, mac] = cursor.split('.') as [string, string];
    const otherPayload = Buffer.from(`1:${Date.parse('2023-05-01T10:00:00.000Z')}:o09`).toString('base64url');
    const forged = [
      'not-a-cursor',
      '',
      Buffer.from('{"placedAt":"2023-01-01","id":"o05"}').toString('base64'),
      `${otherPayload}.${mac}`, // another position with this signature
      `${payload}.${mac.slice(0, -2)}AA`, // tampered signature
      `${payload}.${mac}.extra`,
      'x'.repeat(5000),
    ];
    const foreign = [
      { variables: { id: 'u1', first: 2, after: cursorOfU2 }, why: "another user's list" },
      { variables: { id: 'u1', first: 2, after: cursor, filter: { store: ['UK'] } }, why: 'the same user with another filter' },
    ];
    for (const after of forged) {
      const result = await harness.run(PAGE_QUERY, { viewer: userViewer('u1'), variables: { id: 'u1', first: 2, after } });
      expect({ after, codes: codesOf(result) }).toEqual({ after, codes: ['BAD_USER_INPUT'] });
      expect(result.errors![0]!.extensions!.argumentName).toBe('after');
    }
    for (const { variables, why } of foreign) {
      const result = await harness.run(PAGE_QUERY, { viewer: userViewer('u1'), variables });
      expect({ why, codes: codesOf(result) }).toEqual({ why, codes: ['BAD_USER_INPUT'] });
      expect(result.errors![0]!.extensions!.argumentName).toBe('after');
    }
  });

  it("rejects the cursor of an account's list on the user's list", async () => {
    const accountPage = await harness.run(
      `query { pocoOrder(id: "o01") { account { orders(first: 1) { pageInfo { endCursor } } } } }`,
      { viewer: userViewer('u1') },
    );
    expectNoErrors(accountPage);
    const accountCursor = accountPage.data!.pocoOrder.account.orders.pageInfo.endCursor;
    const result = await harness.run(PAGE_QUERY, { viewer: userViewer('u1'), variables: { id: 'u1', after: accountCursor } });
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.argumentName).toBe('after');
  });

  it.each([
    ['anonymous', anonymous, 'UNAUTHENTICATED'],
    ['another user', userViewer('u2'), 'FORBIDDEN'],
  ])('is null with %s as the caller (%s), the rest of the response standing', async (_who, viewer, code) => {
    const result = await harness.run(
      `query { _entities(representations: [{ __typename: "User", id: "u1" }]) { ... on User { id pocoOrders { totalCount } } } }`,
      { viewer },
    );
    expect(result.data!._entities[0]).toEqual({ id: 'u1', pocoOrders: null });
    expect(codesOf(result)).toEqual([code]);
  });

  it('is readable by support staff', async () => {
    const result = await harness.run(PAGE_QUERY, { viewer: supportViewer(), variables: { id: 'u1', first: 1 } });
    expectNoErrors(result);
    expect(result.data!._entities[0].pocoOrders.totalCount).toBe(13);
  });
});

describe('PocoOrder fields', () => {
  it('resolves every field of an order from its document', async () => {
    const result = await harness.run(`query { pocoOrder(id: "o13") { ${ORDER_FIELDS} } }`, { viewer: userViewer('u1') });
    expectNoErrors(result);
    expect(result.data!.pocoOrder).toEqual({
      id: 'o13',
      orderNumber: 'NO-o13',
      store: 'GLOBAL',
      placedAt: '2023-09-01T10:00:00.000Z',
      status: 'PARTIALLY_REFUNDED',
      currencyCode: 'EUR',
      account: { id: 'a1', store: 'GLOBAL' },
      user: { id: 'u1' },
      subtotal: { amount: '300.50', currencyCode: 'EUR' },
      shippingFee: { amount: '4.99', currencyCode: 'EUR' },
      discountTotal: { amount: '10.00', currencyCode: 'EUR' },
      taxTotal: { amount: '50.00', currencyCode: 'EUR' },
      total: { amount: '295.49', currencyCode: 'EUR' },
      refundedTotal: { amount: '5.50', currencyCode: 'EUR' },
      pointsEarned: 295,
      pointsRedeemed: 40,
      lineItems: [
        {
          sku: 'SKU-F5',
          product: { sku: 'SKU-F5' },
          productName: 'POCO F5',
          variant: 'Black 12/256',
          quantity: 2,
          unitPrice: { amount: '125.25', currencyCode: 'EUR' },
          lineTotal: { amount: '250.50', currencyCode: 'EUR' },
        },
        {
          sku: 'SKU-CASE',
          product: { sku: 'SKU-CASE' },
          productName: 'Case',
          variant: null,
          quantity: 1,
          unitPrice: { amount: '50.00', currencyCode: 'EUR' },
          lineTotal: { amount: '50.00', currencyCode: 'EUR' },
        },
      ],
      // Export order, not sorted by id.
      shipments: [
        {
          id: 'sh-2',
          carrier: 'DHL',
          trackingNumber: 'TRK2',
          status: 'DELIVERED',
          shippedAt: '2023-09-02T00:00:00.000Z',
          deliveredAt: '2023-09-04T00:00:00.000Z',
          events: [
            { occurredAt: '2023-09-02T00:00:00.000Z', status: 'picked up', location: 'Paris', description: null },
            { occurredAt: '2023-09-04T00:00:00.000Z', status: 'delivered', location: null, description: 'Left at door' },
          ],
        },
        { id: 'sh-1', carrier: 'UPS', trackingNumber: null, status: 'PENDING', shippedAt: null, deliveredAt: null, events: [] },
      ],
      // The GLOBAL store's SAVE10 only; "GONE" names no coupon.
      couponsApplied: [{ id: 'cp-save10', code: 'SAVE10', store: 'GLOBAL' }],
      // Oldest first, ties by id ascending.
      feedback: [
        { id: 'f-0', kind: 'DELIVERY_RATING', rating: 3, title: 'Great', body: 'Works well', sku: null, createdAt: '2023-09-05T00:00:00.000Z', reply: null },
        {
          id: 'f-a',
          kind: 'SERVICE_TICKET',
          rating: null,
          title: 'Great',
          body: 'Works well',
          sku: null,
          createdAt: '2023-09-10T00:00:00.000Z',
          reply: { body: 'Sorry!', repliedAt: '2023-09-11T00:00:00.000Z' },
        },
        { id: 'f-b', kind: 'PRODUCT_REVIEW', rating: 5, title: 'Great', body: 'Works well', sku: 'SKU-1', createdAt: '2023-09-10T00:00:00.000Z', reply: null },
      ],
      shippingAddress: { name: 'Ada L', line1: '1 Rue X', line2: null, city: 'Paris', postalCode: '75001', countryCode: 'FR' },
    });
  });

  it('gives money in the order currency and zero as "0.00"', async () => {
    const result = await harness.run(`query { pocoOrder(id: "o03") { total { amount currencyCode } shippingFee { amount } } }`, {
      viewer: userViewer('u1'),
    });
    expect(result.data!.pocoOrder).toEqual({ total: { amount: '279.00', currencyCode: 'GBP' }, shippingFee: { amount: '0.00' } });
  });

  it('has a null user for an order of an unlinked account (support only)', async () => {
    const result = await harness.run(`query { pocoOrder(id: "oc1") { id user { id } account { id user { id } } } }`, {
      viewer: supportViewer(),
    });
    expectNoErrors(result);
    expect(result.data!.pocoOrder).toEqual({ id: 'oc1', user: null, account: { id: 'c1', user: null } });
  });
});

describe('PocoAccount.orders', () => {
  it('lists only that account, newest first, with its own cursors', async () => {
    const query = `query ($after: String) { pocoOrder(id: "o03") { account { orders(first: 3, after: $after) {
      totalCount nodes { id } pageInfo { hasNextPage endCursor } } } } }`;
    const first = await harness.run(query, { viewer: userViewer('u1') });
    expectNoErrors(first);
    const page = first.data!.pocoOrder.account.orders;
    expect(page.totalCount).toBe(4);
    expect(page.nodes.map((node: { id: string }) => node.id)).toEqual(['o10', 'o07', 'o05']);
    const second = await harness.run(query, { viewer: userViewer('u1'), variables: { after: page.pageInfo.endCursor } });
    expect(second.data!.pocoOrder.account.orders.nodes.map((node: { id: string }) => node.id)).toEqual(['o03']);
    expect(second.data!.pocoOrder.account.orders.pageInfo.hasNextPage).toBe(false);
  });
});

describe('Query.pocoOrder and pocoOrderByNumber', () => {
  const lookups = (id: string, orderNumber: string) =>
    `query { byId: pocoOrder(id: "${id}") { id } byNumber: pocoOrderByNumber(orderNumber: "${orderNumber}") { id } }`;

  it('answers the owner', async () => {
    const result = await harness.run(lookups('o01', 'NO-o02'), { viewer: userViewer('u1') });
    expectNoErrors(result);
    expect(result.data).toEqual({ byId: { id: 'o01' }, byNumber: { id: 'o02' } });
  });

  it('answers null without an error for someone else, exactly as for an order that does not exist', async () => {
    const other = await harness.run(lookups('o01', 'NO-o02'), { viewer: userViewer('u2') });
    const missing = await harness.run(lookups('nope', 'NO-nope'), { viewer: userViewer('u2') });
    expect(other).toEqual({ data: { byId: null, byNumber: null }, errors: undefined });
    expect(missing).toEqual(other);
  });

  it('hides orders of unlinked accounts from users but not from support', async () => {
    const user = await harness.run(lookups('oc1', 'NO-oc1'), { viewer: userViewer('u1') });
    const support = await harness.run(lookups('oc1', 'NO-oc1'), { viewer: supportViewer() });
    expect(user.data).toEqual({ byId: null, byNumber: null });
    expect(support.data).toEqual({ byId: { id: 'oc1' }, byNumber: { id: 'oc1' } });
  });

  it('says UNAUTHENTICATED to an anonymous caller, whether or not the order exists', async () => {
    const existing = await harness.run(lookups('o01', 'NO-o01'), { viewer: anonymous });
    const missing = await harness.run(lookups('zz9', 'NO-zz9'), { viewer: anonymous });
    expect(existing.data).toEqual({ byId: null, byNumber: null });
    expect(codesOf(existing)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(missing).toEqual(existing);
  });

  it('answers null for ids no order can have (empty, huge)', async () => {
    const result = await harness.run(lookups('', 'x'.repeat(10_000)), { viewer: supportViewer() });
    expectNoErrors(result);
    expect(result.data).toEqual({ byId: null, byNumber: null });
  });
});

describe('PocoOrder entity references', () => {
  const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on PocoOrder { id } } }`;

  it('answers one item per representation: readable orders, null for others, in order', async () => {
    const representations = [
      { __typename: 'PocoOrder', id: 'o01' },
      { __typename: 'PocoOrder', id: 'ob1' }, // u2's
      { __typename: 'PocoOrder', id: 'nope' },
      { __typename: 'PocoOrder', id: { $ne: null } },
      { __typename: 'PocoOrder' },
      { __typename: 'PocoOrder', id: ['o01'] },
      { __typename: 'PocoOrder', id: 13 },
      { __typename: 'PocoOrder', id: 'o13' },
    ];
    const result = await harness.run(query, { viewer: userViewer('u1'), variables: { representations } });
    expectNoErrors(result);
    expect(result.data!._entities).toEqual([{ id: 'o01' }, null, null, null, null, null, null, { id: 'o13' }]);
  });
});
