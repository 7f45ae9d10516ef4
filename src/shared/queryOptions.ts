/**
 * Read options shared by every data-access function.
 *
 * The loaders read whole result sets at once (all sort keys of a list, all
 * documents of a batch). The driver's default first batch is 101 documents,
 * after which every further batch is another `getMore` command, so the number
 * of database round trips would grow with the data. One large batch keeps a
 * request's command count fixed; the server still caps a batch at 16 MiB.
 */
import type { FindOptions } from 'mongodb';

export const WHOLE_RESULT: FindOptions = { batchSize: 100_000 };

/**
 * Filter value and read options for documents looked up by a unique key (the
 * `_id`, an order number): a lone key is sent as an equality, and every read
 * asks for at most as many documents as there are distinct keys.
 *
 * Neither changes a result (a unique key matches at most one document), and
 * both are cheaper: MongoDB answers `{_id: x}` on its IDHACK path without
 * query planning, and FerretDB 1.24 (the local and CI database) pushes only a
 * lone `_id` equality down to SQLite and otherwise filters every document of
 * the collection in Go, stopping early once `limit` matches were found.
 * Measured at 1,000 bench users: a balance or account by id 70 ms => 6 ms, an
 * order by number 1.6 s => 0.9 s (bench/README.md).
 */
export function uniqueKeyLookup<K>(keys: readonly K[]): { value: K | { $in: K[] }; options: FindOptions } {
  const distinct = [...new Set(keys)];
  return {
    value: distinct.length === 1 ? distinct[0]! : { $in: distinct },
    options: { ...WHOLE_RESULT, limit: distinct.length },
  };
}
