/**
 * PocoCoupon, User.pocoCoupons, PocoOrder.couponsApplied and the coupon
 * lookups (Query.pocoCouponByCode, PocoCoupon entity references).
 */
import { assertMayReadUser } from '../auth/policy';
import { assertSignedIn, mayReadAccountItem, readableOrNull } from '../accounts/access';
import type { CouponDoc } from '../db/documents';
import type { RequestContext } from '../graphql/context';
import type { Resolvers } from '../generated/resolvers';
import { settled } from '../shared/align';
import type { CouponStatus } from '../shared/codes';
import { canonicalDecimalText } from '../shared/decimalOutput';
import { keyIdOf, validIdOf } from '../users/reference';
import { compareCouponsNewestFirst } from './data';
import { deriveCouponStatus } from './status';

async function statusOf(context: RequestContext, coupon: CouponDoc): Promise<CouponStatus> {
  return deriveCouponStatus(coupon, await context.loaders.coupons.reissueOf.load(coupon._id), context.now);
}

export const couponResolvers: Resolvers = {
  User: {
    async pocoCoupons(user, { status }, context) {
      assertMayReadUser(context.viewer, user.id);
      const accounts = await context.loaders.accounts.ofUser.load(user.id);
      const coupons = settled(
        await context.loaders.coupons.ofAccount.loadMany(accounts.map((account) => account._id)),
      )
        .flat()
        .sort(compareCouponsNewestFirst);
      if (status === null || status === undefined) return coupons;
      const wanted = new Set<CouponStatus>(status);
      const statuses = await Promise.all(coupons.map((coupon) => statusOf(context, coupon)));
      return coupons.filter((_coupon, i) => wanted.has(statuses[i]!));
    },
  },
  PocoOrder: {
    // Codes are unique per store: the order's store picks the coupon among stores sharing a code.
    // A code can belong to a coupon of another customer (a shared code): that coupon is theirs
    // (its reissue carries a live Xiaomi code), so it is listed only to whoever may read it.
    async couponsApplied(order, _args, context) {
      const byCode = settled(await context.loaders.coupons.byCode.loadMany(order.couponCodes));
      const applied = byCode.flatMap((coupons) => coupons.filter((coupon) => coupon.store === order.store).slice(0, 1));
      const readable = await Promise.all(applied.map((coupon) => mayReadAccountItem(context, coupon.accountId)));
      return applied.filter((_coupon, i) => readable[i]);
    },
  },
  PocoCoupon: {
    async __resolveReference(reference, context) {
      const id = keyIdOf(reference);
      if (id === undefined) return null;
      assertSignedIn(context);
      return readableOrNull(context, await context.loaders.coupons.byId.load(id));
    },
    id: (coupon) => coupon._id,
    discountKind: (coupon) => coupon.kind,
    amountOff: (coupon) =>
      coupon.amountOff === null || coupon.currency === null ? null : { minor: coupon.amountOff, currency: coupon.currency },
    minimumSpend: (coupon) =>
      coupon.minSpend === null || coupon.currency === null ? null : { minor: coupon.minSpend, currency: coupon.currency },
    percentOff: (coupon) => (coupon.percentOff === null ? null : canonicalDecimalText(coupon.percentOff)),
    status: (coupon, _args, context) => statusOf(context, coupon),
    redeemedAt: (coupon) => coupon.usedAt,
    // The export does not promise the order is of the coupon's account: check it like a lookup.
    redeemedOrder: async (coupon, _args, context) =>
      coupon.usedOrderId === null
        ? null
        : readableOrNull(context, await context.loaders.coupons.redeemedOrder.load(coupon.usedOrderId)),
    reissue: (coupon, _args, context) => context.loaders.coupons.reissueOf.load(coupon._id),
  },
  Query: {
    /** Codes are unique per store only: the newest coupon with the code that the viewer may read. */
    async pocoCouponByCode(_root, { code }, context) {
      assertSignedIn(context);
      const key = validIdOf(code);
      if (key === undefined) return null;
      const candidates = await context.loaders.coupons.byCode.load(key);
      const readable = await Promise.all(candidates.map((coupon) => mayReadAccountItem(context, coupon.accountId)));
      return candidates.find((_coupon, i) => readable[i]) ?? null;
    },
  },
};
