import { loadConfig, ConfigError } from '../../src/config';
import { DEFAULT_DATABASE_LIMITS, DEFAULT_HTTP_TIMEOUTS, DEFAULT_REQUEST_LIMITS, DEFAULT_SHUTDOWN_GRACE_MS, readLimitSettings } from '../../src/limits/settings';

test('without variables every limit has its documented default', () => {
  const settings = readLimitSettings({});
  expect(settings.request).toEqual({
    maxTokens: 3000,
    maxDepth: 15,
    maxAliases: 30,
    maxDirectives: 50,
    maxRootFields: 20,
    maxRepresentations: 1000,
    maxCost: 1_000_000,
    maxCostPerEntity: 100_000,
  });
  expect(settings.request).toEqual(DEFAULT_REQUEST_LIMITS);
  expect(settings.database).toEqual({
    serverSelectionTimeoutMs: 2000,
    connectTimeoutMs: 2000,
    socketTimeoutMs: 5000,
    waitQueueTimeoutMs: 2000,
    maxTimeMs: 3000,
    maxPoolSize: 20,
    readPreference: undefined,
  });
  expect(settings.database).toEqual(DEFAULT_DATABASE_LIMITS);
  expect(settings.shutdownGraceMs).toBe(DEFAULT_SHUTDOWN_GRACE_MS);
  expect(settings.routerSharedSecret).toBeUndefined();
});

test('each variable overrides its limit', () => {
  const settings = readLimitSettings({
    GRAPHQL_MAX_TOKENS: '8000',
    GRAPHQL_MAX_DEPTH: '12',
    GRAPHQL_MAX_ALIASES: '10',
    GRAPHQL_MAX_DIRECTIVES: '5',
    GRAPHQL_MAX_ROOT_FIELDS: '3',
    GRAPHQL_MAX_REPRESENTATIONS: '200',
    GRAPHQL_MAX_COST: '5000',
    GRAPHQL_MAX_COST_PER_ENTITY: '400',
    MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1000',
    MONGODB_CONNECT_TIMEOUT_MS: '1500',
    MONGODB_SOCKET_TIMEOUT_MS: '9000',
    MONGODB_WAIT_QUEUE_TIMEOUT_MS: '700',
    MONGODB_MAX_TIME_MS: '4000',
    MONGODB_MAX_POOL_SIZE: '50',
    MONGODB_READ_PREFERENCE: 'secondaryPreferred',
    SHUTDOWN_GRACE_MS: '20000',
    ROUTER_SHARED_SECRET: 'a-long-enough-router-secret',
  });
  expect(settings.request).toEqual({
    maxTokens: 8000,
    maxDepth: 12,
    maxAliases: 10,
    maxDirectives: 5,
    maxRootFields: 3,
    maxRepresentations: 200,
    maxCost: 5000,
    maxCostPerEntity: 400,
  });
  expect(settings.database).toEqual({
    serverSelectionTimeoutMs: 1000,
    connectTimeoutMs: 1500,
    socketTimeoutMs: 9000,
    waitQueueTimeoutMs: 700,
    maxTimeMs: 4000,
    maxPoolSize: 50,
    readPreference: 'secondaryPreferred',
  });
  expect(settings.shutdownGraceMs).toBe(20000);
  expect(settings.routerSharedSecret).toBe('a-long-enough-router-secret');
});

test.each([
  [{ GRAPHQL_MAX_DEPTH: 'deep' }, 'GRAPHQL_MAX_DEPTH: must be a whole number from 2 to 1000; got "deep"'],
  [{ GRAPHQL_MAX_COST: '0' }, 'GRAPHQL_MAX_COST: must be a whole number from 1 to 1000000000; got "0"'],
  [{ GRAPHQL_MAX_COST_PER_ENTITY: '1e5' }, 'GRAPHQL_MAX_COST_PER_ENTITY: must be a whole number from 1 to 1000000000; got "1e5"'],
  [{ MONGODB_MAX_POOL_SIZE: '-1' }, 'MONGODB_MAX_POOL_SIZE: must be a whole number from 1 to 10000; got "-1"'],
  [{ MONGODB_READ_PREFERENCE: 'fastest' }, 'MONGODB_READ_PREFERENCE: must be one of primary, primaryPreferred, secondary, secondaryPreferred, nearest; got "fastest"'],
  [{ MONGODB_MAX_TIME_MS: '6000' }, 'MONGODB_SOCKET_TIMEOUT_MS: must be longer than MONGODB_MAX_TIME_MS (6000), so that the server\'s time limit answers first; got 5000'],
  [{ ROUTER_SHARED_SECRET: 'short' }, 'ROUTER_SHARED_SECRET: must be at least 16 characters without spaces; got 5 characters'],
  [{ HTTP_HEADERS_TIMEOUT_MS: '0' }, 'HTTP_HEADERS_TIMEOUT_MS: must be a whole number from 100 to 600000; got "0"'],
  [{ HTTP_HEADERS_TIMEOUT_MS: '40000' }, 'HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS (30000); got 40000'],
])('a bad value stops start-up with one line naming the variable (%o)', (env, message) => {
  expect(() => readLimitSettings(env)).toThrow(message);
  // Through loadConfig it is a ConfigError like every other setting.
  let thrown: unknown;
  try {
    loadConfig({ JWT_SECRET: 'x'.repeat(32), ...env });
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  expect((thrown as ConfigError).message).toBe(message);
});

test('HTTP timeouts: 15 s for the headers and 30 s for the whole request by default, each from its variable', () => {
  expect(readLimitSettings({}).http).toEqual(DEFAULT_HTTP_TIMEOUTS);
  expect(DEFAULT_HTTP_TIMEOUTS).toEqual({ headersTimeoutMs: 15_000, requestTimeoutMs: 30_000 });
  expect(readLimitSettings({ HTTP_HEADERS_TIMEOUT_MS: '2000', HTTP_REQUEST_TIMEOUT_MS: '4000' }).http).toEqual({
    headersTimeoutMs: 2000,
    requestTimeoutMs: 4000,
  });
});
