/**
 * One DataLoader shape for every newest-first list of an account set (orders,
 * the points ledger), built so that the cost of a page follows the page, not
 * the length of the history (issue 9), while all pages requested in one tick,
 * for every user and account, still cost a fixed number of database commands.
 *
 * Per distinct filter:
 *  1. one `$group` count of the matching items per account, over every
 *     account of every page (FerretDB 1.24 has `$sum`): the exact totalCount,
 *     and how long each list is;
 *  2. when every list's accounts hold at most `first + 1` matching items
 *     (nearly every real customer), ONE read of all their documents, paged
 *     in memory (slicePage) exactly as before;
 *  3. otherwise the lists whose accounts hold at most SMALL_LIST_MAX share ONE
 *     read of their sort keys (three small fields), are paged in memory, and
 *     share ONE read of their pages' documents by id;
 *  4. a list with a longer account (a reseller) gets its own find with the
 *     keyset condition, sorted newest first, `limit: first + 1`, plus, behind
 *     a cursor, one `limit: 1` probe for hasPreviousPage.
 *
 * So a page returns at most one count row per account and, per account,
 * `first + 1` documents (tiers 2 and 4; tier 4 per list, +1 probe) or
 * SMALL_LIST_MAX sort keys plus its page (tier 3). A batch costs 1 command
 * per filter, plus 1 (tier 2) or 2 (tier 3), plus 1 (2 behind a cursor) per
 * long list: never more because there are more users. A single
 * command cannot take "the newest N of each account" on FerretDB 1.24 (no
 * `$setWindowFields`, `$topN`, `$firstN`, `$push` or `$unionWith`), hence the
 * tiers; bench/README.md has the figures and the trade-off.
 */
import DataLoader from 'dataloader';
import { observed, type BatchObserver } from './batchObserver';
import { compareNewestFirst, MAX_PAGE_SIZE, slicePage, type KeysetPosition, type LoadedPage, type PageRequest } from './cursor';

/**
 * The most matching items an account may hold for its lists to be read whole
 * (as sort keys: `_id`, account, time). The largest page plus one: such a list
 * costs at most one largest page of keys per account. On FerretDB 1.24 every
 * command scans its collection, so a list read whole (shared by the batch) is
 * far cheaper there than a query of its own; above this, a page's own bounded
 * query wins everywhere.
 */
export const SMALL_LIST_MAX = MAX_PAGE_SIZE + 1;

/** What paging needs of a short list's item: its sort key and whose it is. */
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
  /** How many items of each of these accounts match the filter (absent = 0). One command. */
  countByAccount(accountIds: readonly string[], filter: F): Promise<Map<string, number>>;
  /**
   * The sort keys of every matching item of these accounts (each known to hold few), at most `limit`
   * (the count: FerretDB stops scanning once it has them). One command.
   */
  findKeys(accountIds: readonly string[], filter: F, limit: number): Promise<ListItemKey[]>;
  /**
   * In ONE command: the documents with these ids, and every matching document of `accountIds`
   * (each known to hold at most a page + 1), at most `limit` (how many that makes, by the count).
   */
  findDocuments(ids: readonly string[], accountIds: readonly string[], filter: F, limit: number): Promise<D[]>;
  idOf(document: D): string;
  /** The newest `limit` matching documents strictly after `after` (null = from the start), newest first. */
  findPage(accountIds: readonly string[], filter: F, after: KeysetPosition | null, limit: number): Promise<D[]>;
  /** Whether a matching item sits at `position` or before it (newer): hasPreviousPage. */
  existsUpTo(accountIds: readonly string[], filter: F, position: KeysetPosition): Promise<boolean>;
  positionOf(document: D): KeysetPosition;
  accountOf(document: D): string;
  /** Called with every document read (to prime a by-id loader). */
  onDocument?(document: D): void;
}

const EMPTY_PAGE: LoadedPage<never> = {
  slice: { keys: [], totalCount: 0, hasNextPage: false, hasPreviousPage: false },
  nodes: [],
};

