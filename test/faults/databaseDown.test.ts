/**
 * The database goes away while requests are in flight, and comes back.
 *
 * A local database of this test's own (so stopping it disturbs no other
 * suite) on a fixed port and data directory, so it can be started again at
 * the same address with the same data. The subgraph connects to it itself,
 * with the timeouts from the environment, as in production.
 *
 * Proven: every request in flight gets an answer (data, or SERVICE_UNAVAILABLE
 * on the fields that needed the database), never INTERNAL_SERVER_ERROR; while
 * the database is down a request fails (before the database is started again,
 * within 3x the server-selection timeout) and /ready says 503; after the database returns, queries succeed again and
 * /ready says 200 without restarting the subgraph; no unhandled rejection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startLocalDatabase, type LocalDatabase } from '../../src/db/localDatabase';
import { writeFixture } from '../support/e2eFixtures';
import { codesOf, get, post, startHttpSubgraph, type HttpSubgraph } from '../limits/http';
import { DURATION_SLACK, figures, waitFor } from '../support/timing';

const SERVER_SELECTION_TIMEOUT_MS = 1000;
const DB_NAME = 'poco_faults';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let dataDir: string;
let port: number;
let database: LocalDatabase;
let subgraph: HttpSubgraph;
let alex: Record<string, string>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

const QUERY = {
  query: `query History($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id pocoOrders { totalCount nodes { id } } } } }`,
  variables: { representations: [{ __typename: 'User', id: 'demo-user-1' }] },
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  dataDir = mkdtempSync(join(tmpdir(), 'poco-faults-'));
  port = await freePort();
  database = await startLocalDatabase({ dataDir, port });
  const client = new MongoClient(database.uri);
  try {
    await writeFixture(client.db(DB_NAME));
  } finally {
    await client.close();
  }
  subgraph = await startHttpSubgraph({
    env: {
      MONGODB_URI: database.uri,
      MONGODB_DB: DB_NAME,
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: String(SERVER_SELECTION_TIMEOUT_MS),
      MONGODB_CONNECT_TIMEOUT_MS: '1000',
      MONGODB_SOCKET_TIMEOUT_MS: '3000',
      MONGODB_MAX_TIME_MS: '2000',
      MONGODB_WAIT_QUEUE_TIMEOUT_MS: '1000',
    },
  });
  alex = { authorization: `Bearer ${await subgraph.token('demo-user-1')}` };
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await subgraph?.close();
  await database?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('requests in flight when the database stops all get answers; down = SERVICE_UNAVAILABLE fast and /ready 503; back = served again without a restart', async () => {
  // Healthy first.
  const healthy = await post(subgraph.url, QUERY, alex);
  expect(healthy.json?.errors).toBeUndefined();
  expect((await get(`${subgraph.origin}/ready`)).status).toBe(200);

  // Stop the database under a burst of requests.
  const inFlight = Array.from({ length: 20 }, () => post(subgraph.url, QUERY, alex));
  await database.stop();
  const answers = await Promise.all(inFlight);
  for (const answer of answers) {
    expect(answer.status).toBe(200);
    for (const code of codesOf(answer)) expect(code).toBe('SERVICE_UNAVAILABLE');
  }

  // Down: each request fails with SERVICE_UNAVAILABLE while the database is still down (it starts again only
  // below), so the failure came from the service's own bound, not from the database returning.
  const failTimes: number[] = [];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const started = Date.now();
    const down = await post(subgraph.url, QUERY, alex);
    failTimes.push(Date.now() - started);
    expect(down.status).toBe(200);
    expect(codesOf(down)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(down.text).not.toMatch(/Mongo|ECONNREFUSED|127\.0\.0\.1/);
  }
  expect(Math.max(...failTimes)).toBeLessThan(DURATION_SLACK * SERVER_SELECTION_TIMEOUT_MS);
  const readyWhileDown = await get(`${subgraph.origin}/ready`);
  expect(readyWhileDown.status).toBe(503);
  expect((await get(`${subgraph.origin}/health`)).status).toBe(200);

  // Back: same address, same data; the subgraph finds it by itself.
  database = await startLocalDatabase({ dataDir, port });
  const backAt = Date.now();
  let again: Awaited<ReturnType<typeof post>> | undefined;
  await waitFor(async () => {
    again = await post(subgraph.url, QUERY, alex);
    return again.json?.errors === undefined;
  }, 'a query to succeed again after the database restarted', { timeoutMs: 30_000, intervalMs: 100 });
  const recoveredAfter = Date.now() - backAt;
  expect(again?.json?.data).toEqual(healthy.json?.data);
  expect((await get(`${subgraph.origin}/ready`)).status).toBe(200);

  figures(
    `database down: requests failed in ${failTimes.join(', ')} ms (server selection timeout ${SERVER_SELECTION_TIMEOUT_MS} ms); ` +
      `recovered ${recoveredAfter} ms after the database answered again`,
  );
  expect(unhandled).toEqual([]);
}, 60_000);
