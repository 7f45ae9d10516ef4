/**
 * /metrics of the running subgraph after real requests: request counts and
 * latency by operation and outcome, database command latency by command and
 * collection, pool usage; and Apollo's inline trace (ftv1) when the router
 * asks for it.
 */
import { openTestDatabase, type TestDatabase } from '../support/database';
import { writeFixture } from '../support/e2eFixtures';
import { get, post, startHttpSubgraph, type HttpSubgraph } from '../limits/http';

let testDb: TestDatabase;
let subgraph: HttpSubgraph;
let alex: Record<string, string>;

const QUERY = {
  query: `query OrdersPage($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { pocoOrders { totalCount nodes { id feedback { id } } } } } }`,
  variables: { representations: [{ __typename: 'User', id: 'demo-user-1' }] },
};

beforeAll(async () => {
  testDb = await openTestDatabase('metrics');
  await writeFixture(testDb.db);
  // The subgraph opens its own client, so its command monitoring and pool events are the ones measured.
  subgraph = await startHttpSubgraph({ env: { MONGODB_URI: testDb.uri, MONGODB_DB: testDb.name } });
  alex = { authorization: `Bearer ${await subgraph.token('demo-user-1')}` };
});

afterAll(async () => {
  await subgraph?.close();
  await testDb?.drop();
});

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inner = line.slice(name.length + 1, line.indexOf('}'));
    const found = Object.fromEntries(inner.split(',').map((pair) => pair.split('=')).map(([key, value]) => [key, value?.replace(/"/g, '')]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

test('requests, database commands by command and collection, and pool usage appear in /metrics', async () => {
  for (let index = 0; index < 3; index += 1) expect((await post(subgraph.url, QUERY, alex)).json?.errors).toBeUndefined();
  await post(subgraph.url, { query: '{ nope }' });

  const metrics = await get(`${subgraph.origin}/metrics`);
  expect(metrics.status).toBe(200);
  expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = metrics.text;
  expect(sample(text, 'poco_graphql_requests_total', { operation: 'OrdersPage', outcome: 'success' })).toBe(3);
  expect(sample(text, 'poco_graphql_request_duration_seconds_count', { operation: 'OrdersPage', outcome: 'success' })).toBe(3);
  // Orders of the user's accounts are read from `orders`, accounts from `accounts`.
  const orderReads =
    (sample(text, 'poco_mongodb_command_duration_seconds_count', { command: 'find', collection: 'orders', outcome: 'succeeded' }) ?? 0) +
    (sample(text, 'poco_mongodb_command_duration_seconds_count', { command: 'aggregate', collection: 'orders', outcome: 'succeeded' }) ?? 0);
  expect(orderReads).toBeGreaterThanOrEqual(3);
  expect(text).toMatch(/poco_mongodb_command_duration_seconds_count\{command="(find|aggregate)",collection="accounts",outcome="succeeded"\} \d+/);
  expect(sample(text, 'poco_mongodb_pool_connections', { state: 'open' })).toBeGreaterThanOrEqual(1);
  expect(sample(text, 'poco_mongodb_pool_connections', { state: 'in_use' })).toBe(0);
  expect(text).toContain('# TYPE poco_dataloader_batch_size histogram');
  // One batch per request for the user's accounts (one key: the one user) and one for the page of orders.
  expect(sample(text, 'poco_dataloader_batch_size_count', { loader: 'accounts.ofUser' })).toBe(3);
  expect(sample(text, 'poco_dataloader_batch_size_sum', { loader: 'accounts.ofUser' })).toBe(3);
  expect(sample(text, 'poco_dataloader_batch_size_count', { loader: 'orders.page' })).toBe(3);
});

test('the inline trace (ftv1) is returned when the router asks for it, and only then', async () => {
  const traced = await post(subgraph.url, QUERY, { ...alex, 'apollo-federation-include-trace': 'ftv1' });
  expect(typeof traced.json?.extensions?.ftv1).toBe('string');
  expect(Buffer.from(String(traced.json?.extensions?.ftv1), 'base64').length).toBeGreaterThan(20);
  const plain = await post(subgraph.url, QUERY, alex);
  expect(plain.json?.extensions?.ftv1).toBeUndefined();
});
