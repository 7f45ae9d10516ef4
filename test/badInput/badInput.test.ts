/**
 * Bad input of every kind, over HTTP against the running subgraph (fixture
 * data of two users in a real database). Each case asserts the exact status
 * and error code; and through all of it no other user's data comes back and
 * /health keeps answering.
 */
import { DEFAULT_REQUEST_LIMITS } from '../../src/limits/settings';
import { normaliseOrderFilter } from '../../src/orders/filter';
import { orderListId } from '../../src/orders/loaders';
import { signedCursor } from '../support/cursors';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { ORDERS, writeFixture } from '../support/e2eFixtures';
import { codesOf, get, post, startHttpSubgraph, type HttpSubgraph } from '../limits/http';

let testDb: TestDatabase;
let subgraph: HttpSubgraph;
let bea: Record<string, string>;

/** demo-user-2 (Bea) owns acc-de-2 and its one order; everything else is someone else's. */
const BEAS_ORDER = 'ord-de-2';
const OTHERS_ORDERS = ORDERS.map((order) => order._id).filter((id) => id !== BEAS_ORDER);

beforeAll(async () => {
  testDb = await openTestDatabase('bad_input');
  await writeFixture(testDb.db);
  subgraph = await startHttpSubgraph({ db: testDb.db });
  bea = { authorization: `Bearer ${await subgraph.token('demo-user-2')}` };
});

afterAll(async () => {
  await subgraph?.close();
  await testDb?.drop();
});

/** No response in this suite may carry another user's order. */
function expectNoOtherUsersData(text: string): void {
  for (const id of OTHERS_ORDERS) expect(text).not.toContain(id);
}

afterEach(async () => {
  const health = await get(`${subgraph.origin}/health`);
  expect(health.status).toBe(200);
});

const ENTITIES_ORDERS = `query Refs($representations: [_Any!]!) { _entities(representations: $representations) { ... on PocoOrder { id orderNumber total { amount } } } }`;
/** Bea's order as ENTITIES_ORDERS selects it (test/support/e2eFixtures.ts). */
const BEAS_ORDER_ANSWER = { id: BEAS_ORDER, orderNumber: 'DE-3001', total: { amount: '249.00' } };

function entitiesOf(result: { json?: { data?: unknown } }): unknown {
  return (result.json?.data as { _entities?: unknown } | null | undefined)?._entities;
}

/** Errors other than BAD_USER_INPUT at `_entities.<index>` (the one item a strange representation may fail). */
function errorsNotAbout(result: Awaited<ReturnType<typeof post>>, index: number): unknown[] {
  return (result.json?.errors ?? []).filter(
    (error) => !(error.extensions?.code === 'BAD_USER_INPUT' && JSON.stringify(error.path) === JSON.stringify(['_entities', index])),
  );
}

const ENTITIES_USERS = `query Refs($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id pocoOrders { nodes { id } } pocoAccounts { id email } } } }`;

