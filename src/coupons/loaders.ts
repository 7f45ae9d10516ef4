/** Per-request batching of coupon reads. */
import DataLoader from 'dataloader';
import type { Collections } from '../db/collections';
import type { CouponDoc, CouponReissueDoc } from '../db/documents';
import { alignById, groupAligned } from '../shared/align';
import { compareCouponsNewestFirst, findCouponsByCodes, findCouponsByIds, findCouponsOfAccounts, findReissues } from './data';

export interface CouponLoaders {
  byId: DataLoader<string, CouponDoc | null>;
  /** Coupons of an account, newest issuedAt first. */
  ofAccount: DataLoader<string, CouponDoc[]>;
  /** Coupons with a code, in every store (codes are unique per store only), newest first. */
  byCode: DataLoader<string, CouponDoc[]>;
  /** The reissue record of a coupon; null when it was not reissued. */
  reissueOf: DataLoader<string, CouponReissueDoc | null>;
}

export function createCouponLoaders(collections: Collections): CouponLoaders {
  const byId = new DataLoader<string, CouponDoc | null>(async (ids) =>
    alignById(ids, await findCouponsByIds(collections, ids)),
  );
  const primed = (docs: CouponDoc[]): CouponDoc[] => {
    for (const doc of docs) byId.prime(doc._id, doc);
    return docs.sort(compareCouponsNewestFirst);
  };
  const ofAccount = new DataLoader<string, CouponDoc[]>(async (accountIds) =>
    groupAligned(accountIds, primed(await findCouponsOfAccounts(collections, accountIds)), (doc) => doc.accountId),
  );
  const byCode = new DataLoader<string, CouponDoc[]>(async (codes) =>
    groupAligned(codes, primed(await findCouponsByCodes(collections, codes)), (doc) => doc.code),
  );
  const reissueOf = new DataLoader<string, CouponReissueDoc | null>(async (ids) =>
    alignById(ids, await findReissues(collections, ids)),
  );
  return { byId, ofAccount, byCode, reissueOf };
}
