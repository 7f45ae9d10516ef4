/**
 * The service's protective limits and database timeouts, with their documented
 * defaults (README "Limits"). Read from the environment once, by loadConfig,
 * through readLimitSettings: a bad value stops the process with one line
 * naming the variable, like every other setting.
 *
 * Why these defaults: each one lets every request runtime.md lists as
 * legitimate pass (`_entities` for 100 users with every field of a `me`
 * page, 1000 order references with every field, `users(ids:)` of 100 through
 * a gateway) and refuses
 * what only an attacker or a runaway client sends (test/limits proves both).
 */

export interface RequestLimits {
  /** Lexical tokens in one document (Apollo's parseOptions.maxTokens): GRAPHQL_MAX_TOKENS. */
  readonly maxTokens: number;
  /** Nested fields, not counting fragments (routers wrap `_entities` in inline fragments): GRAPHQL_MAX_DEPTH. */
  readonly maxDepth: number;
  /** Aliased fields in one operation, fragments expanded: GRAPHQL_MAX_ALIASES. */
  readonly maxAliases: number;
  /** Directives in one operation, fragments expanded: GRAPHQL_MAX_DIRECTIVES. */
  readonly maxDirectives: number;
  /** Fields at the root of one operation: GRAPHQL_MAX_ROOT_FIELDS. */
  readonly maxRootFields: number;
  /** `_entities` representations in one request: GRAPHQL_MAX_REPRESENTATIONS. */
  readonly maxRepresentations: number;
  /** The operation's cost, all entities together (see queryCost.ts): GRAPHQL_MAX_COST. */
  readonly maxCost: number;
  /** The cost of one entity (one `_entities` representation, one object a root field returns): GRAPHQL_MAX_COST_PER_ENTITY. */
  readonly maxCostPerEntity: number;
}

export interface DatabaseLimits {
  /** How long an operation may wait for a usable server: MONGODB_SERVER_SELECTION_TIMEOUT_MS. */
  readonly serverSelectionTimeoutMs: number;
  /** How long opening a connection may take: MONGODB_CONNECT_TIMEOUT_MS. */
  readonly connectTimeoutMs: number;
  /** How long a socket may stay silent while a reply is due: MONGODB_SOCKET_TIMEOUT_MS. */
  readonly socketTimeoutMs: number;
  /** How long an operation may wait for a free pooled connection: MONGODB_WAIT_QUEUE_TIMEOUT_MS. */
  readonly waitQueueTimeoutMs: number;
  /** Server-side time limit sent with every read (`maxTimeMS`): MONGODB_MAX_TIME_MS. */
  readonly maxTimeMs: number;
  /** Connections per server: MONGODB_MAX_POOL_SIZE. */
  readonly maxPoolSize: number;
  /** MONGODB_READ_PREFERENCE; undefined = whatever MONGODB_URI says (primary by default). */
  readonly readPreference: ReadPreferenceName | undefined;
}

/** How long a client may take to send a request (slow-client protection of node:http). */
export interface HttpTimeouts {
  /** From connection (or the previous response) until the request's headers are in: HTTP_HEADERS_TIMEOUT_MS. */
  readonly headersTimeoutMs: number;
  /** Until the whole request, body included, is in: HTTP_REQUEST_TIMEOUT_MS. */
  readonly requestTimeoutMs: number;
}

export interface LimitSettings {
  readonly request: RequestLimits;
  readonly database: DatabaseLimits;
  readonly http: HttpTimeouts;
  /** How long shutdown waits for in-flight requests before closing them: SHUTDOWN_GRACE_MS. */
  readonly shutdownGraceMs: number;
  /**
   * When set, /graphql answers 401 unless the request carries this value in
   * the `x-router-secret` header (ROUTER_SHARED_SECRET).
   */
  readonly routerSharedSecret: string | undefined;
}

