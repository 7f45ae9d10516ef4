/** Reads of the `orders` and `feedback` collections. */
import type { Filter } from 'mongodb';
import type { Collections } from '../db/collections';
import type { FeedbackDoc, OrderDoc } from '../db/documents';
import type { KeysetPosition } from '../shared/cursor';
import type { ListItemKey } from '../shared/keysetPageLoader';
import { afterPosition, andAlso, newestFirstSort, upToPosition } from '../shared/keysetQuery';
import { uniqueKeyLookup, WHOLE_RESULT } from '../shared/queryOptions';
import { orderQuery, type OrderFilter } from './filter';

/**
 * How many orders of each account match the filter: one row per account that
 * has any (index by_account_newest covers accountId and placedAt).
 */
export async function countOrdersByAccount(
  collections: Collections,
  accountIds: readonly string[],
  filter: OrderFilter,
): Promise<Map<string, number>> {
  const rows = await collections.orders
    .aggregate<{ _id: string; n: number }>(
      [{ $match: orderQuery(accountIds, filter) }, { $group: { _id: '$accountId', n: { $sum: 1 } } }],
      WHOLE_RESULT,
    )
    .toArray();
  return new Map(rows.map((row) => [row._id, row.n]));
}

/**
 * In one read: the orders with these ids (pages paged on their keys) and every
 * order of `accountIds` matching the filter (accounts known to hold at most a page).
 */
export function findOrdersByIdsOrAccounts(
  collections: Collections,
  ids: readonly string[],
  accountIds: readonly string[],
  filter: OrderFilter,
  limit: number,
): Promise<OrderDoc[]> {
  if (accountIds.length === 0) return findOrdersByIds(collections, ids);
  const ofAccounts = orderQuery(accountIds, filter);
  const query: Filter<OrderDoc> = ids.length === 0 ? ofAccounts : { $or: [{ _id: { $in: [...new Set(ids)] } }, ofAccounts] };
  return collections.orders.find(query, { ...WHOLE_RESULT, limit }).toArray();
}

/**
 * The sort keys of every order of these accounts matching the filter (accounts
 * known to hold few; index by_account_newest). Only three small fields leave
 * the database; the pages' documents are read afterwards by id.
 */
export async function findOrderKeys(
  collections: Collections,
  accountIds: readonly string[],
  filter: OrderFilter,
  limit: number,
): Promise<ListItemKey[]> {
  const docs = await collections.orders
    .find(orderQuery(accountIds, filter), { ...WHOLE_RESULT, limit, projection: { _id: 1, accountId: 1, placedAt: 1 } })
    .toArray();
  return docs.map((doc) => ({ id: doc._id, accountId: doc.accountId, at: doc.placedAt }));
}

/** The newest `limit` matching orders strictly after `after` (index by_account_newest). */
export function findOrderPage(
  collections: Collections,
  accountIds: readonly string[],
  filter: OrderFilter,
  after: KeysetPosition | null,
  limit: number,
): Promise<OrderDoc[]> {
  return collections.orders
    .find(andAlso(orderQuery(accountIds, filter), after === null ? null : afterPosition('placedAt', after)), {
      sort: newestFirstSort('placedAt'),
      limit,
      batchSize: limit,
    })
    .toArray();
}

/** Whether a matching order sits at `position` or before it (newer). */
export async function hasOrderUpTo(
  collections: Collections,
  accountIds: readonly string[],
  filter: OrderFilter,
  position: KeysetPosition,
): Promise<boolean> {
  const found = await collections.orders
    .find(andAlso(orderQuery(accountIds, filter), upToPosition('placedAt', position)), { limit: 1, projection: { _id: 1 } })
    .toArray();
  return found.length > 0;
}

export function findOrdersByIds(collections: Collections, ids: readonly string[]): Promise<OrderDoc[]> {
  const lookup = uniqueKeyLookup(ids);
  return collections.orders.find({ _id: lookup.value }, lookup.options).toArray();
}

export function findOrdersByNumbers(collections: Collections, orderNumbers: readonly string[]): Promise<OrderDoc[]> {
  // orderNo is unique (index by_order_no).
  const lookup = uniqueKeyLookup(orderNumbers);
  return collections.orders.find({ orderNo: lookup.value }, lookup.options).toArray();
}

/** Feedback of these orders (index by_order_oldest). */
export function findFeedbackOfOrders(collections: Collections, orderIds: readonly string[]): Promise<FeedbackDoc[]> {
  return collections.feedback.find({ orderId: { $in: [...orderIds] } }, WHOLE_RESULT).toArray();
}

/** Oldest createdAt first, ties by id ascending (api.md). */
export function compareFeedbackOldestFirst(a: FeedbackDoc, b: FeedbackDoc): number {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}
