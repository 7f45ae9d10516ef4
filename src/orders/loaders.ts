/** Per-request batching of order reads: by id, by number, pages of orders, feedback. */
import DataLoader from 'dataloader';
import type { Collections } from '../db/collections';
import type { FeedbackDoc, OrderDoc } from '../db/documents';
import { alignById, groupAligned } from '../shared/align';
import { slicePage, type KeysetPosition, type LoadedPage, type PageRequest } from '../shared/cursor';
import {
  compareFeedbackOldestFirst,
  findFeedbackOfOrders,
  findOrderKeys,
  findOrdersByIds,
  findOrdersByNumbers,
  type OrderKey,
} from './data';
import { matchesNothing, orderFilterKey, type OrderFilter } from './filter';

/** Whose orders a list shows. */
export type OrderListOwner = { readonly kind: 'user'; readonly id: string } | { readonly kind: 'account'; readonly id: string };

/** The identity of a filtered list: what its cursors are bound to. */
export function orderListId(owner: OrderListOwner, filter: OrderFilter): string {
  return JSON.stringify(['orders', owner.kind, owner.id, orderFilterKey(filter)]);
}

/** One page of one list of orders, validated by the resolver. */
export interface OrderPageKey {
  readonly listId: string;
  /** The accounts whose orders the list shows (all of a user's, or one). */
  readonly accountIds: readonly string[];
  readonly filter: OrderFilter;
  readonly request: PageRequest;
}

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

function pageKeyOf(key: OrderPageKey): string {
  const after = key.request.after;
  return JSON.stringify([key.listId, key.request.first, after?.at.getTime() ?? null, after?.id ?? null]);
}

export function createOrderLoaders(collections: Collections): OrderLoaders {
  const byId = new DataLoader<string, OrderDoc | null>(async (ids) =>
    alignById(ids, await findOrdersByIds(collections, ids)),
  );

  const byNumber = new DataLoader<string, OrderDoc | null>(async (numbers) => {
    const docs = await findOrdersByNumbers(collections, numbers);
    for (const doc of docs) byId.prime(doc._id, doc);
    const byNo = new Map(docs.map((doc) => [doc.orderNo, doc]));
    return numbers.map((number) => byNo.get(number) ?? null);
  });

  /**
   * Every page requested in one tick, for every user and account: one keys
   * query per distinct filter (all accounts at once), paging in memory, then
   * one read of the pages' documents through byId.
   */
  const page = new DataLoader<OrderPageKey, LoadedPage<OrderDoc>, string>(
    async (keys) => {
      const groups = new Map<string, { filter: OrderFilter; accountIds: Set<string> }>();
      for (const key of keys) {
        if (matchesNothing(key.filter) || key.accountIds.length === 0) continue;
        const filterKey = orderFilterKey(key.filter);
        const group = groups.get(filterKey) ?? { filter: key.filter, accountIds: new Set<string>() };
        for (const accountId of key.accountIds) group.accountIds.add(accountId);
        groups.set(filterKey, group);
      }
      const keysByFilter = new Map<string, Map<string, OrderKey[]>>();
      await Promise.all(
        [...groups].map(async ([filterKey, group]) => {
          const accountIds = [...group.accountIds];
          const orderKeys = await findOrderKeys(collections, accountIds, group.filter);
          const perAccount = groupAligned(accountIds, orderKeys, (orderKey) => orderKey.accountId);
          keysByFilter.set(filterKey, new Map(accountIds.map((id, i) => [id, perAccount[i] ?? []])));
        }),
      );

      const slices = keys.map((key) => {
        const perAccount = keysByFilter.get(orderFilterKey(key.filter));
        const all = perAccount ? key.accountIds.flatMap((id) => perAccount.get(id) ?? []) : [];
        return slicePage(all, key.request);
      });
      const pageIds = [...new Set(slices.flatMap((slice) => slice.keys.map((orderKey) => orderKey.id)))];
      // Read here, not through byId: one read per batch of pages whatever else is loading
      // orders at the time, so a request's command count depends on its shape only.
      const docs = new Map<string, OrderDoc>();
      for (const doc of pageIds.length > 0 ? await findOrdersByIds(collections, pageIds) : []) {
        docs.set(doc._id, doc);
        byId.prime(doc._id, doc);
      }

      return keys.map((key, i) => {
        const slice = slices[i]!;
        // An order deleted between the two reads simply drops out of the page.
        const nodes = slice.keys.flatMap((orderKey) => docs.get(orderKey.id) ?? []);
        return { slice, nodes };
      });
    },
    { cacheKeyFn: pageKeyOf },
  );

  const feedbackOf = new DataLoader<string, FeedbackDoc[]>(async (orderIds) =>
    groupAligned(orderIds, (await findFeedbackOfOrders(collections, orderIds)).sort(compareFeedbackOldestFirst), (doc) => doc.orderId),
  );

  return { byId, byNumber, page, feedbackOf };
}
