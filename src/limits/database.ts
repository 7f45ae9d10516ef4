/**
 * Bounds on every database operation.
 *
 * The driver's `timeoutMS` (client-side operation timeout) has no effect in
 * mongodb 7.8+: it was neutralised after a bug in 7.0–7.7 could hand one
 * operation another's reply after a timeout. So each kind of wait is bounded
 * on its own:
 * - server selection (no reachable server): serverSelectionTimeoutMS;
 * - opening a connection: connectTimeoutMS;
 * - a server that stops answering mid-reply: socketTimeoutMS;
 * - a pool with every connection busy: waitQueueTimeoutMS;
 * - a slow query on a healthy server: `maxTimeMS`, sent with every read by
 *   boundedCollections() below, so the server itself aborts it and the
 *   connection stays usable.
 */
import type { Collection, MongoClientOptions } from 'mongodb';
import type { DatabaseLimits } from './settings';

/** Options that MONGODB_URI itself sets (case-insensitive), so that our defaults never override the operator's URI. */
function optionsInUri(uri: string | undefined): Set<string> {
  const names = new Set<string>();
  if (!uri) return names;
  const query = uri.indexOf('?');
  if (query < 0) return names;
  for (const pair of uri.slice(query + 1).split('&')) {
    const name = pair.split('=')[0];
    if (name) names.add(name.toLowerCase());
  }
  return names;
}

/**
 * The client options for `limits`. An option named in the URI's query string
 * is left to the URI unless its variable was set explicitly (`explicit`).
 */
export function mongoClientOptions(
  limits: DatabaseLimits,
  uri?: string,
  explicit: ReadonlySet<keyof DatabaseLimits> = new Set(),
): MongoClientOptions {
  const inUri = optionsInUri(uri);
  const options: MongoClientOptions = {
    // Command events feed the database latency metrics (observability/databaseMetrics.ts).
    monitorCommands: true,
    // Reads are idempotent: one retry rides over a primary stepping down.
    retryReads: true,
  };
  const set = <K extends keyof MongoClientOptions>(name: K, key: keyof DatabaseLimits, value: MongoClientOptions[K]): void => {
    if (value === undefined) return;
    if (inUri.has(String(name).toLowerCase()) && !explicit.has(key)) return;
    options[name] = value;
  };
  set('serverSelectionTimeoutMS', 'serverSelectionTimeoutMs', limits.serverSelectionTimeoutMs);
  set('connectTimeoutMS', 'connectTimeoutMs', limits.connectTimeoutMs);
  set('socketTimeoutMS', 'socketTimeoutMs', limits.socketTimeoutMs);
  set('waitQueueTimeoutMS', 'waitQueueTimeoutMs', limits.waitQueueTimeoutMs);
  set('maxPoolSize', 'maxPoolSize', limits.maxPoolSize);
  set('readPreference', 'readPreference', limits.readPreference);
  return options;
}

/** The read methods whose options (the argument at `index`) take `maxTimeMS`. */
const OPTIONS_ARGUMENT: Readonly<Record<string, number>> = {
  find: 1,
  findOne: 1,
  aggregate: 1,
  countDocuments: 1,
  estimatedDocumentCount: 0,
  // Not `distinct`: FerretDB 1.24 refuses maxTimeMS there ("unknown field").
};

function withMaxTime(options: unknown, maxTimeMs: number): unknown {
  if (options === undefined || options === null) return { maxTimeMS: maxTimeMs };
  if (typeof options !== 'object') return options;
  const given = options as { maxTimeMS?: unknown };
  // A caller's own, shorter or longer, limit wins: it knows its query.
  return given.maxTimeMS === undefined ? { ...given, maxTimeMS: maxTimeMs } : options;
}

/**
 * The same collection, except that every read sends `maxTimeMS` unless the
 * caller gave one. Everything else passes through untouched.
 */
export function boundedCollection<T extends Collection<never>>(collection: T, maxTimeMs: number): T {
  return new Proxy(collection, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      const index = OPTIONS_ARGUMENT[property];
      if (index === undefined) return value;
      return (...args: unknown[]) => {
        const padded = args.length > index ? [...args] : [...args, ...new Array<unknown>(index - args.length), undefined];
        padded[index] = withMaxTime(padded[index], maxTimeMs);
        return (value as (...a: unknown[]) => unknown).apply(target, padded);
      };
    },
  });
}

/** Every collection of `collections` bounded by boundedCollection. */
export function boundedCollections<C extends object>(collections: C, maxTimeMs: number): C {
  const bounded: Record<string, unknown> = {};
  for (const [name, collection] of Object.entries(collections)) bounded[name] = boundedCollection(collection as Collection<never>, maxTimeMs);
  return bounded as C;
}
