/** Reads of the `orders` and `feedback` collections. */
import type { Collections } from '../db/collections';
import type { FeedbackDoc, OrderDoc } from '../db/documents';
import type { ListItemKey } from '../shared/keysetPageLoader';
import { uniqueKeyLookup, WHOLE_RESULT } from '../shared/queryOptions';
import { orderQuery, type OrderFilter } from './filter';

/**
 * The sort keys of every order of these accounts matching the filter (index
 * by_account_newest). Only three small fields leave the database; the page's
 * documents are read afterwards by id.
 */
export async function findOrderKeys(
  collections: Collections,
  accountIds: readonly string[],
  filter: OrderFilter,
): Promise<ListItemKey[]> {
  const docs = await collections.orders
    .find(orderQuery(accountIds, filter), { ...WHOLE_RESULT, projection: { _id: 1, accountId: 1, placedAt: 1 } })
    .toArray();
  return docs.map((doc) => ({ id: doc._id, accountId: doc.accountId, at: doc.placedAt }));
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
