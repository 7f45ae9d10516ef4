import { buildSchema, Kind, parse, type FragmentDefinitionNode, type GraphQLObjectType, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { DEFAULT_LIST_SIZE, MAX_PAGE_SIZE, listSizeOf, operationCost, type OperationCost } from '../../src/limits/queryCost';
import { representationCount } from '../../src/limits/operationLimitsPlugin';
import { pocoSchema } from './routerTraffic';

const schema = pocoSchema();

function costsOf(query: string, variables?: Record<string, unknown>, on: GraphQLSchema = schema): OperationCost {
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return operationCost({ schema: on, operation, fragments, variables });
}
const costOf = (query: string, variables?: Record<string, unknown>) => costsOf(query, variables).total;

/** The `@listSize(assumedSize:)` schema.graphql gives a list. */
function assumed(type: string, field: string): number {
  const size = listSizeOf((schema.getType(type) as GraphQLObjectType).getFields()[field]!)?.assumedSize;
  if (size === undefined) throw new Error(`${type}.${field} has no assumedSize`);
  return size;
}

const ORDERS_OF = (first: string) =>
  `_entities(representations: $r) { ... on User { pocoOrders${first} { totalCount nodes { id } } } }`;
const USER = { __typename: 'User', id: 'u1' };
const ORDER = { __typename: 'PocoOrder', id: 'o1' };

test('first sizes the lists its @listSize names (nodes), from a literal or a variable alike, not totalCount', () => {
  // _entities(1 rep) -> 1 × (1 + pocoOrders (1 + totalCount 1 + nodes first × (1 + id 1)))
  const literal = costOf(`query Q($r: [_Any!]!) { ${ORDERS_OF('(first: 40)')} }`, { r: [USER] });
  const variable = costOf(`query Q($r: [_Any!]!, $n: Int) { ${ORDERS_OF('(first: $n)')} }`, { r: [USER], n: 40 });
  expect(literal).toBe(1 + (1 + 1 + 40 * 2));
  expect(variable).toBe(literal);
});

test('an omitted first takes the variable default, then the schema default (10 orders, 20 ledger entries)', () => {
  expect(costOf(`query Q($r: [_Any!]!) { ${ORDERS_OF('')} }`, { r: [USER] })).toBe(1 + (1 + 1 + 10 * 2));
  expect(costOf(`query Q($r: [_Any!]!, $n: Int = 30) { ${ORDERS_OF('(first: $n)')} }`, { r: [USER] })).toBe(1 + (1 + 1 + 30 * 2));
  const history = `query Q($r: [_Any!]!) { _entities(representations: $r) { ... on User { pocoPoints { history { edges { cursor } } } } } }`;
  expect(costOf(history, { r: [USER] })).toBe(1 + (1 + (1 + 20 * 2)));
});

test('a first outside 1..100 counts as 100 (the resolver refuses it with BAD_USER_INPUT)', () => {
  for (const n of [0, -1, 1_000_000, 'ten', null]) {
    expect(costOf(`query Q($r: [_Any!]!, $n: Int) { ${ORDERS_OF('(first: $n)')} }`, { r: [USER], n })).toBe(1 + (1 + 1 + MAX_PAGE_SIZE * 2));
  }
});

test('a list the client cannot slice takes its @listSize assumedSize; _entities multiplies by the representations', () => {
  const query = `query Q($r: [_Any!]!) { _entities(representations: $r) { ... on PocoOrder { id lineItems { sku } } } }`;
  const each = 1 + 1 + assumed('PocoOrder', 'lineItems') * 2;
  expect(costOf(query, { r: [ORDER] })).toBe(each);
  expect(costOf(query, { r: Array.from({ length: 50 }, () => ORDER) })).toBe(50 * each);
  const nested = `query Q($r: [_Any!]!) { _entities(representations: $r) { ... on PocoOrder { shipments { events { status } } } } }`;
  expect(costOf(nested, { r: [ORDER] })).toBe(1 + assumed('PocoOrder', 'shipments') * (1 + assumed('PocoShipment', 'events') * 2));
});

test('each representation costs the branch of its own __typename; one the schema cannot place costs the costliest branch', () => {
  const query = `query Q($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } ... on PocoOrder { id lineItems { sku } } } }`;
  const user = 1 + 1;
  const order = 1 + 1 + assumed('PocoOrder', 'lineItems') * 2;
  expect(costsOf(query, { r: [USER, USER, ORDER] })).toEqual({ total: 2 * user + order, perEntity: order });
  expect(costsOf(query, { r: [USER] })).toEqual({ total: user, perEntity: user });
  expect(costsOf(query, { r: [{ __typename: 'Nope' }, {}] })).toEqual({ total: 2 * order, perEntity: order });
});

test('the costliest entity is kept apart from the total: one representation, or one object a root field returns', () => {
  const entities = `query Q($r: [_Any!]!) { _entities(representations: $r) { ... on User { pocoOrders(first: 100) { nodes { id } } } } }`;
  const one = 1 + (1 + 100 * 2);
  expect(costsOf(entities, { r: Array.from({ length: 7 }, () => USER) })).toEqual({ total: 7 * one, perEntity: one });
  const root = `{ pocoAccountsByEmail(email: "a@b.c") { id orders(first: 5) { nodes { id } } } pocoOrder(id: "o1") { id } }`;
  const account = 1 + 1 + (1 + 5 * 2);
  expect(costsOf(root)).toEqual({ total: assumed('Query', 'pocoAccountsByEmail') * account + 2, perEntity: account });
});

test('a list without @listSize takes DEFAULT_LIST_SIZE; a field with first and no @listSize is sliced like a connection', () => {
  const bare = buildSchema(`type Query { tags: [Tag!]! page(first: Int = 3): Page }  type Tag { name: String }  type Page { items: [Tag!]! total: Int }`);
  expect(costsOf(`{ tags { name } }`, undefined, bare).total).toBe(DEFAULT_LIST_SIZE * 2);
  expect(costsOf(`{ page { items { name } total } }`, undefined, bare).total).toBe(1 + 3 * 2 + 1);
  expect(costsOf(`{ page(first: 7) { items { name } } }`, undefined, bare).total).toBe(1 + 7 * 2);
});

test('branches switched off by @skip/@include cost nothing; fragments cost what they expand to', () => {
  const base = `query Q($r: [_Any!]!, $deep: Boolean!) { _entities(representations: $r) { ... on PocoOrder { id lineItems @include(if: $deep) { sku } } } }`;
  const items = assumed('PocoOrder', 'lineItems') * 2;
  expect(costOf(base, { r: [ORDER], deep: false })).toBe(1 + 1);
  expect(costOf(base, { r: [ORDER], deep: true })).toBe(1 + 1 + items);
  const spread = `query Q($r: [_Any!]!) { _entities(representations: $r) { ...O } } fragment O on PocoOrder { id lineItems { sku } }`;
  expect(costOf(spread, { r: [ORDER] })).toBe(1 + 1 + items);
  // A fragment on PocoOrder does not apply to a User representation.
  expect(costOf(spread, { r: [USER] })).toBe(1);
});

test('a document whose fragments double at every level is costed in linear time', () => {
  // F(i+1) spreads F(i) twice: expanded, the document holds 2^40 copies of F0.
  const levels = 40;
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i + 1} on PocoOrder { ...F${i} ... on PocoOrder { ...F${i} } }`).join('\n');
  const query = `query Q($r: [_Any!]!) { _entities(representations: $r) { ...F${levels} } } fragment F0 on PocoOrder { id } ${fragments}`;
  const started = process.hrtime.bigint();
  const cost = costOf(query, { r: [ORDER] });
  console.log(`[figures] cost of a ${levels}-level doubling fragment chain: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)} ms`);
  expect(cost).toBe(1 + 2 ** levels);
});

test('representations are counted from variables and from literal lists, across every _entities field', () => {
  const document = parse(`query Q($r: [_Any!]!) { a: _entities(representations: $r) { __typename } b: _entities(representations: [{ __typename: "User", id: "1" }, { __typename: "User", id: "2" }]) { __typename } }`);
  const operation = document.definitions[0] as OperationDefinitionNode;
  expect(representationCount(operation, {}, { r: [{}, {}, {}] })).toBe(5);
});
