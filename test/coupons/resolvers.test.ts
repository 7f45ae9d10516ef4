import { account, at, coupon, order, reissue } from '../resolvers/fixtures';
import { anonymous, codesOf, expectNoErrors, startHarness, supportViewer, userViewer, type Harness } from '../resolvers/harness';

let harness: Harness;

const COUPONS = `query ($id: ID!, $status: [PocoCouponStatus!]) {
  _entities(representations: [{ __typename: "User", id: $id }]) { ... on User { pocoCoupons(status: $status) {
    id code title store discountKind amountOff { amount currencyCode } percentOff minimumSpend { amount currencyCode }
    issuedAt validFrom validUntil status redeemedAt redeemedOrder { id }
    reissue { xiaomiCouponId xiaomiCouponCode reissuedAt validUntil }
  } } } }`;

const NOW = at('2025-06-01T00:00:00.000Z');

beforeAll(async () => {
  harness = await startHarness('coupons');
  const { collections } = harness;
  await collections.accounts.insertMany([
    account('ca-g', { xiaomiUserId: 'u1', store: 'GLOBAL' }),
    account('ca-u', { xiaomiUserId: 'u1', store: 'UK' }),
    account('cb', { xiaomiUserId: 'u2', store: 'UK' }),
    account('cc', { xiaomiUserId: null, store: 'DE' }),
  ]);
  await collections.orders.insertMany([order('co-1', 'ca-g'), order('co-2', 'ca-g', { couponCodes: ['WELCOME', 'FREESHIP'] })]);
  await collections.coupons.insertMany([
    coupon('k-active', 'ca-g', {
      code: 'WELCOME',
      issuedAt: at('2024-01-01T00:00:00.000Z'),
      validUntil: at('2025-06-01T00:00:00.000Z'), // exactly now: still usable
      minSpend: 5000,
    }),
    coupon('k-expired-by-time', 'ca-g', {
      code: 'OLD',
      issuedAt: at('2023-06-01T00:00:00.000Z'),
      validUntil: at('2025-05-31T23:59:59.999Z'),
    }),
    coupon('k-expired-export', 'ca-u', {
      code: 'GONE',
      store: 'UK',
      currency: 'GBP',
      exportStatus: 'EXPIRED',
      issuedAt: at('2023-06-01T00:00:00.000Z'), // same issuedAt as k-expired-by-time: ties by id descending
    }),
    coupon('k-used', 'ca-g', {
      code: 'FREESHIP',
      kind: 'FREE_SHIPPING',
      amountOff: null,
      currency: null,
      exportStatus: 'USED',
      usedAt: at('2023-03-01T00:00:00.000Z'),
      usedOrderId: 'co-2',
      issuedAt: at('2023-02-01T00:00:00.000Z'),
    }),
    coupon('k-void', 'ca-u', {
      code: 'VOIDED',
      store: 'UK',
      kind: 'PERCENTAGE',
      amountOff: null,
      percentOff: '012.500', // not canonical as stored: canonical on the wire
      currency: 'GBP',
      minSpend: 2000,
      exportStatus: 'VOID',
      issuedAt: at('2022-01-01T00:00:00.000Z'),
    }),
    coupon('k-reissued', 'ca-u', {
      code: 'MOVED',
      store: 'UK',
      currency: 'GBP',
      exportStatus: 'USED', // a reissue record wins over everything
      issuedAt: at('2021-01-01T00:00:00.000Z'),
    }),
    // The same code in two stores, of two owners.
    coupon('k-welcome-uk', 'cb', { code: 'WELCOME', store: 'UK', currency: 'GBP', issuedAt: at('2024-06-01T00:00:00.000Z') }),
    coupon('k-unlinked', 'cc', { code: 'LONELY', store: 'DE' }),
  ]);
  await collections.couponReissues.insertMany([
    reissue('k-reissued', { reissuedAt: at('2024-12-12T00:00:00.000Z'), validUntil: at('2025-12-31T00:00:00.000Z') }),
  ]);
});

afterAll(async () => {
  await harness.close();
});

