/**
 * Read-hiding of erased values (api.md "Erasure"). The erasure is decided by
 * one write to the account document (email placeholder, displayName null,
 * `erasure` set); the orders' addresses and the feedback texts are scrubbed
 * afterwards. Until that scrub has finished, these functions keep every
 * response from showing them: whatever reads an order's address or a
 * feedback's text asks whether its account is erased first.
 */
import type { AccountDoc, AddressDoc, FeedbackDoc, OrderDoc } from '../db/documents';

/** What `PocoAccount.email` reads once an account is erased. */
export function erasedEmailOf(accountId: string): string {
  return `erased-${accountId}@invalid`;
}

export function isErased(account: Pick<AccountDoc, 'erasure'> | null | undefined): boolean {
  return account?.erasure !== undefined && account.erasure !== null;
}

/** The account's email as the API shows it. */
export function visibleEmail(account: AccountDoc): string {
  return isErased(account) ? erasedEmailOf(account._id) : account.email;
}

export function visibleDisplayName(account: AccountDoc): string | null {
  return isErased(account) ? null : account.displayName;
}

/** `account` is the order's account (null when missing: nothing of anybody's to hide then). */
export function visibleShippingAddress(order: OrderDoc, account: AccountDoc | null): AddressDoc | null {
  return isErased(account) ? null : order.shippingAddress;
}

/** A feedback's title and body as the API shows them; the shop's reply is its own text and stays. */
export function visibleFeedbackText(feedback: FeedbackDoc, account: AccountDoc | null): { title: string | null; body: string | null } {
  return isErased(account) ? { title: null, body: null } : { title: feedback.title, body: feedback.body };
}