describe('oversized and malformed requests', () => {
  test('a body over 1 MB is refused with 413 before it is parsed', async () => {
    const query = `{ __typename }`;
    const padding = 'x'.repeat(1024 * 1024);
    const result = await post(subgraph.url, { query, variables: { padding } }, bea);
    expect(result.status).toBe(413);
  });

  test('malformed JSON is a 400', async () => {
    const result = await post(subgraph.url, '{"query": "{ __typename }"', bea);
    expect(result.status).toBe(400);
    expect(result.json?.errors?.[0]?.message).toMatch(/not valid JSON/);
  });

  test('a body in a non-JSON content type is refused (CSRF prevention), never executed', async () => {
    const result = await post(subgraph.url, JSON.stringify({ query: '{ __typename }' }), { ...bea, 'content-type': 'text/plain' });
    expect(result.status).toBe(400);
    expect(result.json?.data).toBeUndefined();
  });

  test('a mutation over GET is refused with 405 (GET may only query), never executed', async () => {
    // A real mutation of the schema (an unknown field would already fail validation with 400).
    const mutation = 'mutation { pocoUnlinkAccount(accountId: "acc-x", reason: "over GET") { id } }';
    const result = await get(`${subgraph.url}?query=${encodeURIComponent(mutation)}`, {
      ...bea,
      'apollo-require-preflight': 'true',
    });
    expect(result.status).toBe(405);
    expect(result.headers.get('allow')).toBe('POST');
    expect(codesOf(result)).toEqual(['BAD_REQUEST']);
    expect(result.json?.data).toBeUndefined();
  });

  test('a query over GET without a CSRF-safe header is refused', async () => {
    const result = await get(`${subgraph.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(result.status).toBe(400);
    expect(result.text).toMatch(/CSRF/);
  });
});

describe('operations beyond the limits', () => {
  test('a deep query is GRAPHQL_VALIDATION_FAILED (maxDepth), 400', async () => {
    let selection = 'id';
    for (let level = 0; level < 8; level += 1) selection = `account { orders { nodes { ${selection} } } }`;
    const result = await post(subgraph.url, { query: `{ pocoOrder(id: "${BEAS_ORDER}") { ${selection} } }` }, bea);
    expect(result.status).toBe(400);
    expect(codesOf(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.json?.errors?.[0]?.extensions?.limit).toBe('maxDepth');
  });

  test('an alias flood is GRAPHQL_VALIDATION_FAILED (maxAliases), 400', async () => {
    const aliases = Array.from({ length: 100 }, (_, index) => `o${index}: pocoOrder(id: "${OTHERS_ORDERS[0]}") { id }`).join(' ');
    const result = await post(subgraph.url, { query: `{ ${aliases} }` }, bea);
    expect(result.status).toBe(400);
    expect(result.json?.errors?.map((error) => error.extensions?.limit)).toEqual(expect.arrayContaining(['maxAliases']));
    expect(result.json?.data).toBeUndefined();
  });

  test('a syntax error is GRAPHQL_PARSE_FAILED, 400 (never a 500)', async () => {
    for (const query of ['{ pocoOrder(', '{ "x" }', 'query { pocoOrder(id: "a") { id } ', '}}}}']) {
      const result = await post(subgraph.url, { query }, bea);
      expect(result.status).toBe(400);
      expect(codesOf(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
    }
  });

  test('a token flood is GRAPHQL_PARSE_FAILED, 400', async () => {
    const result = await post(subgraph.url, { query: `{ ${'__typename '.repeat(DEFAULT_REQUEST_LIMITS.maxTokens + 1)}}` }, bea);
    expect(result.status).toBe(400);
    expect(codesOf(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  test('5000 representations are QUERY_TOO_COMPLEX (maxRepresentations), 400, nothing resolved', async () => {
    const representations = Array.from({ length: 5000 }, (_, index) => ({ __typename: 'PocoOrder', id: OTHERS_ORDERS[index % OTHERS_ORDERS.length] }));
    const result = await post(subgraph.url, { query: ENTITIES_ORDERS, variables: { representations } }, bea);
    expect(result.status).toBe(400);
    expect(codesOf(result)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(result.json?.errors?.[0]?.extensions?.limit).toBe('maxRepresentations');
    expect(result.json?.data).toBeUndefined();
  });

  test('a costly query (pages of pages, first from variables) is QUERY_TOO_COMPLEX, 400', async () => {
    const query = `query Costly($n: Int) { _entities(representations: [{ __typename: "User", id: "demo-user-2" }]) { ... on User {
      pocoAccounts { orders(first: $n) { nodes { account { orders(first: $n) { nodes { lineItems { sku } shipments { events { status } } } } } } } } } } }`;
    const result = await post(subgraph.url, { query, variables: { n: 100 } }, bea);
    expect(result.status).toBe(400);
    expect(codesOf(result)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(result.json?.errors?.[0]?.extensions?.limit).toBe('maxCost');
  });

  test('a first outside 1..100 is BAD_USER_INPUT naming the argument', async () => {
    for (const first of [0, 101, -5]) {
      const query = `query Page($first: Int) { _entities(representations: [{ __typename: "User", id: "demo-user-2" }]) { ... on User { pocoOrders(first: $first) { nodes { id } } } } }`;
      const result = await post(subgraph.url, { query, variables: { first } }, bea);
      expect(result.status).toBe(200);
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.json?.errors?.[0]?.extensions?.argumentName).toBe('first');
    }
  });

  test('a forged cursor is BAD_USER_INPUT naming `after`, and reveals nothing', async () => {
    const forged = [
      Buffer.from(JSON.stringify({ placedAt: '2099-01-01T00:00:00.000Z', id: 'zzz' })).toString('base64url'),
      'not-a-cursor',
      '',
      'x'.repeat(10_000),
    ];
    for (const after of forged) {
      const query = `query Page($after: String) { _entities(representations: [{ __typename: "User", id: "demo-user-2" }]) { ... on User { pocoOrders(after: $after) { nodes { id } } } } }`;
      const result = await post(subgraph.url, { query, variables: { after } }, bea);
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.json?.errors?.[0]?.extensions?.argumentName).toBe('after');
      expectNoOtherUsersData(result.text);
    }
  });
});

test('a correctly signed cursor with a malformed payload is refused as BAD_USER_INPUT naming `after`', async () => {
  const listId = orderListId({ kind: 'user', id: 'demo-user-2' }, normaliseOrderFilter(undefined));
  const sign = (payload: string) => signedCursor(subgraph.config.cursorSecret, listId, payload);
  const query = `query Page($after: String) { _entities(representations: [{ __typename: "User", id: "demo-user-2" }]) { ... on User { pocoOrders(after: $after) { totalCount nodes { id } } } } }`;
  // Control: a well-formed payload signed this way is taken (every order comes after a position in 2099).
  const wellFormed = await post(subgraph.url, { query, variables: { after: sign(`1:${Date.UTC(2099, 0, 1)}:zzz`) } }, bea);
  expect(wellFormed.json?.errors).toBeUndefined();
  expect((wellFormed.json?.data as { _entities: { pocoOrders: { nodes: { id: string }[] } }[] })._entities[0]!.pocoOrders.nodes).toEqual([{ id: BEAS_ORDER }]);
  for (const payload of ['2:1700000000000:zzz', '1:soon:zzz', '1:9999999999999999:zzz', '1:1700000000000:', '1:1700000000000', '']) {
    const result = await post(subgraph.url, { query, variables: { after: sign(payload) } }, bea);
    expect({ payload, codes: codesOf(result), argument: result.json?.errors?.[0]?.extensions?.argumentName }).toEqual({
      payload,
      codes: ['BAD_USER_INPUT'],
      argument: 'after',
    });
    expectNoOtherUsersData(result.text);
  }
});

test('a genuine cursor of another user’s list is refused as BAD_USER_INPUT, not used to read their orders', async () => {
  const alex = { authorization: `Bearer ${await subgraph.token('demo-user-1')}` };
  const page = `query Page($id: ID!, $after: String) { _entities(representations: [{ __typename: "User", id: $id }]) { ... on User { pocoOrders(first: 1, after: $after) { nodes { id } pageInfo { endCursor } } } } }`;
  const alexsPage = await post(subgraph.url, { query: page, variables: { id: 'demo-user-1' } }, alex);
  const cursor = (alexsPage.json?.data as { _entities: { pocoOrders: { pageInfo: { endCursor: string } } }[] })._entities[0]!.pocoOrders.pageInfo.endCursor;
  expect(typeof cursor).toBe('string');
  const replayed = await post(subgraph.url, { query: page, variables: { id: 'demo-user-2', after: cursor } }, bea);
  expect(codesOf(replayed)).toEqual(['BAD_USER_INPUT']);
  expect(replayed.json?.errors?.[0]?.extensions?.argumentName).toBe('after');
  expectNoOtherUsersData(replayed.text);
});

describe('representations whose key fields are not what routers send', () => {
  const strange: [string, unknown][] = [
    ['an object (operator injection)', { $ne: null }],
    ['an object (regex injection)', { $regex: '.*' }],
    ['an array', ['ord-fr-1', 'ord-uk-1']],
    ['a number', 12345],
    ['an absurdly long string', 'o'.repeat(200_000)],
    ['null', null],
    ['missing', undefined],
  ];

  test.each(strange)('an order id that is %s yields null for that item only, never anyone else’s order', async (_label, id) => {
    const representations = [{ __typename: 'PocoOrder', id }, { __typename: 'PocoOrder', id: BEAS_ORDER }];
    const result = await post(subgraph.url, { query: ENTITIES_ORDERS, variables: { representations } }, bea);
    expectNoOtherUsersData(result.text);
    expect(result.status).toBe(200);
    // The batch stands: the strange item is null, Bea's own order resolves in full.
    expect(entitiesOf(result)).toEqual([null, BEAS_ORDER_ANSWER]);
    expect(errorsNotAbout(result, 0)).toEqual([]);
  });

  test.each(strange)('a user id that is %s yields null, never another user’s history', async (_label, id) => {
    const representations = [{ __typename: 'User', id }];
    const result = await post(subgraph.url, { query: ENTITIES_USERS, variables: { representations } }, bea);
    expectNoOtherUsersData(result.text);
    expect(result.text).not.toContain('alex@example.com');
    expect(result.text).not.toContain('ghost@example.com');
    expect(result.status).toBe(200);
    expect(entitiesOf(result)).toEqual([null]);
    expect(errorsNotAbout(result, 0)).toEqual([]);
  });

  test('a representation of an unknown type does not fail the rest of the batch', async () => {
    const representations = [{ __typename: 'Nope', id: 'x' }, { __typename: 'PocoOrder', id: BEAS_ORDER }];
    const result = await post(subgraph.url, { query: ENTITIES_ORDERS, variables: { representations } }, bea);
    expect(result.status).toBe(200);
    expectNoOtherUsersData(result.text);
    expect(entitiesOf(result)).toEqual([null, BEAS_ORDER_ANSWER]);
    // The unknown item is named as bad input, at its own position.
    expect(result.json?.errors?.map((error) => ({ code: error.extensions?.code, path: error.path }))).toEqual([
      { code: 'BAD_USER_INPUT', path: ['_entities', 0] },
    ]);
  });
});
