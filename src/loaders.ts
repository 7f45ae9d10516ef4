/**
 * Composes the per-request DataLoaders of every domain. Built once per request
 * (by the context factory) so batching and caching never outlive the request.
 */
import DataLoader from 'dataloader';
import type { Collections } from './db/collections';
import { ignoreBatches, type BatchObserver } from './shared/batchObserver';
import { createAccountLoaders, type AccountLoaders } from './accounts/loaders';
import { createAfterSalesLoaders, type AfterSalesLoaders } from './afterSales/loaders';
import { createCouponLoaders, type CouponLoaders } from './coupons/loaders';
import { createOrderLoaders, type OrderLoaders } from './orders/loaders';
import { createPointsLoaders, type PointsLoaders } from './points/loaders';
import { createPrivacyActions, type PrivacyActions } from './privacy/loaders';
import { createSupportActions, type SupportActions } from './support/loaders';

export interface Loaders {
  accounts: AccountLoaders;
  orders: OrderLoaders;
  points: PointsLoaders;
  coupons: CouponLoaders;
  afterSales: AfterSalesLoaders;
  /** Link and unlink (never cached). */
  support: SupportActions;
  /** Erasure (never cached). */
  privacy: PrivacyActions;
}

/**
 * `now` is the request's clock; the loaders cache raw documents only, and
 * time-dependent values (coupon EXPIRED) are derived from RequestContext.now
 * by the resolvers, so it is unused here today. `observe` is told every
 * batch's size (the loader batch-size metric).
 */
export function createLoaders(collections: Collections, _now: Date, observe: BatchObserver = ignoreBatches): Loaders {
  const orders = createOrderLoaders(collections, observe);
  return {
    accounts: createAccountLoaders(collections, observe),
    orders,
    points: createPointsLoaders(collections, observe),
    coupons: createCouponLoaders(collections, observe),
    // Orders found by tracking number are the same documents: PocoOrder fields read them from byId.
    afterSales: createAfterSalesLoaders(collections, (order) => orders.byId.prime(order._id, order), observe),
    support: createSupportActions(collections),
    privacy: createPrivacyActions(collections),
  };
}

/**
 * Forgets everything the request's loaders cached. A mutation calls it after
 * its write, so the fields selected under it (and later mutations of the same
 * request) read the data as it is now: a newly linked user's orders, an
 * erased account's hidden values.
 */
export function clearLoaderCaches(loaders: Loaders): void {
  for (const domain of Object.values(loaders) as object[]) {
    for (const loader of Object.values(domain) as unknown[]) {
      if (loader instanceof DataLoader) loader.clearAll();
    }
  }
}
