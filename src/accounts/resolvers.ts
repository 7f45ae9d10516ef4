/** PocoAccount, User.pocoAccounts and Query.pocoAccountsByEmail. */
import { assertMayReadUser, assertSupport } from '../auth/policy';
import { badUserInput } from '../errors';
import type { Resolvers } from '../generated/resolvers';
import { isErased, visibleDisplayName, visibleEmail } from '../privacy/hiding';

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
    // The erasure's decision already wrote these; the guard keeps them hidden whatever wrote the document since.
    email: (account) => visibleEmail(account),
    displayName: (account) => visibleDisplayName(account),
    user: (account) => (account.xiaomiUserId === null ? null : { id: account.xiaomiUserId }),
  },
  Query: {
    async pocoAccountsByEmail(_root, { email }, context) {
      assertSupport(context.viewer);
      const normalised = normaliseEmail(email);
      if (normalised.length === 0) throw badUserInput('`email` must not be empty.', 'email');
      if (normalised.length > MAX_EMAIL_LENGTH) {
        throw badUserInput(`\`email\` must be at most ${MAX_EMAIL_LENGTH} characters.`, 'email');
      }
      // An erased account is found neither by its old address (no longer stored) nor by the placeholder.
      const accounts = await context.loaders.accounts.byEmail.load(normalised);
      return accounts.filter((account) => !isErased(account));
    },
  },
};