export const READ_PREFERENCES = ['primary', 'primaryPreferred', 'secondary', 'secondaryPreferred', 'nearest'] as const;
export type ReadPreferenceName = (typeof READ_PREFERENCES)[number];

export const DEFAULT_REQUEST_LIMITS: RequestLimits = Object.freeze({
  maxTokens: 3000,
  maxDepth: 15,
  maxAliases: 30,
  maxDirectives: 50,
  maxRootFields: 20,
  maxRepresentations: 1000,
  // Calibrated on seeded data (README "Cost"): 100 users' full `me` pages
  // estimate 456,700 (4,567 each) and 1000 full orders 317,000; one user with
  // `first: 100` for both pages 35,137 (2.8x under the per-entity budget). An
  // alias flood of 30 pages of 100 is 9.5x over the per-entity budget, nested
  // pages 42x and 1000 users x 100 orders 33x over the total.
  maxCost: 1_000_000,
  maxCostPerEntity: 100_000,
});

export const DEFAULT_DATABASE_LIMITS: DatabaseLimits = Object.freeze({
  serverSelectionTimeoutMs: 2000,
  connectTimeoutMs: 2000,
  // Longer than maxTimeMs, so the server's own time limit answers first and
  // the connection survives; the socket timeout is for a server that went silent.
  socketTimeoutMs: 5000,
  waitQueueTimeoutMs: 2000,
  maxTimeMs: 3000,
  maxPoolSize: 20,
  readPreference: undefined,
});

export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** A router sends a request at once; only a slow or malicious client takes seconds over its headers. */
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = Object.freeze({ headersTimeoutMs: 15_000, requestTimeoutMs: 30_000 });

/** The header a router sends ROUTER_SHARED_SECRET in. */
export const ROUTER_SECRET_HEADER = 'x-router-secret';
export const MIN_ROUTER_SECRET_LENGTH = 16;

/** Each variable with its bounds: [name, key, min, max]. */
const REQUEST_VARIABLES: readonly [string, keyof RequestLimits, number, number][] = [
  ['GRAPHQL_MAX_TOKENS', 'maxTokens', 100, 1_000_000],
  ['GRAPHQL_MAX_DEPTH', 'maxDepth', 2, 1000],
  ['GRAPHQL_MAX_ALIASES', 'maxAliases', 0, 100_000],
  ['GRAPHQL_MAX_DIRECTIVES', 'maxDirectives', 0, 100_000],
  ['GRAPHQL_MAX_ROOT_FIELDS', 'maxRootFields', 1, 100_000],
  ['GRAPHQL_MAX_REPRESENTATIONS', 'maxRepresentations', 1, 1_000_000],
  ['GRAPHQL_MAX_COST', 'maxCost', 1, 1_000_000_000],
  ['GRAPHQL_MAX_COST_PER_ENTITY', 'maxCostPerEntity', 1, 1_000_000_000],
];

const DATABASE_VARIABLES: readonly [string, Exclude<keyof DatabaseLimits, 'readPreference'>, number, number][] = [
  ['MONGODB_SERVER_SELECTION_TIMEOUT_MS', 'serverSelectionTimeoutMs', 1, 600_000],
  ['MONGODB_CONNECT_TIMEOUT_MS', 'connectTimeoutMs', 1, 600_000],
  ['MONGODB_SOCKET_TIMEOUT_MS', 'socketTimeoutMs', 1, 3_600_000],
  ['MONGODB_WAIT_QUEUE_TIMEOUT_MS', 'waitQueueTimeoutMs', 1, 600_000],
  ['MONGODB_MAX_TIME_MS', 'maxTimeMs', 1, 3_600_000],
  ['MONGODB_MAX_POOL_SIZE', 'maxPoolSize', 1, 10_000],
];

/** A bad limit: `variable` names it, `problem` says what is wrong (one line). */
export class LimitSettingError extends Error {
  override readonly name = 'LimitSettingError';
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value.trim() === '') return undefined;
  return value.trim();
}

