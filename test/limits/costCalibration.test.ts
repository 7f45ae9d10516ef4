/**
 * The cost model against real shapes: on seeded data (the generator and the
 * real importer), every request runtime.md lists as legitimate is sent the
 * way @apollo/gateway's planner sends it (recorded from a real gateway, then
 * also replayed straight to the subgraph) and must pass the default limits;
 * three abusive shapes must be refused before any database command. For each,
 * the estimate is set against the values the response really holds, printed
 * as the Markdown table the README quotes (`[figures]` lines).
 *
 * "Values" are what the model counts: every field of every object in `data`
 * counts 1 (a scalar, a null, an object or a list field alike) and every item
 * of a list 1 more, so an estimate and a count are in the same unit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isObjectType,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type OperationDefinitionNode,
} from 'graphql';
import type { CommandStartedEvent } from 'mongodb';
import { createAuthenticator } from '../../src/auth/viewer';
import { collectionsOf } from '../../src/db/collections';
import { accountsTypeDefs, identifyWith, startAccountsSubgraph, type SampleUser } from '../../src/demo/accountsSubgraph';
import { readPocoSchemaSdl } from '../../src/demo/federationLink';
import type { RunningServer } from '../../src/demo/serveSubgraph';
import { startSupportTicketsSubgraph, supportTicketsTypeDefs } from '../../src/demo/supportTicketsSubgraph';
import { runImport } from '../../src/importer/runImport';
import { listSizeOf, operationCost, type OperationCost } from '../../src/limits/queryCost';
import { DEFAULT_REQUEST_LIMITS } from '../../src/limits/settings';
import { generateExport } from '../../src/seed/generate';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { everyFieldSelection } from '../support/everyField';
import { startRecordingGateway, type RecordingGateway } from '../support/recordingGateway';
import { post, startHttpSubgraph, type HttpResult, type HttpSubgraph } from './http';
import { pocoSchema } from './routerTraffic';

/** Enough users for 100 linked ones and 1000 orders; the default seed of `npm run seed`. */
const USERS = 260;
const SEED = 42;
const PAGES = { 'User.pocoOrders': 'ordersFirst', 'PocoPointsAccount.history': 'historyFirst' };

