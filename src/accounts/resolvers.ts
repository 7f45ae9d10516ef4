/** PocoAccount, User.pocoAccounts and Query.pocoAccountsByEmail. */
import { assertMayReadUser, assertSupport } from '../auth/policy';
import { badUserInput } from '../errors';
import type { Resolvers } from '../generated/resolvers';

/** RFC 5321 caps a forward path at 256 octets; anything longer is not an address. */
const MAX_EMAIL_LENGTH = 320;

/** pocoAccountsByEmail: trimmed and lower-cased before the exact match (api.md "Emails"). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const accountResolvers: Resolvers = {
  User: {
    pocoAccounts(user, _args, context) {
      assertMayReadUser(context.viewer, user.id);
      return context.loaders.accounts.ofUser.load(user.id);
    },
  },
  PocoAccount: {
    id: (account) => account._id,
    user: (account) => (account.xiaomiUserId === null ? null : { id: account.xiaomiUserId }),
  },
  Query: {
    pocoAccountsByEmail(_root, { email }, context) {
      assertSupport(context.viewer);
      const normalised = normaliseEmail(email);
      if (normalised.length === 0) throw badUserInput('`email` must not be empty.', 'email');
      if (normalised.length > MAX_EMAIL_LENGTH) {
        throw badUserInput(`\`email\` must be at most ${MAX_EMAIL_LENGTH} characters.`, 'email');
      }
      return context.loaders.accounts.byEmail.load(normalised);
    },
  },
};
