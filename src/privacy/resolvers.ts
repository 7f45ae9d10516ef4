/**
 * Mutation.pocoErasePersonalData, Query.pocoAuditLog and their types (api.md
 * "Erasure", "Audit", "Scopes").
 */
import { assertMayAct, assertMayExportPersonalData } from '../auth/policy';
import type { Resolvers } from '../generated/resolvers';
import { clearLoaderCaches } from '../loaders';
import { accountIdArgument, reasonArgument } from '../shared/actionArguments';
import { noSuchAccount } from '../errors';
import { auditLogOf } from './audit';
import { personalDataExportKind } from './exportDocument';

export const privacyResolvers: Resolvers = {
  User: {
    // The link only: the document is made when it is opened, re-authorised then.
    pocoPersonalDataExport(user, _args, context) {
      assertMayExportPersonalData(context.viewer, user.id);
      return context.documents.link(personalDataExportKind, user.id);
    },
  },
  Mutation: {
    async pocoErasePersonalData(_root, args, context) {
      const viewer = context.viewer;
      assertMayAct(viewer, 'erasePersonalData');
      const accountId = accountIdArgument(args.accountId);
      const reason = reasonArgument(args.reason);
      const actor = { userId: viewer.userId, requestId: context.requestId };
      const outcome = await context.loaders.privacy.erase(accountId, reason, actor, context.now);
      switch (outcome.kind) {
        case 'no_account':
          throw noSuchAccount();
        case 'erased':
        case 'repeat':
          // Whatever this request cached before holds the values now erased: forget it.
          clearLoaderCaches(context.loaders);
          return outcome.receipt;
        default: {
          const unreachable: never = outcome;
          throw new Error(`unknown outcome ${String(unreachable)}`);
        }
      }
    },
  },
  Query: {
    async pocoAuditLog(_root, args, context) {
      assertMayAct(context.viewer, 'readAuditLog');
      const accountId = accountIdArgument(args.accountId);
      return auditLogOf(await context.loaders.accounts.byId.load(accountId));
    },
  },
  PocoAuditEntry: {
    id: ({ entry }) => entry.id,
    at: ({ entry }) => entry.at,
    actor: ({ entry }) => entry.actor,
    action: ({ entry }) => entry.action,
    accountId: ({ accountId }) => accountId,
    reason: ({ entry }) => entry.reason,
    requestId: ({ entry }) => entry.requestId,
  },
};
