/**
 * The writes of account linking. Each is one findOneAndUpdate whose filter
 * makes the change conditional (the link differs from the wanted one), with
 * the audit entry $push-ed in the same update: one atomic document write
 * decides the change and records it, or nothing happens. No transaction
 * (FerretDB 1.24 has none), no read-then-write race: two concurrent calls for
 * the same change cannot both match.
 *
 * FerretDB 1.24 pushes down only a lone `{_id: value}` filter, so these
 * conditional filters scan the accounts collection there; support actions are
 * rare and one at a time, and on MongoDB the `_id` index answers them.
 */
import type { Collections } from '../db/collections';
import type { AccountDoc, AuditEntryDoc } from '../db/documents';

/** Links the account to `userId` unless it already is; null when nothing changed (no such account, or a repeat). */
export function linkAccountTo(
  collections: Collections,
  accountId: string,
  userId: string,
  entry: AuditEntryDoc,
): Promise<AccountDoc | null> {
  return collections.accounts.findOneAndUpdate(
    { _id: accountId, xiaomiUserId: { $ne: userId } },
    { $set: { xiaomiUserId: userId, serviceLink: { xiaomiUserId: userId, at: entry.at } }, $push: { audit: entry } },
    { returnDocument: 'after' },
  );
}

/** Removes the account's link unless it has none; null when nothing changed. */
export function unlinkAccount(collections: Collections, accountId: string, entry: AuditEntryDoc): Promise<AccountDoc | null> {
  return collections.accounts.findOneAndUpdate(
    // `$ne: null` also leaves out a document without the field: nothing to unlink there either.
    { _id: accountId, xiaomiUserId: { $ne: null } },
    { $set: { xiaomiUserId: null, serviceLink: { xiaomiUserId: null, at: entry.at } }, $push: { audit: entry } },
    { returnDocument: 'after' },
  );
}

/** The account as stored now (no loader cache: an action decides on what is stored, not on what the request saw). */
export function findAccountNow(collections: Collections, accountId: string): Promise<AccountDoc | null> {
  return collections.accounts.findOne({ _id: accountId });
}
