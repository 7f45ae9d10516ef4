/** Hand-made documents in the shape the importer writes (src/db/documents.ts), with overridable defaults. */
import type {
  AccountDoc,
  CouponDoc,
  CouponReissueDoc,
  FeedbackDoc,
  OrderDoc,
  PointsBalanceDoc,
  PointsEntryDoc,
  PointsTransferDoc,
} from '../../src/db/documents';

export const at = (iso: string): Date => new Date(iso);

export function account(id: string, overrides: Partial<AccountDoc> = {}): AccountDoc {
  return {
    _id: id,
    store: 'GLOBAL',
    email: `${id.toLowerCase()}@example.com`,
    displayName: `Name of ${id}`,
    registeredAt: at('2020-01-01T00:00:00.000Z'),
    xiaomiUserId: null,
    migratedAt: at('2024-12-01T00:00:00.000Z'),
    ...overrides,
  };
}

export function order(id: string, accountId: string, overrides: Partial<OrderDoc> = {}): OrderDoc {
  return {
    _id: id,
    orderNo: `NO-${id}`,
    accountId,
    store: 'GLOBAL',
    placedAt: at('2023-01-01T00:00:00.000Z'),
    status: 'COMPLETED',
    currency: 'EUR',
    subtotal: 27900,
    shippingFee: 0,
    discount: 0,
    tax: 4845,
    total: 27900,
    refunded: 0,
    pointsEarned: 279,
    pointsRedeemed: 0,
    couponCodes: [],
    items: [{ sku: 'SKU-1', name: 'POCO F5', variant: null, qty: 1, unitPrice: 27900 }],
    shippingAddress: null,
    shipments: [],
    ...overrides,
  };
}

export function feedback(id: string, orderId: string, accountId: string, overrides: Partial<FeedbackDoc> = {}): FeedbackDoc {
  return {
    _id: id,
    accountId,
    orderId,
    kind: 'PRODUCT_REVIEW',
    rating: 5,
    title: 'Great',
    body: 'Works well',
    sku: 'SKU-1',
    createdAt: at('2023-02-01T00:00:00.000Z'),
    reply: null,
    ...overrides,
  };
}

export function entry(id: string, accountId: string, overrides: Partial<PointsEntryDoc> = {}): PointsEntryDoc {
  return {
    _id: id,
    accountId,
    store: 'GLOBAL',
    at: at('2023-01-01T00:00:00.000Z'),
    type: 'EARNED',
    points: 100,
    balanceAfter: 100,
    orderId: null,
    note: null,
    ...overrides,
  };
}

export function balance(accountId: string, overrides: Partial<PointsBalanceDoc> = {}): PointsBalanceDoc {
  return { _id: accountId, balance: 0, earned: 0, redeemed: 0, expired: 0, ...overrides };
}

export function transfer(accountId: string, overrides: Partial<PointsTransferDoc> = {}): PointsTransferDoc {
  return {
    _id: accountId,
    store: 'GLOBAL',
    pocoPoints: 100,
    miPoints: 50,
    rate: '0.5',
    transferredAt: at('2024-12-12T00:00:00.000Z'),
    miLoyaltyAccountId: null,
    ...overrides,
  };
}

export function coupon(id: string, accountId: string, overrides: Partial<CouponDoc> = {}): CouponDoc {
  return {
    _id: id,
    code: `CODE-${id}`,
    accountId,
    store: 'GLOBAL',
    title: `Coupon ${id}`,
    kind: 'FIXED_AMOUNT',
    amountOff: 1000,
    percentOff: null,
    currency: 'EUR',
    minSpend: null,
    issuedAt: at('2023-01-01T00:00:00.000Z'),
    validFrom: at('2023-01-01T00:00:00.000Z'),
    validUntil: at('2030-01-01T00:00:00.000Z'),
    exportStatus: 'UNUSED',
    usedAt: null,
    usedOrderId: null,
    ...overrides,
  };
}

export function reissue(couponId: string, overrides: Partial<CouponReissueDoc> = {}): CouponReissueDoc {
  return {
    _id: couponId,
    xiaomiCouponId: `MI-${couponId}`,
    xiaomiCouponCode: `MICODE-${couponId}`,
    reissuedAt: at('2024-12-12T00:00:00.000Z'),
    validUntil: null,
    ...overrides,
  };
}
