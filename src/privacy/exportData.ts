/**
 * Reads of the personal data export: every collection's documents of a set of
 * accounts as cursors of bounded batches, so a user with 20,000 orders never
 * has more than one batch of them in memory (the writer pulls the next batch
 * only when the previous one was written). Sorted by the database, in the
 * API's orders.
 */
import type { FindCursor } from 'mongodb';
import type { Collections } from '../db/collections';
import type {
  AccountDoc,
  CouponDoc,
  CouponReissueDoc,
  FeedbackDoc,
  OrderDoc,
  PointsBalanceDoc,
  PointsEntryDoc,
  PointsTransferDoc,
} from '../db/documents';

/** Documents per database batch and per written chunk. */
export const EXPORT_BATCH_SIZE = 500;

const batched = { batchSize: EXPORT_BATCH_SIZE };

/** The user's linked accounts, oldest registeredAt first (a handful: read whole). */
export function findAccountsOfUser(collections: Collections, userId: string): Promise<AccountDoc[]> {
  return collections.accounts.find({ xiaomiUserId: userId }).sort({ registeredAt: 1, _id: 1 }).toArray();
}

/** Newest placedAt first, ties by id descending (index by_account_newest). */
export function ordersCursor(collections: Collections, accountIds: readonly string[]): FindCursor<OrderDoc> {
  return collections.orders.find({ accountId: { $in: [...accountIds] } }, batched).sort({ placedAt: -1, _id: -1 });
}

/** Feedback of one batch of orders (index by_order_oldest). */
export function findFeedbackOfOrders(collections: Collections, orderIds: readonly string[]): Promise<FeedbackDoc[]> {
  return collections.feedback.find({ orderId: { $in: [...orderIds] } }).sort({ createdAt: 1, _id: 1 }).toArray();
}

/** Newest first, ties by id descending (index by_account_newest). */
export function ledgerCursor(collections: Collections, accountIds: readonly string[]): FindCursor<PointsEntryDoc> {
  return collections.pointsLedger.find({ accountId: { $in: [...accountIds] } }, batched).sort({ at: -1, _id: -1 });
}

/** At most one per account. */
export function findTransfers(collections: Collections, accountIds: readonly string[]): Promise<PointsTransferDoc[]> {
  return collections.pointsTransfers.find({ _id: { $in: [...accountIds] } }).sort({ transferredAt: 1, _id: 1 }).toArray();
}

export function findBalances(collections: Collections, accountIds: readonly string[]): Promise<PointsBalanceDoc[]> {
  return collections.pointsBalances.find({ _id: { $in: [...accountIds] } }).sort({ _id: 1 }).toArray();
}

/** Newest issuedAt first, ties by id descending (index by_account_newest). */
export function couponsCursor(collections: Collections, accountIds: readonly string[]): FindCursor<CouponDoc> {
  return collections.coupons.find({ accountId: { $in: [...accountIds] } }, batched).sort({ issuedAt: -1, _id: -1 });
}

/** Reissue records of one batch of coupons. */
export function findReissues(collections: Collections, couponIds: readonly string[]): Promise<CouponReissueDoc[]> {
  return collections.couponReissues.find({ _id: { $in: [...couponIds] } }).toArray();
}
