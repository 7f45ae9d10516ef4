/**
 * One DataLoader shape for every newest-first list of an account set (orders,
 * the points ledger): all pages requested in one tick, for every user and
 * account, cost one sort-keys query per distinct filter (all accounts at once)
 * and one read of the pages' documents by id. Paging happens in memory on the
 * sort keys (src/shared/cursor.ts), which also gives totalCount.
 */
import DataLoader from 'dataloader';
import { groupAligned } from './align';
import { observed, type BatchObserver } from './batchObserver';
import { slicePage, type LoadedPage, type PageRequest } from './cursor';

/** What paging needs of a list item: its sort key and whose it is. */
export interface ListItemKey {
  readonly id: string;
  readonly accountId: string;
  readonly at: Date;
}

/** One page of one list, validated by the resolver. */
export interface PageKey<F> {
  /** The list's identity: owner and filter (what its cursors are bound to). */
  readonly listId: string;
  /** The accounts whose items the list shows. */
  readonly accountIds: readonly string[];
  readonly filter: F;
  readonly request: PageRequest;
}

export interface KeysetPageSource<F, D> {
  /** Equal filters, equal keys: groups pages into one query per filter. */
  filterKey(filter: F): string;
  /** A filter that can match nothing whatever the data: no query. */
  matchesNothing(filter: F): boolean;
  findKeys(accountIds: readonly string[], filter: F): Promise<ListItemKey[]>;
  findDocuments(ids: readonly string[]): Promise<D[]>;
  idOf(document: D): string;
  /** Called with every document read (to prime a by-id loader). */
  onDocument?(document: D): void;
}

export function createKeysetPageLoader<F, D>(
  observe: BatchObserver,
  name: string,
  source: KeysetPageSource<F, D>,
): DataLoader<PageKey<F>, LoadedPage<D>, string> {
  return new DataLoader<PageKey<F>, LoadedPage<D>, string>(
    observed(observe, name, async (keys) => {
      const groups = new Map<string, { filter: F; accountIds: Set<string> }>();
      for (const key of keys) {
        if (source.matchesNothing(key.filter) || key.accountIds.length === 0) continue;
        const filterKey = source.filterKey(key.filter);
        const group = groups.get(filterKey) ?? { filter: key.filter, accountIds: new Set<string>() };
        for (const accountId of key.accountIds) group.accountIds.add(accountId);
        groups.set(filterKey, group);
      }
      const keysByFilter = new Map<string, Map<string, ListItemKey[]>>();
      await Promise.all(
        [...groups].map(async ([filterKey, group]) => {
          const accountIds = [...group.accountIds];
          const perAccount = groupAligned(accountIds, await source.findKeys(accountIds, group.filter), (item) => item.accountId);
          keysByFilter.set(filterKey, new Map(accountIds.map((id, i) => [id, perAccount[i] ?? []])));
        }),
      );

      const slices = keys.map((key) => {
        const perAccount = keysByFilter.get(source.filterKey(key.filter));
        return slicePage(perAccount ? key.accountIds.flatMap((id) => perAccount.get(id) ?? []) : [], key.request);
      });
      // Read here, not through a shared by-id loader: one read per batch of pages whatever else
      // is loading at the time, so a request's command count depends on its shape only.
      const pageIds = [...new Set(slices.flatMap((slice) => slice.keys.map((item) => item.id)))];
      const documents = new Map<string, D>();
      for (const document of pageIds.length > 0 ? await source.findDocuments(pageIds) : []) {
        documents.set(source.idOf(document), document);
        source.onDocument?.(document);
      }

      // An item deleted between the two reads (a re-import) simply drops out of its page.
      return slices.map((slice) => ({ slice, nodes: slice.keys.flatMap((item) => documents.get(item.id) ?? []) }));
    }),
    {
      cacheKeyFn: ({ listId, request }) =>
        JSON.stringify([listId, request.first, request.after?.at.getTime() ?? null, request.after?.id ?? null]),
    },
  );
}
