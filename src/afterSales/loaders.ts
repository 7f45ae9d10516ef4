/** Per-request loaders of the after-sales domain. */
import DataLoader from 'dataloader';
import type { Collections } from '../db/collections';
import type { OrderDoc } from '../db/documents';
import { ignoreBatches, observed, type BatchObserver } from '../shared/batchObserver';
import { findOrdersByTrackingNumber } from './data';

export interface TrackingNumberKey {
  /** Trimmed. */
  readonly trackingNo: string;
  /** The accounts whose orders the caller may read; 'all' for support. */
  readonly accountIds: readonly string[] | 'all';
}

export interface AfterSalesLoaders {
  /** Orders by tracking number, newest first (see findOrdersByTrackingNumber). */
  ordersByTrackingNumber: DataLoader<TrackingNumberKey, OrderDoc[], string>;
}

export function createAfterSalesLoaders(
  collections: Collections,
  onOrder: (order: OrderDoc) => void,
  observe: BatchObserver = ignoreBatches,
): AfterSalesLoaders {
  const ordersByTrackingNumber = new DataLoader<TrackingNumberKey, OrderDoc[], string>(
    // One query per distinct number (a request asks for one, maybe a few aliases): each is an index range.
    observed(observe, 'afterSales.ordersByTrackingNumber', (keys) =>
      Promise.all(
        keys.map(async (key) => {
          const orders = await findOrdersByTrackingNumber(collections, key.trackingNo, key.accountIds);
          orders.forEach(onOrder);
          return orders;
        }),
      ),
    ),
    { cacheKeyFn: (key) => JSON.stringify([key.trackingNo, key.accountIds]) },
  );
  return { ordersByTrackingNumber };
}
