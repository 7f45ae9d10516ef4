/** Reads of the points collections: derived balances, transfers and the ledger. */
import type { Filter } from 'mongodb';
import type { Collections } from '../db/collections';
import type { PointsBalanceDoc, PointsEntryDoc, PointsTransferDoc } from '../db/documents';
import type { PointsEntryType } from '../shared/codes';
import type { ListItemKey } from '../shared/keysetPageLoader';
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

/** The sort keys of every ledger entry of these accounts with one of `types` (null = any). */
export async function findLedgerKeys(
  collections: Collections,
  accountIds: readonly string[],
  types: readonly PointsEntryType[] | null,
): Promise<ListItemKey[]> {
  const query: Filter<PointsEntryDoc> = { accountId: { $in: [...accountIds] } };
  if (types !== null) query.type = { $in: [...types] };
  const docs = await collections.pointsLedger
    .find(query, { ...WHOLE_RESULT, projection: { _id: 1, accountId: 1, at: 1 } })
    .toArray();
  return docs.map((doc) => ({ id: doc._id, accountId: doc.accountId, at: doc.at }));
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