const subgraphSchema = pocoSchema();
let dir: string;
let testDb: TestDatabase;
let subgraph: HttpSubgraph;
/** The same subgraph with every limit out of the way: what an abusive request would really return. */
let unlimited: HttpSubgraph;
let accounts: RunningServer;
let tickets: RunningServer;
let gateway: RecordingGateway;
let support: string;
let unlimitedSupport: string;
let userIds: string[];
let orderIds: string[];
let heaviestUser: string;
let typicalUser: string;
/** The 100 users with the most orders. */
let heavyUsers: string[];
const commands: CommandStartedEvent[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'poco-cost-'));
  await generateExport({ users: USERS, seed: SEED, outDir: join(dir, 'export') });
  testDb = await openTestDatabase('cost_calibration', { monitorCommands: true });
  await runImport({ dir: join(dir, 'export'), db: testDb.db, rejectsPath: join(dir, 'rejects.ndjson') });

  const collections = collectionsOf(testDb.db);
  const linked = await collections.accounts.find({ xiaomiUserId: { $ne: null } }, { projection: { _id: 1, xiaomiUserId: 1 } }).toArray();
  const accountUser = new Map(linked.map((account) => [account._id, account.xiaomiUserId as string]));
  userIds = [...new Set(linked.map((account) => account.xiaomiUserId as string))].sort();
  const orders = await collections.orders.find({}, { projection: { _id: 1, accountId: 1 } }).toArray();
  orderIds = orders.map((order) => order._id).sort();
  const ordersByUser = new Map<string, number>();
  for (const order of orders) {
    const user = accountUser.get(order.accountId);
    if (user) ordersByUser.set(user, (ordersByUser.get(user) ?? 0) + 1);
  }
  const byCount = [...ordersByUser].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  heaviestUser = byCount[0]![0];
  heavyUsers = byCount.slice(0, 100).map(([user]) => user);
  // A user with 5 orders (90% of users have at most 5).
  typicalUser = (byCount.find(([, count]) => count === 5) ?? byCount[Math.floor(byCount.length / 2)]!)[0];

  // The request limits are under test, not the database's: on a loaded 2-core machine FerretDB's scans of
  // a 100-user batch can outlast the default 3 s maxTimeMS, which would fail fields, not the limits.
  const patientDatabase = { LOG_LEVEL: 'silent', MONGODB_MAX_TIME_MS: '60000', MONGODB_SOCKET_TIMEOUT_MS: '120000' };
  subgraph = await startHttpSubgraph({ db: testDb.db, env: patientDatabase });
  unlimited = await startHttpSubgraph({
    db: testDb.db,
    env: { ...patientDatabase, GRAPHQL_MAX_COST: '1000000000', GRAPHQL_MAX_COST_PER_ENTITY: '1000000000', GRAPHQL_MAX_DEPTH: '1000' },
  });
  // Support staff who are also privacy officers may read every field (the personal data export link too).
  const scopes = ['poco:support', 'poco:privacy'];
  support = `Bearer ${await subgraph.token('support-agent-1', scopes)}`;
  unlimitedSupport = `Bearer ${await unlimited.token('support-agent-1', scopes)}`;
  const users: SampleUser[] = userIds.map((id) => ({ id, name: `User ${id}`, email: `${id}@example.com` }));
  accounts = await startAccountsSubgraph({ identify: identifyWith(createAuthenticator(subgraph.config.jwt)), users });
  tickets = await startSupportTicketsSubgraph({
    tickets: orderIds.slice(0, 1000).map((orderId, index) => ({ id: `T-${index}`, subject: `Ticket ${index}`, orderId })),
  });
  gateway = await startRecordingGateway([
    { name: 'poco', url: subgraph.url, typeDefs: parse(readPocoSchemaSdl()) },
    { name: 'accounts', url: accounts.url, typeDefs: accountsTypeDefs() },
    { name: 'support', url: tickets.url, typeDefs: supportTicketsTypeDefs() },
  ]);
  testDb.client.on('commandStarted', (event: CommandStartedEvent) => commands.push(event));
}, 600_000);

afterAll(async () => {
  await gateway?.stop();
  await tickets?.close();
  await accounts?.close();
  await unlimited?.close();
  await subgraph?.close();
  await testDb?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(['[figures] estimate against the response, seeded data (test/limits/costCalibration.test.ts)', ...table].join('\n[figures] '));
  const lists = [...listsSeen].sort(([a], [b]) => a.localeCompare(b));
  console.log(
    [
      '[figures] list lengths in the responses of the passing requests against their @listSize assumedSize',
      '| list | lists seen | mean length | longest | assumedSize |',
      '|---|---:|---:|---:|---:|',
      ...lists.map(([coordinate, seen]) => `| \`${coordinate}\` | ${number(seen.lists)} | ${(seen.items / seen.lists).toFixed(2)} | ${seen.longest} | ${seen.assumed} |`),
    ].join('\n[figures] '),
  );
});

/** The values a response's `data` holds, counted as the model counts them. */
function countValues(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  for (const field of Object.values(value as Record<string, unknown>)) {
    if (Array.isArray(field)) for (const item of field) count += 1 + countValues(item);
    else count += 1 + countValues(field);
  }
  return count;
}

/** Per list field with an assumedSize: how many lists the responses held, their items, the longest. */
const listsSeen = new Map<string, { lists: number; items: number; longest: number; assumed: number }>();

/**
 * Walks a response along the schema (these queries use no aliases) and notes every list that has an
 * assumedSize. An `_entities` item without `__typename` is of `entityType`.
 */
