/**
 * Reads of single orders and coupons (root lookups, entity references): the
 * owner is the Xiaomi user the item's POCO account is linked to; unlinked
 * accounts are readable by support only (src/auth/policy.ts decides).
 */
import { canRead } from '../auth/policy';
import { unauthenticated } from '../errors';
import type { RequestContext } from '../graphql/context';

/**
 * Without a valid token nothing personal is readable: say so (UNAUTHENTICATED)
 * before touching the database, so the answer gives no hint whether the item
 * exists.
 */
export function assertSignedIn(context: RequestContext): void {
  if (context.viewer.kind !== 'user') throw unauthenticated();
}

/** Whether the viewer may read what belongs to the POCO account `accountId`. */
export async function mayReadAccountItem(context: RequestContext, accountId: string): Promise<boolean> {
  const account = await context.loaders.accounts.byId.load(accountId);
  return canRead(context.viewer, account?.xiaomiUserId ?? null);
}

/** `item` when the viewer may read it, otherwise null: no error, no hint that it exists. */
export async function readableOrNull<T extends { accountId: string }>(
  context: RequestContext,
  item: T | null,
): Promise<T | null> {
  if (item === null) return null;
  return (await mayReadAccountItem(context, item.accountId)) ? item : null;
}
