/**
 * A small, hand-written POCO history for the gateway tests, written straight
 * into a test database as the importer would store it (src/db/documents.ts):
 *
 * - demo-user-1 shopped in two stores (FR in EUR, UK in GBP): three orders,
 *   points in both stores with one transfer, a reissued and an active coupon;
 * - demo-user-2 has one DE account with one order;
 * - an unlinked PL account (never linked to a Xiaomi user) with one order;
 * - xiaomi-user-without-poco exists only in the accounts subgraph.
 */
import type { Db } from 'mongodb';
import { collectionsOf, ensureIndexes } from '../../src/db/collections';
import type {
  AccountDoc,
  CouponDoc,
  CouponReissueDoc,
  OrderDoc,
  PointsBalanceDoc,
  PointsEntryDoc,
  PointsTransferDoc,
} from '../../src/db/documents';

const at = (iso: string) => new Date(iso);

export const ACCOUNTS: AccountDoc[] = [
  {
    _id: 'acc-fr-1',
    store: 'FR',
    email: 'alex@example.com',
    displayName: 'Alex',
    registeredAt: at('2021-02-01T10:00:00.000Z'),
    xiaomiUserId: 'demo-user-1',
    migratedAt: at('2024-12-12T00:00:00.000Z'),
  },
  {
    _id: 'acc-uk-1',
    store: 'UK',
    email: 'alex@example.com',
    displayName: 'Alex',
    registeredAt: at('2022-05-01T10:00:00.000Z'),
    xiaomiUserId: 'demo-user-1',
    migratedAt: at('2024-12-12T00:00:00.000Z'),
  },
  {
    _id: 'acc-de-2',
    store: 'DE',
    email: 'bea@example.com',
    displayName: 'Bea',
    registeredAt: at('2021-06-01T10:00:00.000Z'),
    xiaomiUserId: 'demo-user-2',
    migratedAt: at('2024-12-12T00:00:00.000Z'),
  },
  {
    _id: 'acc-pl-unlinked',
    store: 'PL',
    email: 'ghost@example.com',
    displayName: null,
    registeredAt: at('2020-01-15T10:00:00.000Z'),
    xiaomiUserId: null,
    migratedAt: at('2024-12-12T00:00:00.000Z'),
  },
];

function order(partial: Pick<OrderDoc, '_id' | 'orderNo' | 'accountId' | 'store' | 'placedAt' | 'currency' | 'items'> & Partial<OrderDoc>): OrderDoc {
  const subtotal = partial.items.reduce((sum, item) => sum + item.unitPrice * item.qty, 0);
  const shippingFee = partial.shippingFee ?? 0;
  const discount = partial.discount ?? 0;
  return {
    status: 'COMPLETED',
    subtotal,
    shippingFee,
    discount,
    tax: Math.round((subtotal * 20) / 120),
    total: subtotal + shippingFee - discount,
    refunded: 0,
    pointsEarned: 0,
    pointsRedeemed: 0,
    couponCodes: [],
    shippingAddress: null,
    shipments: [],
    ...partial,
  };
}

export const ORDERS: OrderDoc[] = [
  order({
    _id: 'ord-fr-1',
    orderNo: 'FR-1001',
    accountId: 'acc-fr-1',
    store: 'FR',
    placedAt: at('2021-03-01T09:00:00.000Z'),
    currency: 'EUR',
    items: [{ sku: 'POCO-F3-128', name: 'POCO F3', variant: '128 GB', qty: 1, unitPrice: 34900 }],
    pointsEarned: 349,
  }),
  order({
    _id: 'ord-uk-1',
    orderNo: 'UK-2001',
    accountId: 'acc-uk-1',
    store: 'UK',
    placedAt: at('2023-08-15T12:30:00.000Z'),
    currency: 'GBP',
    items: [
      { sku: 'POCO-X5-256', name: 'POCO X5 Pro', variant: '256 GB', qty: 1, unitPrice: 29900 },
      { sku: 'POCO-CASE', name: 'POCO X5 Case', variant: null, qty: 2, unitPrice: 950 },
    ],
    shippingFee: 499,
    discount: 550,
    couponCodes: ['UKSAVE5'],
  }),
  order({
    _id: 'ord-fr-2',
    orderNo: 'FR-1002',
    accountId: 'acc-fr-1',
    store: 'FR',
    placedAt: at('2022-11-25T08:00:00.000Z'),
    currency: 'EUR',
    status: 'REFUNDED',
    items: [{ sku: 'POCO-BUDS', name: 'POCO Buds Pro', variant: null, qty: 1, unitPrice: 7999 }],
    refunded: 7999,
  }),
  order({
    _id: 'ord-de-2',
    orderNo: 'DE-3001',
    accountId: 'acc-de-2',
    store: 'DE',
    placedAt: at('2022-01-10T15:00:00.000Z'),
    currency: 'EUR',
    items: [{ sku: 'POCO-M4', name: 'POCO M4 Pro', variant: null, qty: 1, unitPrice: 24900 }],
  }),
  order({
    _id: 'ord-pl-unlinked',
    orderNo: 'PL-4001',
    accountId: 'acc-pl-unlinked',
    store: 'PL',
    placedAt: at('2020-02-01T10:00:00.000Z'),
    currency: 'PLN',
    items: [{ sku: 'POCO-X3', name: 'POCO X3 NFC', variant: null, qty: 1, unitPrice: 119900 }],
  }),
];