function noteLists(value: unknown, type: GraphQLCompositeType, entityType: string | undefined): void {
  if (value === null || typeof value !== 'object') return;
  const typename = (value as { __typename?: unknown }).__typename;
  const own = subgraphSchema.getType(typeof typename === 'string' ? typename : isAbstractType(type) ? (entityType ?? '') : type.name);
  if (!own || !isObjectType(own)) return;
  const objectType = own;
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const definition = objectType.getFields()[key];
    if (!definition) continue;
    const named = getNamedType(definition.type);
    const items = Array.isArray(field) ? field : [field];
    const assumed = listSizeOf(definition)?.assumedSize;
    if (Array.isArray(field) && isListType(getNullableType(definition.type)) && assumed !== undefined) {
      const coordinate = `${objectType.name}.${key}`;
      const seen = listsSeen.get(coordinate) ?? { lists: 0, items: 0, longest: 0, assumed };
      seen.lists += 1;
      seen.items += field.length;
      seen.longest = Math.max(seen.longest, field.length);
      listsSeen.set(coordinate, seen);
    }
    if (isObjectType(named) || isAbstractType(named)) for (const item of items) noteLists(item, named, entityType);
  }
}

function costOf(query: string, variables: Record<string, unknown> | undefined): OperationCost {
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return operationCost({ schema: subgraphSchema, operation, fragments, variables });
}

const table: string[] = [
  '| request | sent as | estimate (all) | estimate (largest entity) | values in the response | estimate ÷ values | verdict |',
  '|---|---|---:|---:|---:|---:|---|',
];
const number = (n: number) => n.toLocaleString('en-US');
function row(request: string, sentAs: string, cost: OperationCost, actual: number | undefined, verdict: string): void {
  const ratio = actual === undefined || actual === 0 ? '—' : (cost.total / actual).toFixed(1);
  table.push(`| ${request} | ${sentAs} | ${number(cost.total)} | ${number(cost.perEntity)} | ${actual === undefined ? '— (not run)' : number(actual)} | ${ratio} | ${verdict} |`);
}

const userRefs = (ids: readonly string[]) => ids.map((id) => ({ __typename: 'User', id }));

/** A `_entities` query with every field of `type`, as a planner writes it. */
function entitiesQuery(type: string): string {
  const { selection, variables } = everyFieldSelection(subgraphSchema, type, PAGES);
  const declared = ['$representations: [_Any!]!', ...variables.map((name) => `$${name}: Int`)].join(', ');
  return `query Every${type}(${declared}) { _entities(representations: $representations) { ... on ${type} ${selection} } }`;
}

async function sendCounted(to: HttpSubgraph, authorization: string, query: string, variables: Record<string, unknown>): Promise<{ result: HttpResult; commands: number }> {
  commands.length = 0;
  const result = await post(to.url, { query, variables }, { authorization });
  return { result, commands: commands.length };
}

/** A legitimate request sent straight to the subgraph: passes, and the estimate bounds what came back. */
async function expectPasses(request: string, sentAs: string, query: string, variables: Record<string, unknown>): Promise<void> {
  const cost = costOf(query, variables);
  const { result, commands: issued } = await sendCounted(subgraph, support, query, variables);
  expect({ status: result.status, errors: result.json?.errors }).toEqual({ status: 200, errors: undefined });
  expect(issued).toBeGreaterThan(0);
  const actual = countValues(result.json?.data);
  row(request, sentAs, cost, actual, 'passes');
  expect(cost.total).toBeLessThanOrEqual(DEFAULT_REQUEST_LIMITS.maxCost);
  expect(cost.perEntity).toBeLessThanOrEqual(DEFAULT_REQUEST_LIMITS.maxCostPerEntity);
  // An upper bound of what the seeded data returns, and every list it sized by an assumedSize within that size.
  expect(cost.total).toBeGreaterThanOrEqual(actual);
  const representations = variables.representations as { __typename?: string }[] | undefined;
  noteLists(result.json?.data, subgraphSchema.getQueryType()!, representations?.[0]?.__typename);
  for (const [coordinate, seen] of listsSeen) expect({ coordinate, longest: seen.longest }).toEqual({ coordinate, longest: Math.min(seen.longest, seen.assumed) });
}

