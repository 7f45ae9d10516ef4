/**
 * The request log (src/plugins/requestLog.ts with the logger of
 * src/observability/logger.ts), read from what the running subgraph writes:
 * one JSON line per GraphQL request with request id, operation name,
 * duration, outcome and error codes; never the token, variables or personal
 * data.
 */
import { PassThrough } from 'node:stream';
import { createServiceLogger } from '../../src/observability/logger';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { writeFixture } from '../support/e2eFixtures';
import { post, startHttpSubgraph, type HttpSubgraph } from '../limits/http';

let testDb: TestDatabase;
let subgraph: HttpSubgraph;

beforeAll(async () => {
  testDb = await openTestDatabase('request_log');
  await writeFixture(testDb.db);
  subgraph = await startHttpSubgraph({ db: testDb.db });
});

afterAll(async () => {
  await subgraph?.close();
  await testDb?.drop();
});

function requestLines(): Record<string, unknown>[] {
  return subgraph.logLines.filter((line) => line.msg === 'graphql request');
}

test('one line per request: request id, operation name, duration, outcome and error codes, and no secrets or personal data', async () => {
  const token = await subgraph.token('demo-user-1');
  const query = `query MyAccounts($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { pocoAccounts { id email } } } }`;
  const ok = await post(
    subgraph.url,
    { query, variables: { representations: [{ __typename: 'User', id: 'demo-user-1' }] } },
    { authorization: `Bearer ${token}`, 'x-request-id': 'log-test-1' },
  );
  expect(ok.status).toBe(200);
  expect(ok.text).toContain('alex@example.com');
  const denied = await post(
    subgraph.url,
    { query, variables: { representations: [{ __typename: 'User', id: 'demo-user-2' }] } },
    { authorization: `Bearer ${token}`, 'x-request-id': 'log-test-2' },
  );
  expect(denied.json?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const refused = await post(subgraph.url, { query: '{ nope }' }, { 'x-request-id': 'log-test-3' });
  expect(refused.status).toBe(400);

  const byId = new Map(requestLines().map((line) => [line.requestId, line]));
  expect(byId.get('log-test-1')).toMatchObject({ level: 'info', operationName: 'MyAccounts', outcome: 'success', status: 200 });
  expect(byId.get('log-test-1')).not.toHaveProperty('errorCodes');
  expect(typeof byId.get('log-test-1')?.durationMs).toBe('number');
  expect(byId.get('log-test-2')).toMatchObject({ operationName: 'MyAccounts', outcome: 'partial', errorCodes: ['FORBIDDEN'] });
  expect(byId.get('log-test-3')).toMatchObject({ operationName: null, outcome: 'rejected', errorCodes: ['GRAPHQL_VALIDATION_FAILED'], status: 400 });

  const text = subgraph.logText();
  expect(text).not.toContain(token);
  expect(text).not.toContain('alex@example.com');
  expect(text).not.toContain('representations');
});

test('requests refused before GraphQL (too large, bad JSON) also get a line with their request id and status', async () => {
  await post(subgraph.url, { query: '{ __typename }', variables: { padding: 'x'.repeat(1024 * 1024) } }, { 'x-request-id': 'log-test-413' });
  await post(subgraph.url, '{"query": ', { 'x-request-id': 'log-test-400' });
  const refused = new Map(subgraph.logLines.filter((line) => line.msg === 'graphql request refused').map((line) => [line.requestId, line]));
  expect(refused.get('log-test-413')).toMatchObject({ level: 'info', status: 413 });
  expect(refused.get('log-test-400')).toMatchObject({ level: 'info', status: 400 });
  expect(typeof refused.get('log-test-413')?.durationMs).toBe('number');
});

test('the logger blanks tokens, secrets, emails and variables wherever a log call passes them', async () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const logger = createServiceLogger({ level: 'info', destination: stream });
  logger.info(
    {
      headers: { authorization: 'Bearer abc.def.ghi', cookie: 'session=1', 'x-router-secret': 'router-secret-value' },
      variables: { email: 'someone@example.com' },
      email: 'someone@example.com',
      account: { email: 'other@example.com' },
      requestId: 'r-1',
    },
    'something happened',
  );
  logger.flush();
  await new Promise((resolve) => setImmediate(resolve));
  const line = JSON.parse(text.trim()) as Record<string, unknown>;
  expect(line).toMatchObject({ level: 'info', service: 'poco-legacy-subgraph', requestId: 'r-1', msg: 'something happened' });
  for (const secret of ['abc.def.ghi', 'session=1', 'router-secret-value', 'someone@example.com', 'other@example.com']) {
    expect(text).not.toContain(secret);
  }
});
