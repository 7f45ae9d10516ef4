/**
 * The privacy actions bound to the request's collections (resolvers ->
 * loaders -> data access). Never batched or cached: each reads what is stored now.
 */
import type { Readable } from 'node:stream';
import type { Collections } from '../db/collections';
import type { Actor } from './audit';
import { erasePersonalData, type ErasureOutcome } from './erasure';
import { personalDataExportStream } from './export';

export interface PrivacyActions {
  erase(accountId: string, reason: string, actor: Actor, now: Date): Promise<ErasureOutcome>;
  /** The user's personal data export as a JSON byte stream, read from the database as it is written. */
  personalDataExport(userId: string, now: Date): Readable;
}

export function createPrivacyActions(collections: Collections): PrivacyActions {
  return {
    erase: (accountId, reason, actor, now) => erasePersonalData(collections, accountId, reason, actor, now),
    personalDataExport: (userId, now) => personalDataExportStream(collections, userId, now),
  };
}
