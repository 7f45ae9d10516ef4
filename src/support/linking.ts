/**
 * pocoLinkAccount / pocoUnlinkAccount (api.md "Linking"). The conditional
 * write (src/support/data.ts) either makes the change with its audit entry or
 * matches nothing; only then is the account read, to tell "no such account"
 * from a repeat. If that read shows neither (a concurrent call changed the
 * link in between), the write is tried again: the answer always describes a
 * state that really was stored.
 */
import type { Collections } from '../db/collections';
import type { AccountDoc } from '../db/documents';
import { newAuditEntry, type Actor } from '../privacy/audit';
import { findAccountNow, linkAccountTo, unlinkAccount } from './data';

export type LinkOutcome =
  | { readonly kind: 'changed'; readonly account: AccountDoc }
  | { readonly kind: 'repeat'; readonly account: AccountDoc }
  | { readonly kind: 'no_account' };

/** Races are between people clicking in support tools; a handful of rounds always settles them. */
const MAX_ATTEMPTS = 5;

async function conditionalChange(
  collections: Collections,
  accountId: string,
  change: () => Promise<AccountDoc | null>,
  isRepeat: (stored: AccountDoc) => boolean,
): Promise<LinkOutcome> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const changed = await change();
    if (changed !== null) return { kind: 'changed', account: changed };
    const stored = await findAccountNow(collections, accountId);
    if (stored === null) return { kind: 'no_account' };
    if (isRepeat(stored)) return { kind: 'repeat', account: stored };
  }
  throw new Error(`the link of account ${accountId} kept changing under ${MAX_ATTEMPTS} attempts`);
}

export function linkAccount(
  collections: Collections,
  accountId: string,
  userId: string,
  reason: string,
  actor: Actor,
  now: Date,
): Promise<LinkOutcome> {
  return conditionalChange(
    collections,
    accountId,
    () => linkAccountTo(collections, accountId, userId, newAuditEntry(actor, 'ACCOUNT_LINKED', reason, now)),
    (stored) => stored.xiaomiUserId === userId,
  );
}

export function unlink(collections: Collections, accountId: string, reason: string, actor: Actor, now: Date): Promise<LinkOutcome> {
  return conditionalChange(
    collections,
    accountId,
    () => unlinkAccount(collections, accountId, newAuditEntry(actor, 'ACCOUNT_UNLINKED', reason, now)),
    (stored) => stored.xiaomiUserId === null || stored.xiaomiUserId === undefined,
  );
}
