/**
 * The privacy actions bound to the request's collections (resolvers ->
 * loaders -> data access). Never batched or cached.
 */
import type { Collections } from '../db/collections';
import type { Actor } from './audit';
import { erasePersonalData, type ErasureOutcome } from './erasure';

export interface PrivacyActions {
  erase(accountId: string, reason: string, actor: Actor, now: Date): Promise<ErasureOutcome>;
}

export function createPrivacyActions(collections: Collections): PrivacyActions {
  return {
    erase: (accountId, reason, actor, now) => erasePersonalData(collections, accountId, reason, actor, now),
  };
}
