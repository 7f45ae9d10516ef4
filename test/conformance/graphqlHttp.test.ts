/**
 * GraphQL over HTTP conformance: graphql-http's server audits against the
 * running subgraph (startSubgraph on a real port and database). Every MUST
 * audit passes; SHOULD/MAY audits are reported. The ones not followed, on
 * purpose: a GET without a CSRF-safe header is refused (CSRF prevention), and
 * Apollo Server answers parse, validation and variable-coercion failures with
 * 400 even for `accept: application/json` (the spec's SHOULD is 200), which
 * is also what routers expect from Apollo subgraphs.
 */
import { serverAudits } from 'graphql-http';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { startHttpSubgraph, type HttpSubgraph } from '../limits/http';

let testDb: TestDatabase;
let subgraph: HttpSubgraph;

beforeAll(async () => {
  testDb = await openTestDatabase('conformance');
  subgraph = await startHttpSubgraph({ db: testDb.db });
});

afterAll(async () => {
  await subgraph?.close();
  await testDb?.drop();
});

test('every MUST audit of the GraphQL-over-HTTP spec passes', async () => {
  const audits = serverAudits({ url: () => subgraph.url, fetchFn: fetch });
  const results = [];
  for (const audit of audits) results.push(await audit.fn());
  const must = results.filter((result) => result.name.startsWith('MUST'));
  expect(must.length).toBeGreaterThan(10);
  const failedMust = must.filter((result) => result.status !== 'ok').map((result) => `${result.name}: ${'reason' in result ? result.reason : ''}`);
  expect(failedMust).toEqual([]);
  const others = results.filter((result) => !result.name.startsWith('MUST') && result.status !== 'ok');
  process.stdout.write(
    `[conformance] ${results.length} audits, ${must.length} MUST all ok; SHOULD/MAY not ok: ${others.map((result) => result.name).join(' | ') || 'none'}\n`,
  );
});