function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new LimitSettingError(name, `must be a whole number from ${min} to ${max}; got ${shown(text)}`);
  }
  return number;
}

/** Reads every limit; throws LimitSettingError naming the first bad variable. */
export function readLimitSettings(env: NodeJS.ProcessEnv): LimitSettings {
  const request: Record<string, number> = { ...DEFAULT_REQUEST_LIMITS };
  for (const [name, key, min, max] of REQUEST_VARIABLES) {
    const text = read(env, name);
    if (text !== undefined) request[key] = wholeNumber(name, text, min, max);
  }
  const database: Record<string, unknown> = { ...DEFAULT_DATABASE_LIMITS };
  for (const [name, key, min, max] of DATABASE_VARIABLES) {
    const text = read(env, name);
    if (text !== undefined) database[key] = wholeNumber(name, text, min, max);
  }
  const readPreferenceText = read(env, 'MONGODB_READ_PREFERENCE');
  if (readPreferenceText !== undefined) {
    const found = READ_PREFERENCES.find((name) => name.toLowerCase() === readPreferenceText.toLowerCase());
    if (!found) {
      throw new LimitSettingError('MONGODB_READ_PREFERENCE', `must be one of ${READ_PREFERENCES.join(', ')}; got ${shown(readPreferenceText)}`);
    }
    database.readPreference = found;
  }
  const databaseLimits = database as unknown as DatabaseLimits;
  if (databaseLimits.socketTimeoutMs <= databaseLimits.maxTimeMs) {
    throw new LimitSettingError(
      'MONGODB_SOCKET_TIMEOUT_MS',
      `must be longer than MONGODB_MAX_TIME_MS (${databaseLimits.maxTimeMs}), so that the server's time limit answers first; got ${databaseLimits.socketTimeoutMs}`,
    );
  }

  const headersText = read(env, 'HTTP_HEADERS_TIMEOUT_MS');
  const requestText = read(env, 'HTTP_REQUEST_TIMEOUT_MS');
  const http: HttpTimeouts = Object.freeze({
    headersTimeoutMs:
      headersText === undefined ? DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs : wholeNumber('HTTP_HEADERS_TIMEOUT_MS', headersText, 100, 600_000),
    requestTimeoutMs:
      requestText === undefined ? DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs : wholeNumber('HTTP_REQUEST_TIMEOUT_MS', requestText, 100, 3_600_000),
  });
  if (http.headersTimeoutMs > http.requestTimeoutMs) {
    // node:http refuses a headers timeout longer than the request timeout.
    throw new LimitSettingError(
      'HTTP_HEADERS_TIMEOUT_MS',
      `must not be longer than HTTP_REQUEST_TIMEOUT_MS (${http.requestTimeoutMs}); got ${http.headersTimeoutMs}`,
    );
  }

  const graceText = read(env, 'SHUTDOWN_GRACE_MS');
  const shutdownGraceMs = graceText === undefined ? DEFAULT_SHUTDOWN_GRACE_MS : wholeNumber('SHUTDOWN_GRACE_MS', graceText, 0, 600_000);

  // Not trimmed: a secret is compared byte for byte with what the router sends.
  const secret = env.ROUTER_SHARED_SECRET;
  let routerSharedSecret: string | undefined;
  if (secret !== undefined && secret !== '') {
    if (secret.length < MIN_ROUTER_SECRET_LENGTH || /[\s]/.test(secret)) {
      throw new LimitSettingError(
        'ROUTER_SHARED_SECRET',
        `must be at least ${MIN_ROUTER_SECRET_LENGTH} characters without spaces; got ${secret.length} characters`,
      );
    }
    routerSharedSecret = secret;
  }

  return Object.freeze({
    request: Object.freeze(request as unknown as RequestLimits),
    database: Object.freeze(databaseLimits),
    http,
    shutdownGraceMs,
    routerSharedSecret,
  });
}
