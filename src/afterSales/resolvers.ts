/**
 * After-sales fields (api.md "After-sales"): each order line's warranty, the
 * order's proof of purchase link, and orders found by tracking number.
 */
import { assertSignedIn } from '../accounts/access';
import { badUserInput, unauthenticated } from '../errors';
import type { Resolvers } from '../generated/resolvers';
import { proofOfPurchaseKind } from './proofOfPurchase/kind';
import { warrantyOf } from './warranty';

/** Longer than any carrier's number (UPU S10 is 13, the longest courier formats ~35). */
export const MAX_TRACKING_NUMBER_LENGTH = 128;

/** The trimmed tracking number, or BAD_USER_INPUT naming the argument. Lengths count code points. */
export function trackingNumberArgument(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw badUserInput('trackingNumber must not be empty.', 'trackingNumber');
  if ([...trimmed].length > MAX_TRACKING_NUMBER_LENGTH) {
    throw badUserInput(`trackingNumber must be at most ${MAX_TRACKING_NUMBER_LENGTH} characters.`, 'trackingNumber');
  }
  return trimmed;
}

export const afterSalesResolvers: Resolvers = {
  PocoOrderLineItem: {
    warranty: ({ order }, _args, context) => warrantyOf(order, context.warrantyMonths[order.store], context.now),
  },
  PocoOrder: {
    // The order was authorised where it was reached; the link re-checks when it is opened.
    proofOfPurchase(order, _args, context) {
      if (context.viewer.kind !== 'user') throw unauthenticated();
      return context.documents.link(proofOfPurchaseKind, order._id);
    },
  },
  Query: {
    async pocoOrdersByTrackingNumber(_root, args, context) {
      assertSignedIn(context);
      const trackingNo = trackingNumberArgument(args.trackingNumber);
      const { viewer } = context;
      if (viewer.kind !== 'user') throw unauthenticated();
      // Users: only their own accounts' orders are even read, so nothing tells whether others exist.
      const accountIds = viewer.isSupport
        ? 'all'
        : (await context.loaders.accounts.ofUser.load(viewer.userId)).map((account) => account._id);
      if (accountIds !== 'all' && accountIds.length === 0) return [];
      return context.loaders.afterSales.ordersByTrackingNumber.load({ trackingNo, accountIds });
    },
  },
};
