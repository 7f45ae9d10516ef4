import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { ASSUMED_LIST_SIZE, MAX_PAGE_SIZE, operationCost } from '../../src/limits/queryCost';
import { representationCount } from '../../src/limits/operationLimitsPlugin';
import { pocoSchema } from './routerTraffic';

const schema = pocoSchema();

function costOf(query: string, variables?: Record<string, unknown>): number {
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return operationCost({ schema, operation, fragments, variables });
}

const ORDERS_OF = (first: string) =>
  `_entities(representations: $r) { ... on User { pocoOrders${first} { totalCount nodes { id } } } }`;

test('first multiplies the lists right under its connection, from a literal or a variable alike', () => {
  // _entities(1 rep) -> 1 × (1 + pocoOrders (1 + totalCount 1 + nodes first × (1 + id 1)))
  const literal = costOf(`query Q($r: [_Any!]!) { ${ORDERS_OF('(first: 40)')} }`, { r: [{}] });
  const variable = costOf(`query Q($r: [_Any!]!, $n: Int) { ${ORDERS_OF('(first: $n)')} }`, { r: [{}], n: 40 });
  expect(literal).toBe(1 + (1 + 1 + 40 * 2));
  expect(variable).toBe(literal);
});

test('an omitted first takes the variable default, then the schema default (10)', () => {
  const schemaDefault = costOf(`query Q($r: [_Any!]!) { ${ORDERS_OF('')} }`, { r: [{}] });
  expect(schemaDefault).toBe(1 + (1 + 1 + 10 * 2));
  const variableDefault = costOf(`query Q($r: [_Any!]!, $n: Int = 30) { ${ORDERS_OF('(first: $n)')} }`, { r: [{}] });
  expect(variableDefault).toBe(1 + (1 + 1 + 30 * 2));
});

test('a first outside 1..100 counts as 100 (the resolver refuses it with BAD_USER_INPUT)', () => {
  for (const n of [0, -1, 1_000_000, 'ten', null]) {
    expect(costOf(`query Q($r: [_Any!]!, $n: Int) { ${ORDERS_OF('(first: $n)')} }`, { r: [{}], n })).toBe(1 + (1 + 1 + MAX_PAGE_SIZE * 2));
  }
});

test('_entities multiplies by the number of representations; other lists by the assumed size', () => {
  const query = `query Q($r: [_Any!]!) { _entities(representations: $r) { ... on PocoOrder { id lineItems { sku } } } }`;
  const one = costOf(query, { r: [{}] });
  expect(one).toBe(1 * (1 + 1 + ASSUMED_LIST_SIZE * 2));
  expect(costOf(query, { r: Array.from({ length: 50 }, () => ({})) })).toBe(50 * (1 + 1 + ASSUMED_LIST_SIZE * 2));
});

test('branches switched off by @skip/@include cost nothing; fragments cost what they expand to', () => {
  const base = `query Q($r: [_Any!]!, $deep: Boolean!) { _entities(representations: $r) { ... on PocoOrder { id lineItems @include(if: $deep) { sku } } } }`;
  expect(costOf(base, { r: [{}], deep: false })).toBe(1 + 1);
  expect(costOf(base, { r: [{}], deep: true })).toBe(1 + 1 + ASSUMED_LIST_SIZE * 2);
  const spread = `query Q($r: [_Any!]!) { _entities(representations: $r) { ...O } } fragment O on PocoOrder { id lineItems { sku } }`;
  expect(costOf(spread, { r: [{}] })).toBe(1 + 1 + ASSUMED_LIST_SIZE * 2);
});

test('representations are counted from variables and from literal lists, across every _entities field', () => {
  const document = parse(`query Q($r: [_Any!]!) { a: _entities(representations: $r) { __typename } b: _entities(representations: [{ __typename: "User", id: "1" }, { __typename: "User", id: "2" }]) { __typename } }`);
  const operation = document.definitions[0] as OperationDefinitionNode;
  expect(representationCount(operation, {}, { r: [{}, {}, {}] })).toBe(5);
});
