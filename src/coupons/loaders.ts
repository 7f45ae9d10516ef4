/** Per-request batching of coupon reads. */
import DataLoader from 'dataloader';
import { ignoreBatches, observed, type BatchObserver } from '../shared/batchObserver';
import type { Collections } from '../db/collections';
import type { CouponDoc, CouponReissueDoc, OrderDoc } from '../db/documents';
import { findOrdersByIds } from '../orders/data';
import { alignById, groupAligned } from '../shared/align';
import { compareCouponsNewestFirst, findCouponsByCodes, findCouponsByIds, findCouponsOfAccounts, findReissues } from './data';

export interface CouponLoaders {
  byId: DataLoader<string, CouponDoc | null>;
  /** Coupons of an account, newest issuedAt first. */
  ofAccount: DataLoader<string, CouponDoc[]>;
  /** Coupons with a code, in every store (codes are unique per store only), newest first. */
  byCode: DataLoader<string, CouponDoc[]>;
  /**
   * The reissue record of a coupon; null when it was not reissued. Every read
   * of coupons reads their reissue records along (status needs them) and
   * primes this loader, so statuses never wait for a batch of their own.
   */
  reissueOf: DataLoader<string, CouponReissueDoc | null>;
  /**
   * The order a coupon was used on. Its own loader, not orders.byId: loads
   * from one path batch together, so a request's command count depends on its
   * shape, not on which reads happen to finish together.
   */
  redeemedOrder: DataLoader<string, OrderDoc | null>;
}

export function createCouponLoaders(collections: Collections, observe: BatchObserver = ignoreBatches): CouponLoaders {
  const reissueOf = new DataLoader<string, CouponReissueDoc | null>(observed(observe, 'coupons.reissueOf', async (ids) =>
    alignById(ids, await findReissues(collections, ids))),
  );
  /** Reads the coupons' reissue records in the same batch and primes byId and reissueOf. */
  const withReissues = async (docs: CouponDoc[]): Promise<CouponDoc[]> => {
    if (docs.length === 0) return docs;
    const ids = docs.map((doc) => doc._id);
    const reissues = alignById(ids, await findReissues(collections, ids));
    docs.forEach((doc, i) => {
      byId.prime(doc._id, doc);
      reissueOf.prime(doc._id, reissues[i] ?? null);
    });
    return docs.sort(compareCouponsNewestFirst);
  };
  const byId: DataLoader<string, CouponDoc | null> = new DataLoader(observed(observe, 'coupons.byId', async (ids) =>
    alignById(ids, await withReissues(await findCouponsByIds(collections, ids)))),
  );
  const ofAccount = new DataLoader<string, CouponDoc[]>(observed(observe, 'coupons.ofAccount', async (accountIds) =>
    groupAligned(accountIds, await withReissues(await findCouponsOfAccounts(collections, accountIds)), (doc) => doc.accountId)),
  );
  const byCode = new DataLoader<string, CouponDoc[]>(observed(observe, 'coupons.byCode', async (codes) =>
    groupAligned(codes, await withReissues(await findCouponsByCodes(collections, codes)), (doc) => doc.code)),
  );
  const redeemedOrder = new DataLoader<string, OrderDoc | null>(observed(observe, 'coupons.redeemedOrder', async (ids) =>
    alignById(ids, await findOrdersByIds(collections, ids))),
  );
  return { byId, ofAccount, byCode, reissueOf, redeemedOrder };
}
