/** User.pocoPoints: the points summary, transfers and the ledger history. */
import { assertMayReadUser } from '../auth/policy';
import { readableOrNull } from '../accounts/access';
import type { PointsAccountParent } from '../graphql/parents';
import type { Resolvers } from '../generated/resolvers';
import { settled } from '../shared/align';
import { cursorCodecFor, pageOf, parsePageRequest } from '../shared/cursor';
import { canonicalDecimalText } from '../shared/decimalOutput';
import { compareTransfersOldestFirst } from './data';
import { entryPosition, historyListId, normaliseEntryTypes } from './loaders';

const DEFAULT_PAGE_SIZE = 20;

/** Sums one figure over every linked account; an account without figures counts 0. */
function sumOf(parent: PointsAccountParent, figure: 'balance' | 'earned' | 'redeemed' | 'expired'): number {
  return parent.balances.reduce((sum, balance) => sum + balance[figure], 0);
}

export const pointsResolvers: Resolvers = {
  User: {
    async pocoPoints(user, _args, context) {
      assertMayReadUser(context.viewer, user.id);
      const accounts = await context.loaders.accounts.ofUser.load(user.id);
      // No linked account: no points account at all (api.md), not zeros.
      if (accounts.length === 0) return null;
      const accountIds = accounts.map((account) => account._id);
      const [balances, transfers] = await Promise.all([
        context.loaders.points.balanceOf.loadMany(accountIds),
        context.loaders.points.transferOf.loadMany(accountIds),
      ]);
      return {
        userId: user.id,
        accounts,
        balances: settled(balances).flatMap((balance) => balance ?? []),
        transfers: settled(transfers)
          .flatMap((transfer) => transfer ?? [])
          .sort(compareTransfersOldestFirst),
      };
    },
  },
  PocoPointsAccount: {
    balance: (parent) => sumOf(parent, 'balance'),
    lifetimeEarned: (parent) => sumOf(parent, 'earned'),
    lifetimeRedeemed: (parent) => sumOf(parent, 'redeemed'),
    lifetimeExpired: (parent) => sumOf(parent, 'expired'),
    transfers: (parent) => parent.transfers,
    async history(parent, args, context) {
      const types = normaliseEntryTypes(args.types);
      const listId = historyListId(parent.userId, types);
      const cursors = cursorCodecFor(context.cursorSecret);
      const request = parsePageRequest(args, DEFAULT_PAGE_SIZE, listId, cursors);
      const accountIds = parent.accounts.map((account) => account._id);
      const loaded = await context.loaders.points.historyPage.load({ listId, accountIds, filter: types, request });
      return pageOf(loaded, entryPosition, listId, cursors);
    },
  },
  PocoPointsTransfer: {
    rate: (transfer) => canonicalDecimalText(transfer.rate),
    xiaomiPoints: (transfer) => transfer.miPoints,
    xiaomiLoyaltyAccountId: (transfer) => transfer.miLoyaltyAccountId,
  },
  PocoPointsEntry: {
    id: (entry) => entry._id,
    occurredAt: (entry) => entry.at,
    description: (entry) => entry.note,
    // The export does not promise the order is of the entry's account: check it like a lookup.
    order: async (entry, _args, context) =>
      entry.orderId === null ? null : readableOrNull(context, await context.loaders.points.orderOfEntry.load(entry.orderId)),
  },
};