describe('User.pocoCoupons', () => {
  it('lists every coupon of every linked account, newest issuedAt first (ties by id descending), with derived statuses', async () => {
    const result = await harness.run(COUPONS, { viewer: userViewer('u1'), variables: { id: 'u1' }, now: NOW });
    expectNoErrors(result);
    const coupons = result.data!._entities[0].pocoCoupons;
    expect(coupons.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      ['k-active', 'ACTIVE'],
      ['k-expired-export', 'EXPIRED'],
      ['k-expired-by-time', 'EXPIRED'],
      ['k-used', 'REDEEMED'],
      ['k-void', 'VOIDED'],
      ['k-reissued', 'REISSUED'],
    ]);
  });

  it('resolves every field: money, percent, dates, redemption and reissue', async () => {
    const result = await harness.run(COUPONS, { viewer: userViewer('u1'), variables: { id: 'u1' }, now: NOW });
    const byId = new Map(result.data!._entities[0].pocoCoupons.map((c: { id: string }) => [c.id, c]));
    expect(byId.get('k-active')).toEqual({
      id: 'k-active',
      code: 'WELCOME',
      title: 'Coupon k-active',
      store: 'GLOBAL',
      discountKind: 'FIXED_AMOUNT',
      amountOff: { amount: '10.00', currencyCode: 'EUR' },
      percentOff: null,
      minimumSpend: { amount: '50.00', currencyCode: 'EUR' },
      issuedAt: '2024-01-01T00:00:00.000Z',
      validFrom: '2023-01-01T00:00:00.000Z',
      validUntil: '2025-06-01T00:00:00.000Z',
      status: 'ACTIVE',
      redeemedAt: null,
      redeemedOrder: null,
      reissue: null,
    });
    expect(byId.get('k-void')).toMatchObject({
      discountKind: 'PERCENTAGE',
      amountOff: null,
      percentOff: '12.5',
      minimumSpend: { amount: '20.00', currencyCode: 'GBP' },
    });
    expect(byId.get('k-used')).toMatchObject({
      discountKind: 'FREE_SHIPPING',
      amountOff: null,
      minimumSpend: null,
      redeemedAt: '2023-03-01T00:00:00.000Z',
      redeemedOrder: { id: 'co-2' },
    });
    expect(byId.get('k-reissued')).toMatchObject({
      reissue: {
        xiaomiCouponId: 'MI-k-reissued',
        xiaomiCouponCode: 'MICODE-k-reissued',
        reissuedAt: '2024-12-12T00:00:00.000Z',
        validUntil: '2025-12-31T00:00:00.000Z',
      },
    });
  });

  it('derives EXPIRED from the request time', async () => {
    const before = await harness.run(COUPONS, { viewer: userViewer('u1'), variables: { id: 'u1', status: ['ACTIVE'] }, now: at('2025-01-01T00:00:00.000Z') });
    const after = await harness.run(COUPONS, { viewer: userViewer('u1'), variables: { id: 'u1', status: ['ACTIVE'] }, now: at('2025-06-01T00:00:00.001Z') });
    expect(before.data!._entities[0].pocoCoupons.map((c: { id: string }) => c.id)).toEqual(['k-active', 'k-expired-by-time']);
    expect(after.data!._entities[0].pocoCoupons).toEqual([]);
  });

  it('filters on the derived status', async () => {
    const cases: [string[], string[]][] = [
      [['EXPIRED'], ['k-expired-export', 'k-expired-by-time']],
      [['REDEEMED', 'REISSUED'], ['k-used', 'k-reissued']],
      [['VOIDED'], ['k-void']],
      [[], []],
    ];
    for (const [status, expected] of cases) {
      const result = await harness.run(COUPONS, { viewer: userViewer('u1'), variables: { id: 'u1', status }, now: NOW });
      expectNoErrors(result);
      expect({ status, ids: result.data!._entities[0].pocoCoupons.map((c: { id: string }) => c.id) }).toEqual({ status, ids: expected });
    }
  });

  it('is [] for a user without linked accounts', async () => {
    const result = await harness.run(COUPONS, { viewer: userViewer('u9'), variables: { id: 'u9' } });
    expectNoErrors(result);
    expect(result.data!._entities[0].pocoCoupons).toEqual([]);
  });

  it.each([
    ['anonymous', anonymous, 'UNAUTHENTICATED'],
    ['another user', userViewer('u2'), 'FORBIDDEN'],
  ])('is null for %s with the error code', async (_who, viewer, code) => {
    const result = await harness.run(COUPONS, { viewer, variables: { id: 'u1' } });
    expect(result.data!._entities[0].pocoCoupons).toBeNull();
    expect(codesOf(result)).toEqual([code]);
  });
});

describe('PocoOrder.couponsApplied', () => {
  it("lists the coupons of the order's store whose codes the order used, in the order's code order", async () => {
    const result = await harness.run(`query { pocoOrder(id: "co-2") { couponsApplied { id code store status } } }`, {
      viewer: userViewer('u1'),
      now: NOW,
    });
    expectNoErrors(result);
    // WELCOME exists in GLOBAL (this order's store) and UK (someone else's): only GLOBAL's applies.
    expect(result.data!.pocoOrder.couponsApplied).toEqual([
      { id: 'k-active', code: 'WELCOME', store: 'GLOBAL', status: 'ACTIVE' },
      { id: 'k-used', code: 'FREESHIP', store: 'GLOBAL', status: 'REDEEMED' },
    ]);
  });

  it('is [] for an order without codes', async () => {
    const result = await harness.run(`query { pocoOrder(id: "co-1") { couponsApplied { id } } }`, { viewer: userViewer('u1') });
    expect(result.data!.pocoOrder.couponsApplied).toEqual([]);
  });
});

