/**
 * Keyset conditions on a newest-first list sorted by (time field, `_id`)
 * descending (src/shared/cursor.ts), as database filters.
 */
import type { KeysetPosition } from './cursor';

/** The database sort of a newest-first list on `field`. */
export function newestFirstSort(field: string): Record<string, -1> {
  return { [field]: -1, _id: -1 };
}

/** Items strictly after `position` in the list (older, or as old with a smaller id). */
export function afterPosition(field: string, position: KeysetPosition): Record<string, unknown> {
  return { $or: [{ [field]: { $lt: position.at } }, { [field]: position.at, _id: { $lt: position.id } }] };
}

/** Items at `position` or before it in the list (newer, or as new with an id not smaller). */
export function upToPosition(field: string, position: KeysetPosition): Record<string, unknown> {
  return { $or: [{ [field]: { $gt: position.at } }, { [field]: position.at, _id: { $gte: position.id } }] };
}

/** `query` and, when given, one more condition (kept apart: both may constrain the same field). */
export function andAlso<Q extends object>(query: Q, condition: Record<string, unknown> | null): Q {
  return condition === null ? query : ({ $and: [query, condition] } as unknown as Q);
}
