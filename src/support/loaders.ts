/**
 * The support actions bound to the request's collections, handed to the
 * resolvers with the loaders (resolvers -> loaders -> data access). Not
 * DataLoaders: actions are never batched or cached.
 */
import type { Collections } from '../db/collections';
import type { Actor } from '../privacy/audit';
import { linkAccount, unlink, type LinkOutcome } from './linking';

export interface SupportActions {
  link(accountId: string, userId: string, reason: string, actor: Actor, now: Date): Promise<LinkOutcome>;
  unlink(accountId: string, reason: string, actor: Actor, now: Date): Promise<LinkOutcome>;
}

export function createSupportActions(collections: Collections): SupportActions {
  return {
    link: (accountId, userId, reason, actor, now) => linkAccount(collections, accountId, userId, reason, actor, now),
    unlink: (accountId, reason, actor, now) => unlink(collections, accountId, reason, actor, now),
  };
}
