/** Reads of the `accounts` collection. */
import type { Collections } from '../db/collections';
import type { AccountDoc } from '../db/documents';
import { uniqueKeyLookup, WHOLE_RESULT } from '../shared/queryOptions';

/** Every POCO account linked to one of these Xiaomi users (index by_user). */
export function findAccountsOfUsers(collections: Collections, userIds: readonly string[]): Promise<AccountDoc[]> {
  return collections.accounts.find({ xiaomiUserId: { $in: [...userIds] } }, WHOLE_RESULT).toArray();
}

export function findAccountsByIds(collections: Collections, ids: readonly string[]): Promise<AccountDoc[]> {
  const lookup = uniqueKeyLookup(ids);
  return collections.accounts.find({ _id: lookup.value }, lookup.options).toArray();
}

/** Accounts with exactly this (already normalised) email address (index by_email). */
export function findAccountsByEmails(collections: Collections, emails: readonly string[]): Promise<AccountDoc[]> {
  return collections.accounts.find({ email: { $in: [...emails] } }, WHOLE_RESULT).toArray();
}

/** Oldest registeredAt first, ties by id ascending (api.md "Orders of other lists"). */
export function compareOldestRegisteredFirst(a: AccountDoc, b: AccountDoc): number {
  const byTime = a.registeredAt.getTime() - b.registeredAt.getTime();
  if (byTime !== 0) return byTime;
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}
