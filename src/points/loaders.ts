/** Per-request batching of points reads. */
import DataLoader from 'dataloader';
import { ignoreBatches, observed, type BatchObserver } from '../shared/batchObserver';
import type { Collections } from '../db/collections';
import type { OrderDoc, PointsBalanceDoc, PointsEntryDoc, PointsTransferDoc } from '../db/documents';
import { findOrdersByIds } from '../orders/data';
import { alignById } from '../shared/align';
import type { PointsEntryType } from '../shared/codes';
import type { KeysetPosition, LoadedPage } from '../shared/cursor';
import { createKeysetPageLoader, type PageKey } from '../shared/keysetPageLoader';
import {
  countLedgerByAccount,
  findBalances,
  findLedgerEntriesByIds,
  findLedgerEntriesByIdsOrAccounts,
  findLedgerKeys,
  findLedgerPage,
  findTransfers,
  hasLedgerEntryUpTo,
} from './data';

/** The `types` argument, normalised: null = any type, [] = none. */
export type EntryTypes = readonly PointsEntryType[] | null;

export function normaliseEntryTypes(types: readonly PointsEntryType[] | null | undefined): EntryTypes {
  return types === null || types === undefined ? null : [...new Set(types)].sort();
}

/** The identity of a user's (filtered) points history: what its cursors are bound to. */
export function historyListId(userId: string, types: EntryTypes): string {
  return JSON.stringify(['points', 'user', userId, types]);
}

export type HistoryPageKey = PageKey<EntryTypes>;

export interface PointsLoaders {
  /** Null for an account the importer computed no figures for (no ledger entries). */
  balanceOf: DataLoader<string, PointsBalanceDoc | null>;
  transferOf: DataLoader<string, PointsTransferDoc | null>;
  entryById: DataLoader<string, PointsEntryDoc | null>;
  historyPage: DataLoader<HistoryPageKey, LoadedPage<PointsEntryDoc>, string>;
  /**
   * The order of a ledger entry (PocoPointsEntry.order). Its own loader, not
   * orders.byId: loads from one path batch together, so the command count of a
   * request depends on its shape, not on which reads happen to finish together.
   */
  orderOfEntry: DataLoader<string, OrderDoc | null>;
}

export function entryPosition(entry: PointsEntryDoc): KeysetPosition {
  return { at: entry.at, id: entry._id };
}

export function createPointsLoaders(collections: Collections, observe: BatchObserver = ignoreBatches): PointsLoaders {
  const balanceOf = new DataLoader<string, PointsBalanceDoc | null>(observed(observe, 'points.balanceOf', async (ids) =>
    alignById(ids, await findBalances(collections, ids))),
  );
  const transferOf = new DataLoader<string, PointsTransferDoc | null>(observed(observe, 'points.transferOf', async (ids) =>
    alignById(ids, await findTransfers(collections, ids))),
  );
  const entryById = new DataLoader<string, PointsEntryDoc | null>(observed(observe, 'points.entryById', async (ids) =>
    alignById(ids, await findLedgerEntriesByIds(collections, ids))),
  );
  const historyPage = createKeysetPageLoader<EntryTypes, PointsEntryDoc>(observe, 'points.page', {
    filterKey: (types) => JSON.stringify(types),
    matchesNothing: (types) => types?.length === 0,
    countByAccount: (accountIds, types) => countLedgerByAccount(collections, accountIds, types),
    findKeys: (accountIds, types, limit) => findLedgerKeys(collections, accountIds, types, limit),
    findDocuments: (ids, accountIds, types, limit) => findLedgerEntriesByIdsOrAccounts(collections, ids, accountIds, types, limit),
    idOf: (entry) => entry._id,
    findPage: (accountIds, types, after, limit) => findLedgerPage(collections, accountIds, types, after, limit),
    existsUpTo: (accountIds, types, position) => hasLedgerEntryUpTo(collections, accountIds, types, position),
    positionOf: entryPosition,
    accountOf: (entry) => entry.accountId,
    onDocument: (entry) => entryById.prime(entry._id, entry),
  });
  const orderOfEntry = new DataLoader<string, OrderDoc | null>(observed(observe, 'points.orderOfEntry', async (ids) =>
    alignById(ids, await findOrdersByIds(collections, ids))),
  );
  return { balanceOf, transferOf, entryById, historyPage, orderOfEntry };
}
