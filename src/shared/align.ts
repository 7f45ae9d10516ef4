/**
 * DataLoader contract: the batch function answers one value per key, in key
 * order. These align query results to keys through a Map, never by position.
 */

/** Groups `docs` by `keyOf` into lists aligned with `keys`, keeping the docs' order within a group. */
export function groupAligned<T>(keys: readonly string[], docs: readonly T[], keyOf: (doc: T) => string | null): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const doc of docs) {
    const key = keyOf(doc);
    if (key !== null) groups.get(key)?.push(doc);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/** Looks `docs` up by `_id` for each of `keys`: null where none exists. */
export function alignById<T extends { _id: string }>(keys: readonly string[], docs: readonly T[]): (T | null)[] {
  const byId = new Map(docs.map((doc) => [doc._id, doc]));
  return keys.map((key) => byId.get(key) ?? null);
}

/** The values of a `loadMany`, rethrowing the first failure (a failed batch fails what depends on it). */
export function settled<V>(values: (V | Error)[]): V[] {
  for (const value of values) if (value instanceof Error) throw value;
  return values as V[];
}
