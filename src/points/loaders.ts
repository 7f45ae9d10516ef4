/** Per-request batching of points reads. */
import DataLoader from 'dataloader';
import type { Collections } from '../db/collections';
import type { OrderDoc, PointsBalanceDoc, PointsEntryDoc, PointsTransferDoc } from '../db/documents';
import { findOrdersByIds } from '../orders/data';
import { alignById, groupAligned } from '../shared/align';
import type { PointsEntryType } from '../shared/codes';
import { slicePage, type KeysetPosition, type LoadedPage, type PageRequest } from '../shared/cursor';
import { findBalances, findLedgerEntriesByIds, findLedgerKeys, findTransfers, type LedgerKey } from './data';

/** The `types` argument, normalised: null = any type, [] = none. */
export function normaliseEntryTypes(types: readonly PointsEntryType[] | null | undefined): readonly PointsEntryType[] | null {
  return types === null || types === undefined ? null : [...new Set(types)].sort();
}

/** The identity of a user's (filtered) points history: what its cursors are bound to. */
export function historyListId(userId: string, types: readonly PointsEntryType[] | null): string {
  return JSON.stringify(['points', 'user', userId, types]);
}

export interface HistoryPageKey {
  readonly listId: string;
  readonly accountIds: readonly string[];
  readonly types: readonly PointsEntryType[] | null;
  readonly request: PageRequest;
}

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

export function createPointsLoaders(collections: Collections): PointsLoaders {
  const balanceOf = new DataLoader<string, PointsBalanceDoc | null>(async (ids) =>
    alignById(ids, await findBalances(collections, ids)),
  );
  const transferOf = new DataLoader<string, PointsTransferDoc | null>(async (ids) =>
    alignById(ids, await findTransfers(collections, ids)),
  );
  const entryById = new DataLoader<string, PointsEntryDoc | null>(async (ids) =>
    alignById(ids, await findLedgerEntriesByIds(collections, ids)),
  );

  /** Same shape as the orders' pages: one keys query per distinct `types`, then the page entries by id. */
  const historyPage = new DataLoader<HistoryPageKey, LoadedPage<PointsEntryDoc>, string>(
    async (keys) => {
      const groups = new Map<string, { types: readonly PointsEntryType[] | null; accountIds: Set<string> }>();
      for (const key of keys) {
        if (key.types?.length === 0 || key.accountIds.length === 0) continue;
        const typesKey = JSON.stringify(key.types);
        const group = groups.get(typesKey) ?? { types: key.types, accountIds: new Set<string>() };
        for (const accountId of key.accountIds) group.accountIds.add(accountId);
        groups.set(typesKey, group);
      }
      const keysByTypes = new Map<string, Map<string, LedgerKey[]>>();
      await Promise.all(
        [...groups].map(async ([typesKey, group]) => {
          const accountIds = [...group.accountIds];
          const ledgerKeys = await findLedgerKeys(collections, accountIds, group.types);
          const perAccount = groupAligned(accountIds, ledgerKeys, (ledgerKey) => ledgerKey.accountId);
          keysByTypes.set(typesKey, new Map(accountIds.map((id, i) => [id, perAccount[i] ?? []])));
        }),
      );

      const slices = keys.map((key) => {
        const perAccount = keysByTypes.get(JSON.stringify(key.types));
        const all = perAccount ? key.accountIds.flatMap((id) => perAccount.get(id) ?? []) : [];
        return slicePage(all, key.request);
      });
      const pageIds = [...new Set(slices.flatMap((slice) => slice.keys.map((ledgerKey) => ledgerKey.id)))];
      const docs = new Map<string, PointsEntryDoc>();
      for (const doc of pageIds.length > 0 ? await findLedgerEntriesByIds(collections, pageIds) : []) {
        docs.set(doc._id, doc);
        entryById.prime(doc._id, doc);
      }

      return keys.map((key, i) => {
        const slice = slices[i]!;
        const nodes = slice.keys.flatMap((ledgerKey) => docs.get(ledgerKey.id) ?? []);
        return { slice, nodes };
      });
    },
    {
      cacheKeyFn: (key) =>
        JSON.stringify([key.listId, key.request.first, key.request.after?.at.getTime() ?? null, key.request.after?.id ?? null]),
    },
  );

  const orderOfEntry = new DataLoader<string, OrderDoc | null>(async (ids) =>
    alignById(ids, await findOrdersByIds(collections, ids)),
  );

  return { balanceOf, transferOf, entryById, historyPage, orderOfEntry };
}
