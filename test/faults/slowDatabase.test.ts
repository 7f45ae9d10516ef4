/**
 * A database that stops answering without closing anything (hung server,
 * silent network partition): the subgraph, connected through a proxy that
 * freezes, answers SERVICE_UNAVAILABLE while the link is still frozen (by its
 * own socket and wait-queue timeouts, not because the database came back),
 * /ready says 503, and once the link thaws it serves again by itself.
 */
import type { Db } from 'mongodb';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { writeFixture } from '../support/e2eFixtures';
import { codesOf, get, post, startHttpSubgraph, type HttpSubgraph } from '../limits/http';
import { hostAndPort, startFreezingProxy, type FreezingProxy } from './freezingProxy';
import { DURATION_SLACK, figures, waitFor } from '../support/timing';

const SOCKET_TIMEOUT_MS = 1500;
const WAIT_QUEUE_TIMEOUT_MS = 1000;

let testDb: TestDatabase;
let proxy: FreezingProxy;
let subgraph: HttpSubgraph;
let alex: Record<string, string>;

const QUERY = {
  query: `query History($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id pocoOrders { totalCount nodes { id } } } } }`,
  variables: { representations: [{ __typename: 'User', id: 'demo-user-1' }] },
};

beforeAll(async () => {
  testDb = await openTestDatabase('slow_db');
  await writeFixture(testDb.db as Db);
  proxy = await startFreezingProxy(hostAndPort(testDb.uri));
  subgraph = await startHttpSubgraph({
    env: {
      MONGODB_URI: proxy.uri,
      MONGODB_DB: testDb.name,
      MONGODB_SOCKET_TIMEOUT_MS: String(SOCKET_TIMEOUT_MS),
      MONGODB_MAX_TIME_MS: '1000',
      MONGODB_WAIT_QUEUE_TIMEOUT_MS: String(WAIT_QUEUE_TIMEOUT_MS),
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

test('a silent database: SERVICE_UNAVAILABLE within the timeouts, /ready 503, then served again once it answers', async () => {
  const healthy = await post(subgraph.url, QUERY, alex);
  expect(healthy.json?.errors).toBeUndefined();

  proxy.freeze();
  const started = Date.now();
  const slow = await Promise.all(Array.from({ length: 5 }, () => post(subgraph.url, QUERY, alex)));
  const failedWithin = Date.now() - started;
  for (const answer of slow) {
    expect(answer.status).toBe(200);
    expect(codesOf(answer).length).toBeGreaterThan(0);
    for (const code of codesOf(answer)) expect(code).toBe('SERVICE_UNAVAILABLE');
  }
  // All answered while the link was still frozen (it thaws only below): the service's timeouts ended them
  // (socket timeout, then the driver's one retry waits at most the wait-queue timeout).
  expect(failedWithin).toBeLessThan(DURATION_SLACK * (SOCKET_TIMEOUT_MS + WAIT_QUEUE_TIMEOUT_MS));
  expect((await get(`${subgraph.origin}/ready`)).status).toBe(503);
  expect((await get(`${subgraph.origin}/health`)).status).toBe(200);

  proxy.thaw();
  const thawedAt = Date.now();
  let again: Awaited<ReturnType<typeof post>> | undefined;
  await waitFor(async () => {
    again = await post(subgraph.url, QUERY, alex);
    return again.json?.errors === undefined;
  }, 'a query to succeed again after the link thawed', { timeoutMs: 30_000, intervalMs: 100 });
  const recoveredAfter = Date.now() - thawedAt;
  expect(again?.json?.data).toEqual(healthy.json?.data);
  expect((await get(`${subgraph.origin}/ready`)).status).toBe(200);
  figures(`silent database: 5 concurrent requests failed within ${failedWithin} ms; recovered ${recoveredAfter} ms after the link thawed`);
}, 60_000);