describe('Query.pocoCouponByCode', () => {
  const BY_CODE = `query ($code: String!) { pocoCouponByCode(code: $code) { id store } }`;

  it("answers each owner with their own store's coupon when stores share a code", async () => {
    const u1 = await harness.run(BY_CODE, { viewer: userViewer('u1'), variables: { code: 'WELCOME' } });
    const u2 = await harness.run(BY_CODE, { viewer: userViewer('u2'), variables: { code: 'WELCOME' } });
    expect(u1.data!.pocoCouponByCode).toEqual({ id: 'k-active', store: 'GLOBAL' });
    expect(u2.data!.pocoCouponByCode).toEqual({ id: 'k-welcome-uk', store: 'UK' });
  });

  it('answers support with the newest coupon of the code', async () => {
    const result = await harness.run(BY_CODE, { viewer: supportViewer(), variables: { code: 'WELCOME' } });
    expect(result.data!.pocoCouponByCode).toEqual({ id: 'k-welcome-uk', store: 'UK' });
  });

  it('answers null without an error for a code of someone else, an unlinked account, or nobody', async () => {
    for (const code of ['VOIDED', 'LONELY', 'NO-SUCH-CODE', '', 'x'.repeat(5000)]) {
      const result = await harness.run(BY_CODE, { viewer: userViewer('u2'), variables: { code } });
      expect({ code: code.slice(0, 20), result }).toEqual({ code: code.slice(0, 20), result: { data: { pocoCouponByCode: null }, errors: undefined } });
    }
  });

  it('answers support for a coupon of an unlinked account', async () => {
    const result = await harness.run(BY_CODE, { viewer: supportViewer(), variables: { code: 'LONELY' } });
    expect(result.data!.pocoCouponByCode).toEqual({ id: 'k-unlinked', store: 'DE' });
  });

  it('says UNAUTHENTICATED to an anonymous caller', async () => {
    const result = await harness.run(BY_CODE, { viewer: anonymous, variables: { code: 'WELCOME' } });
    expect(result.data!.pocoCouponByCode).toBeNull();
    expect(codesOf(result)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('PocoCoupon entity references', () => {
  it('answers readable coupons and null for the rest, item by item', async () => {
    const result = await harness.run(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on PocoCoupon { id status } } }`,
      {
        viewer: userViewer('u1'),
        now: NOW,
        variables: {
          r: [
            { __typename: 'PocoCoupon', id: 'k-reissued' },
            { __typename: 'PocoCoupon', id: 'k-welcome-uk' },
            { __typename: 'PocoCoupon', id: { $gt: '' } },
            { __typename: 'PocoCoupon', id: 'k-unlinked' },
            { __typename: 'PocoCoupon', id: 'k-used' },
          ],
        },
      },
    );
    expectNoErrors(result);
    expect(result.data!._entities).toEqual([{ id: 'k-reissued', status: 'REISSUED' }, null, null, null, { id: 'k-used', status: 'REDEEMED' }]);
  });
});

describe("links into another customer's data", () => {
  // u5 used a code issued to u6 (a shared code) on u5's order; u5's own coupon names u6's order as redeemed on.
  beforeAll(async () => {
    const { collections } = harness;
    await collections.accounts.insertMany([
      account('x5', { xiaomiUserId: 'u5', store: 'IT' }),
      account('x6', { xiaomiUserId: 'u6', store: 'IT' }),
    ]);
    await collections.orders.insertMany([
      order('xo5', 'x5', { store: 'IT', couponCodes: ['FRIEND', 'MINE'] }),
      order('xo6', 'x6', { store: 'IT' }),
    ]);
    await collections.coupons.insertMany([
      coupon('k-friend', 'x6', { code: 'FRIEND', store: 'IT', exportStatus: 'USED', usedOrderId: 'xo5' }),
      coupon('k-mine', 'x5', { code: 'MINE', store: 'IT', exportStatus: 'USED', usedOrderId: 'xo6' }),
    ]);
    await collections.couponReissues.insertMany([reissue('k-friend')]);
  });

  const QUERY = `query { pocoOrder(id: "xo5") { couponsApplied { id redeemedOrder { id } reissue { xiaomiCouponCode } } } }`;

  it("lists only the coupons the viewer may read, and no order of someone else's", async () => {
    const result = await harness.run(QUERY, { viewer: userViewer('u5') });
    expectNoErrors(result);
    expect(result.data!.pocoOrder.couponsApplied).toEqual([{ id: 'k-mine', redeemedOrder: null, reissue: null }]);
  });

  it('shows support everything', async () => {
    const result = await harness.run(QUERY, { viewer: supportViewer() });
    expectNoErrors(result);
    expect(result.data!.pocoOrder.couponsApplied).toEqual([
      { id: 'k-friend', redeemedOrder: { id: 'xo5' }, reissue: { xiaomiCouponCode: 'MICODE-k-friend' } },
      { id: 'k-mine', redeemedOrder: { id: 'xo6' }, reissue: null },
    ]);
  });
});
