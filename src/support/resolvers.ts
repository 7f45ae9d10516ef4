/** Mutation.pocoLinkAccount and Mutation.pocoUnlinkAccount (api.md "Linking", "Scopes"). */
import { assertMayAct } from '../auth/policy';
import type { AccountDoc } from '../db/documents';
import { noSuchAccount } from '../errors';
import type { Resolvers } from '../generated/resolvers';
import type { RequestContext } from '../graphql/context';
import { clearLoaderCaches } from '../loaders';
import { accountIdArgument, reasonArgument, userIdArgument } from '../shared/actionArguments';
import type { LinkOutcome } from './linking';

/**
 * The account the mutation answers. After a change every cached read of the
 * request is dropped, so what is selected under the mutation (`user {
 * pocoOrders }`) and any later field read the new link.
 */
export function settleAccountChange(context: RequestContext, outcome: LinkOutcome): AccountDoc {
  switch (outcome.kind) {
    case 'no_account':
      throw noSuchAccount();
    case 'changed':
      clearLoaderCaches(context.loaders);
      context.loaders.accounts.byId.prime(outcome.account._id, outcome.account);
      return outcome.account;
    case 'repeat':
      return outcome.account;
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown outcome ${String(unreachable)}`);
    }
  }
}

export const supportResolvers: Resolvers = {
  Mutation: {
    async pocoLinkAccount(_root, args, context) {
      const viewer = context.viewer;
      assertMayAct(viewer, 'linkAccount');
      const accountId = accountIdArgument(args.accountId);
      const userId = userIdArgument(args.userId);
      const reason = reasonArgument(args.reason);
      const actor = { userId: viewer.userId, requestId: context.requestId };
      return settleAccountChange(context, await context.loaders.support.link(accountId, userId, reason, actor, context.now));
    },
    async pocoUnlinkAccount(_root, args, context) {
      const viewer = context.viewer;
      assertMayAct(viewer, 'unlinkAccount');
      const accountId = accountIdArgument(args.accountId);
      const reason = reasonArgument(args.reason);
      const actor = { userId: viewer.userId, requestId: context.requestId };
      return settleAccountChange(context, await context.loaders.support.unlink(accountId, reason, actor, context.now));
    },
  },
};
