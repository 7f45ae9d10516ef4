/**
 * /metrics of the running subgraph after real requests: request counts and
 * latency by operation and outcome, database command latency by command and
 * collection, pool usage; and Apollo's inline trace (ftv1) when the router
 * asks for it.
 */
import { openTestDatabase, type TestDatabase } from '../support/database';
import { writeFixture } from '../support/e2eFixtures';
import { Trace } from '@apollo/usage-reporting-protobuf';
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

/** Every node of a decoded ftv1 trace tree. */
function nodesOf(node: Trace.INode | null | undefined): Trace.INode[] {
  if (!node) return [];
  return [node, ...(node.child ?? []).flatMap((child) => nodesOf(child))];
}

test('the inline trace (ftv1) is returned when the router asks for it, and only then; decoded, it holds the fields and timings, masked errors, and no token, email or variable', async () => {
  const supportToken = await subgraph.token('support-agent-3', ['poco:support']);
  const LOOKUP = {
    query: `query TracedLookup($email: String!, $representations: [_Any!]!) {
      pocoAccountsByEmail(email: $email) { id orders(first: 5) { nodes { id } } }
      _entities(representations: $representations) { ... on User { pocoOrders { totalCount } } }
    }`,
    // Support may read both: no error here (a traced error comes below).
    variables: { email: 'alex@example.com', representations: [{ __typename: 'User', id: 'demo-user-2' }] },
  };
  const traced = await post(subgraph.url, LOOKUP, { authorization: `Bearer ${supportToken}`, 'apollo-federation-include-trace': 'ftv1' });
  expect(traced.json?.errors).toBeUndefined();
  expect(traced.text).toContain('acc-fr-1');
  const trace = Trace.decode(Buffer.from(String(traced.json?.extensions?.ftv1), 'base64'));
  const nodes = nodesOf(trace.root);
  const fields = nodes.map((node) => node.responseName).filter((name): name is string => typeof name === 'string' && name !== '');
  // The resolved fields, each timed.
  expect(fields).toEqual(expect.arrayContaining(['pocoAccountsByEmail', 'orders', 'nodes', '_entities', 'pocoOrders', 'totalCount']));
  expect(Number(trace.durationNs)).toBeGreaterThan(0);
  expect(trace.startTime?.seconds).toBeDefined();
  expect(trace.endTime?.seconds).toBeDefined();
  for (const node of nodes.filter((candidate) => candidate.responseName === 'pocoAccountsByEmail')) {
    expect(Number(node.endTime)).toBeGreaterThanOrEqual(Number(node.startTime));
  }
  const decoded = JSON.stringify(Trace.toObject(trace, { longs: String, bytes: String }));
  for (const secret of ['alex@example.com', supportToken, 'demo-user-2', 'TracedLookup(']) {
    expect({ secret: secret.slice(0, 30), found: decoded.includes(secret) }).toEqual({ secret: secret.slice(0, 30), found: false });
  }

  // An error in a traced request reaches the trace masked: the code's message never travels in it.
  const forbidden = await post(
    subgraph.url,
    { query: 'query Forbidden($email: String!) { pocoAccountsByEmail(email: $email) { id } }', variables: { email: 'alex@example.com' } },
    { ...alex, 'apollo-federation-include-trace': 'ftv1' },
  );
  expect(forbidden.json?.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  const errorTrace = Trace.decode(Buffer.from(String(forbidden.json?.extensions?.ftv1), 'base64'));
  const errors = nodesOf(errorTrace.root).flatMap((node) => node.error ?? []);
  expect(errors.map((error) => error.message)).toEqual(['<masked>']);
  expect(JSON.stringify(Trace.toObject(errorTrace, { longs: String, bytes: String }))).not.toContain('alex@example.com');

  const plain = await post(subgraph.url, QUERY, alex);
  expect(plain.json?.extensions?.ftv1).toBeUndefined();
});
