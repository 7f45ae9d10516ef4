/**
 * One DataLoader shape for every newest-first list of an account set (orders,
 * the points ledger), built so that the cost of a page follows the page, not
 * the length of the history (issue 9), while all pages requested in one tick,
 * for every user and account, still cost a fixed number of database commands.
 *
 * Per distinct filter, in two rounds:
 *  1. one `$group` count of the matching items per account, over every
 *     account of every page (FerretDB 1.24 has `$sum`): the exact totalCount,
 *     and how long each list is;
 *  2. - lists whose every account has at most `first + 1 + SMALL_LIST_SLACK`
 *       matching items ("small": nearly every real user) are read whole in ONE
 *       shared find over all their accounts and paged in memory
 *       (slicePage), exactly as before;
 *     - a list with a longer account (a reseller) gets its own find with the
 *       keyset condition, sorted newest first, `limit: first + 1`, and, when
 *       it has a cursor, one `limit: 1` probe for hasPreviousPage.
 *
 * So a page reads at most (first + 1 + SMALL_LIST_SLACK) documents per
 * account plus one count row per account, and a batch costs 2 commands per
 * filter plus 1 (2 with a cursor) per list holding a long account. A single
 * command cannot take "the newest N of each account" on FerretDB 1.24 (no
 * `$setWindowFields`, `$topN`, `$push` or `$unionWith`), hence the split: the
 * command count grows only with the number of long lists in the batch, never
 * with the number of users. See bench/README.md for the figures.
 */
import DataLoader from 'dataloader';
import { observed, type BatchObserver } from './batchObserver';
import { compareNewestFirst, slicePage, type KeysetPosition, type LoadedPage, type PageRequest } from './cursor';

/**
 * How many matching items beyond a page an account may hold and still be read
 * whole in the shared query. Above it an account's list is paged by its own
 * query. 20: a normal customer's history (the bench's users have at most 6
 * orders and about 15 ledger entries per account) never costs a command of
 * its own, while a long one costs at most 20 documents more than its page.
 */
export const SMALL_LIST_SLACK = 20;

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
  /** Every matching document of these accounts (each known to hold few). One command. */
  findAll(accountIds: readonly string[], filter: F): Promise<D[]>;
  /** The newest `limit` matching documents strictly after `after` (null = from the start), newest first. */
  findPage(accountIds: readonly string[], filter: F, after: KeysetPosition | null, limit: number): Promise<D[]>;
  /** Whether a matching item sits at `position` or before it (newer): hasPreviousPage. */
  existsUpTo(accountIds: readonly string[], filter: F, position: KeysetPosition): Promise<boolean>;
  positionOf(document: D): KeysetPosition;
  accountOf(document: D): string;
  /** Called with every document read (to prime a by-id loader). */
  onDocument?(document: D): void;
}

/** The most items an account may hold for its list to be read whole (see SMALL_LIST_SLACK). */
export function smallListLimit(first: number): number {
  return first + 1 + SMALL_LIST_SLACK;
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
    const isSmall = (key: PageKey<F>): boolean =>
      key.accountIds.every((accountId) => countOf(accountId) <= smallListLimit(key.request.first));

    const smallAccounts = [
      ...new Set(keys.filter(isSmall).flatMap((key) => key.accountIds.filter((accountId) => countOf(accountId) > 0))),
    ];
    const [smallDocuments, largePages] = await Promise.all([
      smallAccounts.length > 0 ? source.findAll(smallAccounts, filter) : Promise.resolve([]),
      Promise.all(keys.map((key) => (isSmall(key) ? null : loadLargePage(key, filter, countOf)))),
    ]);

    const byAccount = new Map<string, D[]>();
    for (const document of smallDocuments) {
      source.onDocument?.(document);
      const list = byAccount.get(source.accountOf(document)) ?? [];
      list.push(document);
      byAccount.set(source.accountOf(document), list);
    }
    return keys.map((key, i) => {
      const large = largePages[i];
      if (large) return large;
      // Paged in memory on what was read, so totalCount and the nodes agree even if an import ran in between.
      const documents = [...new Set(key.accountIds)].flatMap((accountId) => byAccount.get(accountId) ?? []);
      const items = documents.map((document) => ({ ...source.positionOf(document), document }));
      const slice = slicePage(items, key.request);
      return {
        slice: { ...slice, keys: slice.keys.map(({ at, id }) => ({ at, id })) },
        nodes: slice.keys.map((item) => item.document),
      };
    });
  }

  /** A list with a long account: its own bounded query (+ a one-document probe behind a cursor). */
  async function loadLargePage(key: PageKey<F>, filter: F, countOf: (accountId: string) => number): Promise<LoadedPage<D>> {
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
