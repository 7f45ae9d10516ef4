/**
 * pocoErasePersonalData without transactions: decide (one atomic account
 * write with its audit entry), then scrub the other collections
 * idempotently, then record the scrub as finished. A repeat (or one of many
 * concurrent calls) finds the decision already made: it finishes a pending
 * scrub and answers the first receipt, recording nothing.
 */
import type { Logger } from 'pino';
import type { Collections } from '../db/collections';
import type { AccountDoc } from '../db/documents';
import type { ErasureReceiptValue } from '../graphql/parents';
import { newAuditEntry, type Actor } from './audit';
import { decideErasure, findUnscrubbedErasures, markScrubbed, scrubFeedback, scrubOrders } from './data';
import { reachedErasureStage } from './faults';
import { findAccountNow } from '../support/data';

export type ErasureOutcome =
  | { readonly kind: 'erased'; readonly account: AccountDoc; readonly receipt: ErasureReceiptValue }
  | { readonly kind: 'repeat'; readonly account: AccountDoc; readonly receipt: ErasureReceiptValue }
  | { readonly kind: 'no_account' };

function receiptOf(account: AccountDoc): ErasureReceiptValue {
  if (!account.erasure) throw new Error(`account ${account._id} is not erased`);
  return { accountId: account._id, erasedAt: account.erasure.at };
}

/** Scrubs every collection that holds the account's erased values, then records it. Idempotent. */
export async function completeScrub(collections: Collections, accountId: string): Promise<void> {
  await scrubOrders(collections, accountId);
  reachedErasureStage('orders-scrubbed');
  await scrubFeedback(collections, accountId);
  await markScrubbed(collections, accountId, new Date());
}

export async function erasePersonalData(
  collections: Collections,
  accountId: string,
  reason: string,
  actor: Actor,
  now: Date,
): Promise<ErasureOutcome> {
  const decided = await decideErasure(collections, accountId, newAuditEntry(actor, 'PERSONAL_DATA_ERASED', reason, now));
  if (decided !== null) {
    reachedErasureStage('decided');
    await completeScrub(collections, accountId);
    return { kind: 'erased', account: decided, receipt: receiptOf(decided) };
  }
  // Nothing matched: no such account, or erased before (this call repeats it, or lost a race to a concurrent one).
  const stored = await findAccountNow(collections, accountId);
  if (stored === null) return { kind: 'no_account' };
  if (!stored.erasure) {
    // Unreachable unless the erasure field was removed in between (by hand): say so rather than answer a receipt.
    throw new Error(`erasure of account ${accountId} was neither decided nor found`);
  }
  // A retry finishes what a failed or killed call left undone.
  if (stored.erasure.scrubbedAt === null) await completeScrub(collections, accountId);
  return { kind: 'repeat', account: stored, receipt: receiptOf(stored) };
}

/**
 * Finishes every scrub a previous process left unfinished. Run in the
 * background at start-up: reads already hide the values, so serving need not
 * wait. Logs account ids and counts only.
 */
export async function completePendingErasures(collections: Collections, logger: Logger): Promise<number> {
  const pending = await findUnscrubbedErasures(collections);
  for (const accountId of pending) {
    await completeScrub(collections, accountId);
    logger.info({ accountId }, 'finished the scrub of an erased account left unfinished');
  }
  return pending.length;
}