const entry = (e: PointsEntryDoc): PointsEntryDoc => e;
export const LEDGER: PointsEntryDoc[] = [
  entry({ _id: 'pe-1', accountId: 'acc-fr-1', store: 'FR', at: at('2021-03-05T00:00:00.000Z'), type: 'EARNED', points: 349, balanceAfter: 349, orderId: 'ord-fr-1', note: null }),
  entry({ _id: 'pe-2', accountId: 'acc-fr-1', store: 'FR', at: at('2022-03-05T00:00:00.000Z'), type: 'EXPIRED', points: -49, balanceAfter: 300, orderId: null, note: 'yearly expiry' }),
  entry({ _id: 'pe-3', accountId: 'acc-fr-1', store: 'FR', at: at('2024-12-12T00:00:00.000Z'), type: 'TRANSFERRED', points: -300, balanceAfter: 0, orderId: null, note: null }),
  entry({ _id: 'pe-4', accountId: 'acc-uk-1', store: 'UK', at: at('2023-08-20T00:00:00.000Z'), type: 'EARNED', points: 120, balanceAfter: 120, orderId: 'ord-uk-1', note: null }),
  entry({ _id: 'pe-5', accountId: 'acc-uk-1', store: 'UK', at: at('2023-09-01T00:00:00.000Z'), type: 'REDEEMED', points: -20, balanceAfter: 100, orderId: null, note: null }),
];

export const BALANCES: PointsBalanceDoc[] = [
  { _id: 'acc-fr-1', balance: 0, earned: 349, redeemed: 0, expired: 49 },
  { _id: 'acc-uk-1', balance: 100, earned: 120, redeemed: 20, expired: 0 },
];

export const TRANSFERS: PointsTransferDoc[] = [
  {
    _id: 'acc-fr-1',
    store: 'FR',
    pocoPoints: 300,
    miPoints: 450,
    rate: '1.5',
    transferredAt: at('2024-12-12T00:00:00.000Z'),
    miLoyaltyAccountId: 'mi-loyalty-1',
  },
];

export const COUPONS: CouponDoc[] = [
  {
    _id: 'cp-fr-1',
    code: 'FRWELCOME10',
    accountId: 'acc-fr-1',
    store: 'FR',
    title: 'Welcome 10%',
    kind: 'PERCENTAGE',
    amountOff: null,
    percentOff: '10',
    currency: null,
    minSpend: null,
    issuedAt: at('2021-02-01T10:00:00.000Z'),
    validFrom: at('2021-02-01T10:00:00.000Z'),
    validUntil: at('2025-12-31T23:59:59.000Z'),
    exportStatus: 'UNUSED',
    usedAt: null,
    usedOrderId: null,
  },
  {
    _id: 'cp-uk-1',
    code: 'UKSAVE5',
    accountId: 'acc-uk-1',
    store: 'UK',
    title: '£5.50 off',
    kind: 'FIXED_AMOUNT',
    amountOff: 550,
    percentOff: null,
    currency: 'GBP',
    minSpend: 10000,
    issuedAt: at('2023-08-01T10:00:00.000Z'),
    validFrom: at('2023-08-01T10:00:00.000Z'),
    validUntil: at('2099-12-31T23:59:59.000Z'),
    exportStatus: 'USED',
    usedAt: at('2023-08-15T12:30:00.000Z'),
    usedOrderId: 'ord-uk-1',
  },
  {
    _id: 'cp-uk-2',
    code: 'UKFREESHIP',
    accountId: 'acc-uk-1',
    store: 'UK',
    title: 'Free shipping',
    kind: 'FREE_SHIPPING',
    amountOff: null,
    percentOff: null,
    currency: null,
    minSpend: null,
    issuedAt: at('2024-01-01T10:00:00.000Z'),
    validFrom: at('2024-01-01T10:00:00.000Z'),
    validUntil: at('2099-12-31T23:59:59.000Z'),
    exportStatus: 'UNUSED',
    usedAt: null,
    usedOrderId: null,
  },
];

export const REISSUES: CouponReissueDoc[] = [
  {
    _id: 'cp-fr-1',
    xiaomiCouponId: 'mi-cp-77',
    xiaomiCouponCode: 'MI-FR-WELCOME-77',
    reissuedAt: at('2024-12-12T00:00:00.000Z'),
    validUntil: at('2025-12-31T23:59:59.000Z'),
  },
];

/** Writes the fixture into `db` (a fresh test database), with the service's indexes. */
export async function writeFixture(db: Db): Promise<void> {
  await ensureIndexes(db);
  const c = collectionsOf(db);
  await c.accounts.insertMany(ACCOUNTS);
  await c.orders.insertMany(ORDERS);
  await c.pointsLedger.insertMany(LEDGER);
  await c.pointsBalances.insertMany(BALANCES);
  await c.pointsTransfers.insertMany(TRANSFERS);
  await c.coupons.insertMany(COUPONS);
  await c.couponReissues.insertMany(REISSUES);
}