export function createKeysetPageLoader<F, D>(
  observe: BatchObserver,
  name: string,
  source: KeysetPageSource<F, D>,
): DataLoader<PageKey<F>, LoadedPage<D>, string> {
  /** The pages of one filter: counted together, small ones read together. */
  async function loadGroup(keys: readonly PageKey<F>[], filter: F): Promise<LoadedPage<D>[]> {
    const allAccounts = [...new Set(keys.flatMap((key) => key.accountIds))];
    const counts = await source.countByAccount(allAccounts, filter);
    const countOf = (accountId: string): number => counts.get(accountId) ?? 0;
    const longest = (key: PageKey<F>): number => Math.max(0, ...key.accountIds.map(countOf));
    const tierOf = (key: PageKey<F>): 'whole' | 'keys' | 'own' =>
      longest(key) <= key.request.first + 1 ? 'whole' : longest(key) <= SMALL_LIST_MAX ? 'keys' : 'own';
    // Whole lists share the keyed read when there is one (one scan fewer on FerretDB than a second read).
    const short = keys.filter((key) => tierOf(key) !== 'own');
    const anyKeyed = short.some((key) => tierOf(key) === 'keys');
    const [shortPages, ownPages] = await Promise.all([
      loadShortPages(anyKeyed ? [] : short, anyKeyed ? short : [], filter, countOf),
      Promise.all(keys.map((key) => (tierOf(key) === 'own' ? loadOwnPage(key, filter, countOf) : null))),
    ]);
    return keys.map((key, i) => ownPages[i] ?? shortPages.get(key)!);
  }

  /**
   * Short lists, in one of two ways: when every one fits in its page (+1), one read of all their
   * documents; otherwise one read of their sort keys and one of the pages' documents by id. On
   * FerretDB every command scans its collection (a read with a limit stops early), so the number of
   * reads, not their size, is what costs there.
   */
  async function loadShortPages(
    wholeKeys: readonly PageKey<F>[],
    keyedKeys: readonly PageKey<F>[],
    filter: F,
    countOf: (accountId: string) => number,
  ): Promise<Map<PageKey<F>, LoadedPage<D>>> {
    const accountsOf = (keys: readonly PageKey<F>[]): string[] => [
      ...new Set(keys.flatMap((key) => key.accountIds.filter((accountId) => countOf(accountId) > 0))),
    ];
    const wholeAccounts = accountsOf(wholeKeys);
    const keyedAccounts = accountsOf(keyedKeys);
    const keysByAccount = new Map<string, ListItemKey[]>();
    const expected = (accounts: readonly string[]): number => accounts.reduce((sum, accountId) => sum + countOf(accountId), 0);
    for (const item of keyedAccounts.length > 0 ? await source.findKeys(keyedAccounts, filter, expected(keyedAccounts)) : []) {
      const list = keysByAccount.get(item.accountId) ?? [];
      list.push(item);
      keysByAccount.set(item.accountId, list);
    }
    const keyedSlices = keyedKeys.map((key) =>
      slicePage([...new Set(key.accountIds)].flatMap((accountId) => keysByAccount.get(accountId) ?? []), key.request),
    );
    // Read here, not through a shared by-id loader: one read per batch of pages whatever else
    // is loading at the time, so a request's command count depends on its shape only.
    const pageIds = [...new Set(keyedSlices.flatMap((slice) => slice.keys.map((item) => item.id)))];
    const byId = new Map<string, D>();
    const byAccount = new Map<string, (KeysetPosition & { document: D })[]>();
    const wholeAccountSet = new Set(wholeAccounts);
    const read =
      pageIds.length > 0 || wholeAccounts.length > 0
        ? await source.findDocuments(pageIds, wholeAccounts, filter, pageIds.length + expected(wholeAccounts))
        : [];
    for (const document of read) {
      byId.set(source.idOf(document), document);
      source.onDocument?.(document);
      const accountId = source.accountOf(document);
      if (!wholeAccountSet.has(accountId)) continue;
      const list = byAccount.get(accountId) ?? [];
      list.push({ ...source.positionOf(document), document });
      byAccount.set(accountId, list);
    }

    const pages = new Map<PageKey<F>, LoadedPage<D>>();
    // Paged on what was read, so totalCount and the nodes agree even if an import ran since the count.
    for (const key of wholeKeys) {
      const slice = slicePage([...new Set(key.accountIds)].flatMap((accountId) => byAccount.get(accountId) ?? []), key.request);
      pages.set(key, { slice: { ...slice, keys: slice.keys.map(({ at, id }) => ({ at, id })) }, nodes: slice.keys.map((item) => item.document) });
    }
    // An item deleted between the two reads (a re-import) simply drops out of its page.
    keyedKeys.forEach((key, i) => {
      const slice = keyedSlices[i]!;
      pages.set(key, { slice, nodes: slice.keys.flatMap((item) => byId.get(item.id) ?? []) });
    });
    return pages;
  }

  /** A list with a long account: its own bounded query (+ a one-document probe behind a cursor). */
  async function loadOwnPage(key: PageKey<F>, filter: F, countOf: (accountId: string) => number): Promise<LoadedPage<D>> {
    const accountIds = [...new Set(key.accountIds)].filter((accountId) => countOf(accountId) > 0);
    const { first, after } = key.request;
    const [documents, before] = await Promise.all([
      source.findPage(accountIds, filter, after, first + 1),
      after === null ? Promise.resolve(false) : source.existsUpTo(accountIds, filter, after),
    ]);
    // The database's order is (at, _id) descending already; sorting again keeps the API's tie rule in one place.
    const sorted = [...documents].sort((a, b) => compareNewestFirst(source.positionOf(a), source.positionOf(b)));
    const nodes = sorted.slice(0, first);
    for (const document of nodes) source.onDocument?.(document);
    return {
      slice: {
        keys: nodes.map((document) => source.positionOf(document)),
        totalCount: accountIds.reduce((sum, accountId) => sum + countOf(accountId), 0),
        hasNextPage: sorted.length > first,
        hasPreviousPage: before,
      },
      nodes,
    };
  }

  return new DataLoader<PageKey<F>, LoadedPage<D>, string>(
    observed(observe, name, async (keys) => {
      const groups = new Map<string, { filter: F; indices: number[] }>();
      keys.forEach((key, index) => {
        if (source.matchesNothing(key.filter) || key.accountIds.length === 0) return;
        const filterKey = source.filterKey(key.filter);
        const group = groups.get(filterKey) ?? { filter: key.filter, indices: [] };
        group.indices.push(index);
        groups.set(filterKey, group);
      });
      const pages: LoadedPage<D>[] = keys.map(() => EMPTY_PAGE);
      await Promise.all(
        [...groups.values()].map(async ({ filter, indices }) => {
          const loaded = await loadGroup(
            indices.map((index) => keys[index]!),
            filter,
          );
          indices.forEach((index, i) => {
            pages[index] = loaded[i]!;
          });
        }),
      );
      return pages;
    }),
    {
      cacheKeyFn: ({ listId, request }) =>
        JSON.stringify([listId, request.first, request.after?.at.getTime() ?? null, request.after?.id ?? null]),
    },
  );
}
