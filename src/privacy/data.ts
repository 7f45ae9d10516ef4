/**
 * The writes of an erasure (api.md "Erasure", "Audit"):
 *
 * 1. decideErasure: ONE findOneAndUpdate on the account, conditional on the
 *    account not being erased yet, sets `erasure: {at, scrubbedAt: null}`,
 *    the email placeholder and a null displayName, and $push-es the audit
 *    entry. From this write on, every read hides the erased values
 *    (src/privacy/hiding.ts), so nothing depends on the steps below for
 *    correctness of responses.
 * 2. scrubOrders / scrubFeedback: idempotent updateMany's that null the
 *    orders' shipping addresses and the feedback titles and bodies.
 * 3. markScrubbed: sets `erasure.scrubbedAt`. An account whose scrubbedAt is
 *    still null has an unfinished scrub: start-up and a repeated erase call
 *    finish it (findUnscrubbedErasures).
 */
import type { Collections } from '../db/collections';
import type { AccountDoc, AuditEntryDoc } from '../db/documents';
import { erasedEmailOf } from './hiding';

/** The erasure's decision with its audit entry; null when nothing changed (no such account, or already erased). */
export function decideErasure(collections: Collections, accountId: string, entry: AuditEntryDoc): Promise<AccountDoc | null> {
  return collections.accounts.findOneAndUpdate(
    { _id: accountId, erasure: { $exists: false } },
    {
      $set: { email: erasedEmailOf(accountId), displayName: null, erasure: { at: entry.at, scrubbedAt: null } },
      $push: { audit: entry },
    },
    { returnDocument: 'after' },
  );
}

export async function scrubOrders(collections: Collections, accountId: string): Promise<void> {
  await collections.orders.updateMany({ accountId, shippingAddress: { $ne: null } }, { $set: { shippingAddress: null } });
}

export async function scrubFeedback(collections: Collections, accountId: string): Promise<void> {
  await collections.feedback.updateMany(
    { accountId, $or: [{ title: { $ne: null } }, { body: { $ne: null } }] },
    { $set: { title: null, body: null } },
  );
}

/** Records that the scrub finished; a no-op when it already was recorded. */
export async function markScrubbed(collections: Collections, accountId: string, at: Date): Promise<void> {
  await collections.accounts.updateOne({ _id: accountId, 'erasure.scrubbedAt': null, erasure: { $exists: true } }, { $set: { 'erasure.scrubbedAt': at } });
}

/** Ids of erased accounts whose scrub has not finished (a process died in between, or a write failed). */
export async function findUnscrubbedErasures(collections: Collections): Promise<string[]> {
  const docs = await collections.accounts
    .find({ erasure: { $exists: true }, 'erasure.scrubbedAt': null }, { projection: { _id: 1 } })
    .toArray();
  return docs.map((doc) => doc._id);
}
