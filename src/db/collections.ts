/**
 * Collection names, typed accessors and the indexes the API's reads need.
 *
 * Every index here is plain ascending/descending (compound or unique): both
 * MongoDB 6+ and FerretDB 1.24 build them, and createIndexes is idempotent, so
 * the service and the importer both call ensureIndexes at start-up.
 */
import type { Collection, Db, IndexDescription } from 'mongodb';
import type {
  AccountDoc,
  CouponDoc,
  CouponReissueDoc,
  FeedbackDoc,
  OrderDoc,
  PointsBalanceDoc,
  PointsEntryDoc,
  PointsTransferDoc,
} from './documents';

export interface Collections {
  accounts: Collection<AccountDoc>;
  orders: Collection<OrderDoc>;
  feedback: Collection<FeedbackDoc>;
  pointsLedger: Collection<PointsEntryDoc>;
  pointsTransfers: Collection<PointsTransferDoc>;
  pointsBalances: Collection<PointsBalanceDoc>;
  coupons: Collection<CouponDoc>;
  couponReissues: Collection<CouponReissueDoc>;
}

export const COLLECTION_NAMES: { readonly [K in keyof Collections]: string } = {
  accounts: 'accounts',
  orders: 'orders',
  feedback: 'feedback',
  pointsLedger: 'points_ledger',
  pointsTransfers: 'points_transfers',
  pointsBalances: 'points_balances',
  coupons: 'coupons',
  couponReissues: 'coupon_reissues',
};

export function collectionsOf(db: Db): Collections {
  return {
    accounts: db.collection<AccountDoc>(COLLECTION_NAMES.accounts),
    orders: db.collection<OrderDoc>(COLLECTION_NAMES.orders),
    feedback: db.collection<FeedbackDoc>(COLLECTION_NAMES.feedback),
    pointsLedger: db.collection<PointsEntryDoc>(COLLECTION_NAMES.pointsLedger),
    pointsTransfers: db.collection<PointsTransferDoc>(COLLECTION_NAMES.pointsTransfers),
    pointsBalances: db.collection<PointsBalanceDoc>(COLLECTION_NAMES.pointsBalances),
    coupons: db.collection<CouponDoc>(COLLECTION_NAMES.coupons),
    couponReissues: db.collection<CouponReissueDoc>(COLLECTION_NAMES.couponReissues),
  };
}

/** Each index exists for a named read; keep the reason next to it. */
export const INDEXES: { readonly [K in keyof Collections]: IndexDescription[] } = {
  accounts: [
    // User.pocoAccounts / every per-user read starts here: accounts of a set of Xiaomi users, oldest first.
    { key: { xiaomiUserId: 1, registeredAt: 1, _id: 1 }, name: 'by_user' },
    // pocoAccountsByEmail.
    { key: { email: 1 }, name: 'by_email' },
  ],
  orders: [
    // pocoOrderByNumber, and the importer's duplicate_order_no check.
    { key: { orderNo: 1 }, name: 'by_order_no', unique: true },
    // Orders of a set of accounts, newest first, keyset on (placedAt, _id).
    { key: { accountId: 1, placedAt: -1, _id: -1 }, name: 'by_account_newest' },
    // pocoOrdersByTrackingNumber: multikey over the shipments' (trimmed) tracking numbers, in the
    // answer's order (newest placedAt first, ties by id descending), so the match and the sort
    // come from the index; the few matches of a number are then filtered by account for users.
    { key: { 'shipments.trackingNo': 1, placedAt: -1, _id: -1 }, name: 'by_tracking_no' },
  ],
  feedback: [
    // PocoOrder.feedback, oldest first.
    { key: { orderId: 1, createdAt: 1, _id: 1 }, name: 'by_order_oldest' },
  ],
  pointsLedger: [
    // Points history of a set of accounts, newest first, keyset on (at, _id).
    { key: { accountId: 1, at: -1, _id: -1 }, name: 'by_account_newest' },
  ],
  pointsTransfers: [],
  pointsBalances: [],
  coupons: [
    // pocoCouponByCode and the importer's duplicate_coupon_code check (unique within a store).
    { key: { code: 1, store: 1 }, name: 'by_code_store', unique: true },
    // Coupons of a set of accounts, newest issuedAt first.
    { key: { accountId: 1, issuedAt: -1, _id: -1 }, name: 'by_account_newest' },
  ],
  couponReissues: [],
};

/** Creates every index; a no-op when they already exist. */
export async function ensureIndexes(db: Db): Promise<void> {
  const collections = collectionsOf(db);
  // One index per call: FerretDB 1.24 (SQLite) drops the connection when one
  // createIndexes call names several indexes that already exist (a restarted
  // local database with data). Index creation is rare; the cost is nil.
  for (const name of Object.keys(INDEXES) as (keyof Collections)[]) {
    for (const index of INDEXES[name]) await collections[name].createIndexes([index]);
  }
}
