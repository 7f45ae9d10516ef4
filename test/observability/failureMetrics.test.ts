/**
 * /metrics on the failure side: with the database link frozen (a proxy that
 * stops forwarding) and a pool of one connection, requests fail with
 * SERVICE_UNAVAILABLE, and the metrics say so: GraphQL requests by outcome
 * `service_unavailable` and errors by code, database commands with
 * `outcome="failed"`, and pool check-outs that timed out. Counted as the
 * difference between a scrape before and one after, so only these requests count.
 */
import { openTestDatabase, type TestDatabase } from '../support/database';
import { writeFixture } from '../support/e2eFixtures';
import { codesOf, get, post, startHttpSubgraph, type HttpSubgraph } from '../limits/http';
import { hostAndPort, startFreezingProxy, type FreezingProxy } from '../faults/freezingProxy';
import { waitFor } from '../support/timing';

let testDb: TestDatabase;
let proxy: FreezingProxy;
let subgraph: HttpSubgraph;
let alex: Record<string, string>;

const QUERY = {
  query: `query OrdersPage($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { pocoOrders { totalCount nodes { id } } } } }`,
  variables: { representations: [{ __typename: 'User', id: 'demo-user-1' }] },
};

beforeAll(async () => {
  testDb = await openTestDatabase('failure_metrics');
  await writeFixture(testDb.db);
  proxy = await startFreezingProxy(hostAndPort(testDb.uri));
  subgraph = await startHttpSubgraph({
    env: {
      MONGODB_URI: proxy.uri,
      MONGODB_DB: testDb.name,
      MONGODB_MAX_POOL_SIZE: '1',
      MONGODB_WAIT_QUEUE_TIMEOUT_MS: '300',
      MONGODB_SOCKET_TIMEOUT_MS: '1500',
      MONGODB_MAX_TIME_MS: '1000',
      MONGODB_CONNECT_TIMEOUT_MS: '1000',
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1000',
    },
  });
  alex = { authorization: `Bearer ${await subgraph.token('demo-user-1')}` };
});

afterAll(async () => {
  proxy?.thaw();
  await subgraph?.close();
  await proxy?.close();
  await testDb?.drop();
});

/** Sum of every sample of `name` whose labels include `labels`. */
function total(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inner = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries(inner.split(',').map((pair) => pair.split('=')).map(([key, value]) => [key, value?.replace(/"/g, '')]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

test('failed requests, failed database commands and timed-out pool check-outs are counted', async () => {
  // Healthy first: the pool's one connection is open and nothing has failed.
  expect((await post(subgraph.url, QUERY, alex)).json?.errors).toBeUndefined();
  const before = (await get(`${subgraph.origin}/metrics`)).text;
  expect(total(before, 'poco_graphql_requests_total', { operation: 'OrdersPage', outcome: 'success' })).toBe(1);

  proxy.freeze();
  const answers = await Promise.all(Array.from({ length: 3 }, () => post(subgraph.url, QUERY, alex)));
  // All answered while the link was still frozen.
  for (const answer of answers) {
    expect(answer.status).toBe(200);
    expect(codesOf(answer)).toEqual(['SERVICE_UNAVAILABLE']);
  }
  proxy.thaw();
  // Requests until one succeeds again; those that still fail are counted too.
  let failedWhileRecovering = 0;
  await waitFor(
    async () => {
      const ok = (await post(subgraph.url, QUERY, alex)).json?.errors === undefined;
      if (!ok) failedWhileRecovering += 1;
      return ok;
    },
    'the subgraph to serve again',
    { timeoutMs: 30_000, intervalMs: 100 },
  );

  const after = (await get(`${subgraph.origin}/metrics`)).text;
  const delta = (name: string, labels: Record<string, string>) => total(after, name, labels) - total(before, name, labels);
  const failed = 3 + failedWhileRecovering;
  expect(delta('poco_graphql_requests_total', { operation: 'OrdersPage', outcome: 'service_unavailable' })).toBe(failed);
  expect(delta('poco_graphql_request_duration_seconds_count', { operation: 'OrdersPage', outcome: 'service_unavailable' })).toBe(failed);
  expect(delta('poco_graphql_errors_total', { code: 'SERVICE_UNAVAILABLE' })).toBe(failed);
  // The one request that held the frozen connection: its command failed (socket timeout).
  expect(delta('poco_mongodb_command_duration_seconds_count', { outcome: 'failed' })).toBeGreaterThanOrEqual(1);
  // The others waited for that connection and gave up.
  expect(delta('poco_mongodb_pool_checkout_failures_total', { reason: 'timeout' })).toBeGreaterThanOrEqual(2);
  // And the success side counts again: the one recovery request that succeeded.
  expect(delta('poco_graphql_requests_total', { operation: 'OrdersPage', outcome: 'success' })).toBe(1);
}, 60_000);