/** What `query` returns with every limit out of the way (the `unlimited` subgraph). */
async function unlimitedData(query: string, variables: Record<string, unknown>): Promise<unknown> {
  const run = await post(unlimited.url, { query, variables }, { authorization: unlimitedSupport });
  expect({ status: run.status, errors: run.json?.errors }).toEqual({ status: 200, errors: undefined });
  return run.json?.data;
}

/**
 * An abusive request: refused with `limit` before any database command. `measure` says how many
 * values it would really have returned (measured on the unlimited subgraph).
 */
async function expectRefused(
  request: string,
  query: string,
  variables: Record<string, unknown>,
  code: string,
  limit: string,
  measure: (() => Promise<number>) | undefined,
): Promise<void> {
  const cost = costOf(query, variables);
  const { result, commands: issued } = await sendCounted(subgraph, support, query, variables);
  expect(result.status).toBe(400);
  expect(result.json?.errors?.map((error) => [error.extensions?.code, error.extensions?.limit])).toEqual([[code, limit]]);
  expect(result.json?.data).toBeUndefined();
  expect(issued).toBe(0);
  row(request, 'straight to the subgraph', cost, measure ? await measure() : undefined, `refused: \`${limit}\`, 0 database commands`);
}

describe('every request runtime.md lists passes with the default limits', () => {
  test('users(ids:) of 100 with every field of a me page through @apollo/gateway: the planner’s _entities passes, and passes again replayed', async () => {
    const { selection, variables } = everyFieldSelection(gateway.apiSchema, 'User', PAGES);
    const declared = ['$ids: [ID!]!', ...variables.map((name) => `$${name}: Int`)].join(', ');
    const query = `query SupportUserList(${declared}) { users(ids: $ids) ${selection} }`;
    const ids = userIds.slice(0, 100);
    const answer = await gateway.run(query, { ids, ordersFirst: 10, historyFirst: 20 }, support);
    expect(answer.errors).toBeUndefined();
    expect((answer.data as { users: unknown[] }).users).toHaveLength(100);
    const sent = gateway.take('poco');
    expect(sent).toHaveLength(1);
    const planned = sent[0]!;
    expect(planned.errors).toBeUndefined();
    expect(planned.variables?.representations).toHaveLength(100);
    // What the gateway got back is what the replay must get back (same query, variables and data).
    const replayedValues = countValues(planned.data);
    await expectPasses('`users(ids:)` ×100, every field of a `me` page (orders `first: 10`, history `first: 20`)', 'planned by @apollo/gateway, replayed', planned.query, planned.variables ?? {});
    expect(table[table.length - 1]).toContain(`| ${number(replayedValues)} |`);
  }, 120_000);

  test('_entities for 100 users with every field of a me page, sent straight to the subgraph', async () => {
    await expectPasses('`_entities` 100 users, every field of a `me` page', 'straight to the subgraph', entitiesQuery('User'), {
      representations: userRefs(userIds.slice(0, 100)),
      ordersFirst: 10,
      historyFirst: 20,
    });
  }, 120_000);

  test('_entities for the 100 users with the most orders, every field of a me page (pages nearly full)', async () => {
    await expectPasses('`_entities` the 100 users with the most orders, every field of a `me` page', 'straight to the subgraph', entitiesQuery('User'), {
      representations: userRefs(heavyUsers),
      ordersFirst: 10,
      historyFirst: 20,
    });
  }, 120_000);

  test('1000 PocoOrder references with every field (support tickets through the gateway): the planner’s batch passes, and passes again replayed', async () => {
    const { selection } = everyFieldSelection(gateway.apiSchema, 'PocoOrder', PAGES);
    const answer = await gateway.run(`query TicketsWithOrders { supportTickets { id subject order ${selection} } }`, {}, support);
    expect(answer.errors).toBeUndefined();
    const sent = gateway.take('poco');
    expect(sent).toHaveLength(1);
    const planned = sent[0]!;
    expect(planned.errors).toBeUndefined();
    expect(planned.variables?.representations).toHaveLength(1000);
    const replayedValues = countValues(planned.data);
    await expectPasses('1000 `PocoOrder` references, every field (support tickets)', 'planned by @apollo/gateway, replayed', planned.query, planned.variables ?? {});
    expect(table[table.length - 1]).toContain(`| ${number(replayedValues)} |`);
  }, 120_000);

  test('one user with every field and pages of 100 (the largest page a client may ask for) passes', async () => {
    await expectPasses('`_entities` 1 user (most orders), every field, `first: 100` for both pages', 'straight to the subgraph', entitiesQuery('User'), {
      representations: userRefs([heaviestUser]),
      ordersFirst: 100,
      historyFirst: 100,
    });
  }, 120_000);
});

