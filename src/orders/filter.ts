/**
 * The `PocoOrderFilter` input, normalised once so that equal filters give the
 * same database query, the same DataLoader key and the same cursor list id.
 */
import type { Filter } from 'mongodb';
import type { OrderDoc } from '../db/documents';
import type { PocoOrderFilter } from '../generated/resolvers';
import type { OrderStatus, PocoStore } from '../shared/codes';

export interface OrderFilter {
  /** null = any status; [] = none matches ("one of these statuses" with none given). */
  readonly statuses: readonly OrderStatus[] | null;
  readonly stores: readonly PocoStore[] | null;
  /** Inclusive. */
  readonly placedAfter: Date | null;
  /** Exclusive. */
  readonly placedBefore: Date | null;
}

function sortedUnique<T extends string>(values: readonly T[] | null | undefined): readonly T[] | null {
  if (values === null || values === undefined) return null;
  return [...new Set(values)].sort();
}

export function normaliseOrderFilter(input: PocoOrderFilter | null | undefined): OrderFilter {
  return {
    statuses: sortedUnique(input?.status),
    stores: sortedUnique(input?.store),
    placedAfter: input?.placedAfter ?? null,
    placedBefore: input?.placedBefore ?? null,
  };
}

/** A stable text form: equal filters, equal keys. */
export function orderFilterKey(filter: OrderFilter): string {
  return JSON.stringify([
    filter.statuses,
    filter.stores,
    filter.placedAfter?.getTime() ?? null,
    filter.placedBefore?.getTime() ?? null,
  ]);
}

/** Whether the filter can match nothing whatever the data (skip the database). */
export function matchesNothing(filter: OrderFilter): boolean {
  return (
    filter.statuses?.length === 0 ||
    filter.stores?.length === 0 ||
    (filter.placedAfter !== null && filter.placedBefore !== null && filter.placedAfter >= filter.placedBefore)
  );
}

/** The query on orders of `accountIds` matching the filter. */
export function orderQuery(accountIds: readonly string[], filter: OrderFilter): Filter<OrderDoc> {
  const query: Filter<OrderDoc> = { accountId: { $in: [...accountIds] } };
  if (filter.statuses !== null) query.status = { $in: [...filter.statuses] };
  if (filter.stores !== null) query.store = { $in: [...filter.stores] };
  if (filter.placedAfter !== null || filter.placedBefore !== null) {
    query.placedAt = {
      ...(filter.placedAfter !== null ? { $gte: filter.placedAfter } : {}),
      ...(filter.placedBefore !== null ? { $lt: filter.placedBefore } : {}),
    };
  }
  return query;
}
