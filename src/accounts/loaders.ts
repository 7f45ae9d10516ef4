/** Per-request batching of account reads. */
import DataLoader from 'dataloader';
import { ignoreBatches, observed, type BatchObserver } from '../shared/batchObserver';
import type { Collections } from '../db/collections';
import type { AccountDoc } from '../db/documents';
import { alignById, groupAligned } from '../shared/align';
import { compareOldestRegisteredFirst, findAccountsByEmails, findAccountsByIds, findAccountsOfUsers } from './data';

export interface AccountLoaders {
  /** An account by id; null when none exists. */
  byId: DataLoader<string, AccountDoc | null>;
  /** The accounts linked to a Xiaomi user, oldest registeredAt first; [] when none. */
  ofUser: DataLoader<string, AccountDoc[]>;
  /** The accounts with a normalised email address, oldest registeredAt first. */
  byEmail: DataLoader<string, AccountDoc[]>;
}

export function createAccountLoaders(collections: Collections, observe: BatchObserver = ignoreBatches): AccountLoaders {
  const byId = new DataLoader<string, AccountDoc | null>(observed(observe, 'accounts.byId', async (ids) =>
    alignById(ids, await findAccountsByIds(collections, ids))),
  );
  // Accounts read by user or email are the same documents: prime byId so
  // PocoOrder.account and the read checks of orders and coupons cost nothing more.
  const primed = (docs: AccountDoc[]): AccountDoc[] => {
    for (const doc of docs) byId.prime(doc._id, doc);
    return docs.sort(compareOldestRegisteredFirst);
  };
  const ofUser = new DataLoader<string, AccountDoc[]>(observed(observe, 'accounts.ofUser', async (userIds) =>
    groupAligned(userIds, primed(await findAccountsOfUsers(collections, userIds)), (doc) => doc.xiaomiUserId)),
  );
  const byEmail = new DataLoader<string, AccountDoc[]>(observed(observe, 'accounts.byEmail', async (emails) =>
    groupAligned(emails, primed(await findAccountsByEmails(collections, emails)), (doc) => doc.email)),
  );
  return { byId, ofUser, byEmail };
}
