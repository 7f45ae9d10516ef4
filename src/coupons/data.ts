/** Reads of the `coupons` and `coupon_reissues` collections. */
import type { Collections } from '../db/collections';
import type { CouponDoc, CouponReissueDoc } from '../db/documents';
import { uniqueKeyLookup, WHOLE_RESULT } from '../shared/queryOptions';

/** Coupons of these accounts (index by_account_newest). */
export function findCouponsOfAccounts(collections: Collections, accountIds: readonly string[]): Promise<CouponDoc[]> {
  return collections.coupons.find({ accountId: { $in: [...accountIds] } }, WHOLE_RESULT).toArray();
}

export function findCouponsByIds(collections: Collections, ids: readonly string[]): Promise<CouponDoc[]> {
  const lookup = uniqueKeyLookup(ids);
  return collections.coupons.find({ _id: lookup.value }, lookup.options).toArray();
}

/** Coupons with one of these codes, in any store (index by_code_store). */
export function findCouponsByCodes(collections: Collections, codes: readonly string[]): Promise<CouponDoc[]> {
  return collections.coupons.find({ code: { $in: [...codes] } }, WHOLE_RESULT).toArray();
}

/** Reissue records (`_id` = the legacy coupon's id). */
export function findReissues(collections: Collections, couponIds: readonly string[]): Promise<CouponReissueDoc[]> {
  const lookup = uniqueKeyLookup(couponIds);
  return collections.couponReissues.find({ _id: lookup.value }, lookup.options).toArray();
}

/** Newest issuedAt first, ties by id descending (api.md). */
export function compareCouponsNewestFirst(a: CouponDoc, b: CouponDoc): number {
  const byTime = b.issuedAt.getTime() - a.issuedAt.getTime();
  if (byTime !== 0) return byTime;
  return a._id < b._id ? 1 : a._id > b._id ? -1 : 0;
}
