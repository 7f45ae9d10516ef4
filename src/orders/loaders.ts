/** Per-request batching of order reads: by id, by number, pages of orders, feedback. */
import DataLoader from 'dataloader';
import { ignoreBatches, observed, type BatchObserver } from '../shared/batchObserver';
import type { Collections } from '../db/collections';
import type { FeedbackDoc, OrderDoc } from '../db/documents';
import { alignById, groupAligned } from '../shared/align';
import type { KeysetPosition, LoadedPage } from '../shared/cursor';
import { createKeysetPageLoader, type PageKey } from '../shared/keysetPageLoader';
import {
  compareFeedbackOldestFirst,
  countOrdersByAccount,
  findFeedbackOfOrders,
  findOrderKeys,
  findOrderPage,
  findOrdersByIds,
  findOrdersByIdsOrAccounts,
  findOrdersByNumbers,
  hasOrderUpTo,
} from './data';
import { matchesNothing, orderFilterKey, type OrderFilter } from './filter';

/** Whose orders a list shows. */
export type OrderListOwner = { readonly kind: 'user'; readonly id: string } | { readonly kind: 'account'; readonly id: string };

/** The identity of a filtered list: what its cursors are bound to. */
export function orderListId(owner: OrderListOwner, filter: OrderFilter): string {
  return JSON.stringify(['orders', owner.kind, owner.id, orderFilterKey(filter)]);
}

export type OrderPageKey = PageKey<OrderFilter>;

export interface OrderLoaders {
  byId: DataLoader<string, OrderDoc | null>;
  byNumber: DataLoader<string, OrderDoc | null>;
  page: DataLoader<OrderPageKey, LoadedPage<OrderDoc>, string>;
  /** Feedback of an order, oldest first. */
  feedbackOf: DataLoader<string, FeedbackDoc[]>;
}

export function orderPosition(order: OrderDoc): KeysetPosition {
  return { at: order.placedAt, id: order._id };
}

export function createOrderLoaders(collections: Collections, observe: BatchObserver = ignoreBatches): OrderLoaders {
  const byId = new DataLoader<string, OrderDoc | null>(observed(observe, 'orders.byId', async (ids) =>
    alignById(ids, await findOrdersByIds(collections, ids))),
  );

  const byNumber = new DataLoader<string, OrderDoc | null>(observed(observe, 'orders.byNumber', async (numbers) => {
    const docs = await findOrdersByNumbers(collections, numbers);
    for (const doc of docs) byId.prime(doc._id, doc);
    const byNo = new Map(docs.map((doc) => [doc.orderNo, doc]));
    return numbers.map((number) => byNo.get(number) ?? null);
  }));

  const page = createKeysetPageLoader<OrderFilter, OrderDoc>(observe, 'orders.page', {
    filterKey: orderFilterKey,
    matchesNothing,
    countByAccount: (accountIds, filter) => countOrdersByAccount(collections, accountIds, filter),
    findKeys: (accountIds, filter, limit) => findOrderKeys(collections, accountIds, filter, limit),
    findDocuments: (ids, accountIds, filter, limit) => findOrdersByIdsOrAccounts(collections, ids, accountIds, filter, limit),
    idOf: (order) => order._id,
    findPage: (accountIds, filter, after, limit) => findOrderPage(collections, accountIds, filter, after, limit),
    existsUpTo: (accountIds, filter, position) => hasOrderUpTo(collections, accountIds, filter, position),
    positionOf: orderPosition,
    accountOf: (order) => order.accountId,
    onDocument: (order) => byId.prime(order._id, order),
  });

  const feedbackOf = new DataLoader<string, FeedbackDoc[]>(observed(observe, 'orders.feedbackOf', async (orderIds) =>
    groupAligned(
      orderIds,
      (await findFeedbackOfOrders(collections, orderIds)).sort(compareFeedbackOldestFirst),
      (doc) => doc.orderId,
    )),
  );

  return { byId, byNumber, page, feedbackOf };
}