describe('abusive shapes are refused before any database command', () => {
  test('an alias flood: 30 aliased pages of 100 orders with every field, for one user', async () => {
    // A fragment keeps the document under the token limit, so the cost is what refuses it.
    const order = everyFieldSelection(subgraphSchema, 'PocoOrder').selection;
    const flood = (aliases: number) =>
      `query Flood($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { ${Array.from(
        { length: aliases },
        (_, i) => `p${i}: pocoOrders(first: 100) { totalCount nodes { ...Order } }`,
      ).join(' ')} } } } fragment Order on PocoOrder ${order}`;
    const variables = { representations: userRefs([heaviestUser]) };
    const aliases = DEFAULT_REQUEST_LIMITS.maxAliases;
    // The 30 aliases are the same page: measured once, it is 1 entity + 30 × (the alias and its page).
    const measure = async () => 1 + aliases * countValues(((await unlimitedData(flood(1), variables)) as { _entities: unknown[] })._entities[0]);
    await expectRefused('alias flood: 30 × `pocoOrders(first: 100)` with every field, 1 user (most orders)', flood(aliases), variables, 'QUERY_TOO_COMPLEX', 'maxCostPerEntity', measure);
  }, 120_000);

  test('deep nesting within the depth limit: accounts → orders(first: 100) → account → orders(first: 100) → account → orders(first: 100)', async () => {
    const query = `query Deep($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { pocoAccounts {
      orders(first: 100) { nodes { id account { orders(first: 100) { nodes { id account { orders(first: 100) { nodes { id orderNumber total { amount currencyCode } } } } } } } } } } } } }`;
    const variables = { representations: userRefs([typicalUser]) };
    await expectRefused('deep nesting: 3 levels of `orders(first: 100)` through `account`, 1 user (5 orders)', query, variables, 'QUERY_TOO_COMPLEX', 'maxCost', async () =>
      countValues(await unlimitedData(query, variables)),
    );
  }, 120_000);

  test('deep nesting beyond the depth limit is refused by validation', async () => {
    let inner = 'id';
    for (let level = 0; level < 6; level += 1) inner = `orders(first: 100) { nodes { id account { ${inner} } } }`;
    const query = `query Deeper($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { pocoAccounts { ${inner} } } } }`;
    await expectRefused('deep nesting: 6 levels of `orders(first: 100)` (depth 21)', query, { representations: userRefs([typicalUser]) }, 'GRAPHQL_VALIDATION_FAILED', 'maxDepth', undefined);
  }, 120_000);

  test('1000 representations with every field and 100 orders each', async () => {
    // The seed has fewer linked users than that: each is asked for several times over, as a crafted batch could.
    const representations = userRefs(Array.from({ length: 1000 }, (_, i) => userIds[i % userIds.length]!));
    const query = entitiesQuery('User');
    const pages = { ordersFirst: 100, historyFirst: 20 };
    // A repeated representation returns the same entity: each distinct user is measured once.
    const measure = async () => {
      const distinct = ((await unlimitedData(query, { representations: userRefs(userIds), ...pages })) as { _entities: unknown[] })._entities;
      return Array.from({ length: 1000 }, (_, i) => 1 + countValues(distinct[i % userIds.length])).reduce((sum, values) => sum + values, 0);
    };
    await expectRefused(
      `\`_entities\` 1000 users (the ${userIds.length} seeded, repeated), every field, orders \`first: 100\``,
      query,
      { representations, ...pages },
      'QUERY_TOO_COMPLEX',
      'maxCost',
      measure,
    );
  }, 120_000);
});
