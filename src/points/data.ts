/** Reads of the points collections: derived balances, transfers and the ledger. */
import type { Filter } from 'mongodb';
import type { Collections } from '../db/collections';
import type { PointsBalanceDoc, PointsEntryDoc, PointsTransferDoc } from '../db/documents';
import type { PointsEntryType } from '../shared/codes';
import type { KeysetPosition } from '../shared/cursor';
import type { ListItemKey } from '../shared/keysetPageLoader';
import { afterPosition, andAlso, newestFirstSort, upToPosition } from '../shared/keysetQuery';
import { uniqueKeyLookup, WHOLE_RESULT } from '../shared/queryOptions';

/** Per-account figures maintained by the importer (`_id` = account id). */
export function findBalances(collections: Collections, accountIds: readonly string[]): Promise<PointsBalanceDoc[]> {
  const lookup = uniqueKeyLookup(accountIds);
  return collections.pointsBalances.find({ _id: lookup.value }, lookup.options).toArray();
}

/** Transfers into Xiaomi's loyalty program (`_id` = account id: at most one each). */
export function findTransfers(collections: Collections, accountIds: readonly string[]): Promise<PointsTransferDoc[]> {
  const lookup = uniqueKeyLookup(accountIds);
  return collections.pointsTransfers.find({ _id: lookup.value }, lookup.options).toArray();
}

/** The ledger entries of these accounts with one of `types` (null = any). */
function ledgerQuery(accountIds: readonly string[], types: readonly PointsEntryType[] | null): Filter<PointsEntryDoc> {
  const query: Filter<PointsEntryDoc> = { accountId: { $in: [...accountIds] } };
  if (types !== null) query.type = { $in: [...types] };
  return query;
}

/** How many entries of each account have one of `types`: one row per account that has any. */
export async function countLedgerByAccount(
  collections: Collections,
  accountIds: readonly string[],
  types: readonly PointsEntryType[] | null,
): Promise<Map<string, number>> {
  const rows = await collections.pointsLedger
    .aggregate<{ _id: string; n: number }>(
      [{ $match: ledgerQuery(accountIds, types) }, { $group: { _id: '$accountId', n: { $sum: 1 } } }],
      WHOLE_RESULT,
    )
    .toArray();
  return new Map(rows.map((row) => [row._id, row.n]));
}

/**
 * In one read: the entries with these ids (pages paged on their keys) and every
 * entry of `accountIds` with one of `types` (accounts known to hold at most a page).
 */
export function findLedgerEntriesByIdsOrAccounts(
  collections: Collections,
  ids: readonly string[],
  accountIds: readonly string[],
  types: readonly PointsEntryType[] | null,
  limit: number,
): Promise<PointsEntryDoc[]> {
  if (accountIds.length === 0) return findLedgerEntriesByIds(collections, ids);
  const ofAccounts = ledgerQuery(accountIds, types);
  const query: Filter<PointsEntryDoc> = ids.length === 0 ? ofAccounts : { $or: [{ _id: { $in: [...new Set(ids)] } }, ofAccounts] };
  return collections.pointsLedger.find(query, { ...WHOLE_RESULT, limit }).toArray();
}

/** The sort keys of every entry of these accounts with one of `types` (accounts known to hold few). */
export async function findLedgerKeys(
  collections: Collections,
  accountIds: readonly string[],
  types: readonly PointsEntryType[] | null,
  limit: number,
): Promise<ListItemKey[]> {
  const docs = await collections.pointsLedger
    .find(ledgerQuery(accountIds, types), { ...WHOLE_RESULT, limit, projection: { _id: 1, accountId: 1, at: 1 } })
    .toArray();
  return docs.map((doc) => ({ id: doc._id, accountId: doc.accountId, at: doc.at }));
}

/** The newest `limit` entries strictly after `after` (index by_account_newest). */
export function findLedgerPage(
  collections: Collections,
  accountIds: readonly string[],
  types: readonly PointsEntryType[] | null,
  after: KeysetPosition | null,
  limit: number,
): Promise<PointsEntryDoc[]> {
  return collections.pointsLedger
    .find(andAlso(ledgerQuery(accountIds, types), after === null ? null : afterPosition('at', after)), {
      sort: newestFirstSort('at'),
      limit,
      batchSize: limit,
    })
    .toArray();
}

/** Whether an entry with one of `types` sits at `position` or before it (newer). */
export async function hasLedgerEntryUpTo(
  collections: Collections,
  accountIds: readonly string[],
  types: readonly PointsEntryType[] | null,
  position: KeysetPosition,
): Promise<boolean> {
  const found = await collections.pointsLedger
    .find(andAlso(ledgerQuery(accountIds, types), upToPosition('at', position)), { limit: 1, projection: { _id: 1 } })
    .toArray();
  return found.length > 0;
}

export function findLedgerEntriesByIds(collections: Collections, ids: readonly string[]): Promise<PointsEntryDoc[]> {
  const lookup = uniqueKeyLookup(ids);
  return collections.pointsLedger.find({ _id: lookup.value }, lookup.options).toArray();
}

/** Oldest transferredAt first, ties by account id ascending (api.md). */
export function compareTransfersOldestFirst(a: PointsTransferDoc, b: PointsTransferDoc): number {
  const byTime = a.transferredAt.getTime() - b.transferredAt.getTime();
  if (byTime !== 0) return byTime;
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}
