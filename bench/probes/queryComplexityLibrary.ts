// The evaluation of graphql-query-complexity (npm) against our cost model, on the requests the README's
// cost table lists. Not a dependency of the project, so install it for the run only:
//   npm install --no-save graphql-query-complexity@2.0.0 && npx tsx bench/probes/queryComplexityLibrary.ts
// Prints one Markdown row per request: the library's complexity (with estimators that apply the same list
// sizes as src/limits/queryCost.ts) beside ours (total / largest entity).
import { getNamedType, getNullableType, isListType, isObjectType, Kind, parse, type FragmentDefinitionNode, type GraphQLField, type OperationDefinitionNode } from 'graphql';
import { listSizeOf, MAX_PAGE_SIZE, operationCost } from '../../src/limits/queryCost';
import { pocoSchema } from '../../test/limits/routerTraffic';
import { everyFieldSelection } from '../../test/support/everyField';

interface EstimatorArgs {
  type: { name: string };
  field: GraphQLField<unknown, unknown>;
  args: Record<string, unknown>;
  childComplexity: number;
}
interface Library {
  getComplexity(options: { schema: unknown; query: unknown; variables: Record<string, unknown>; estimators: ((args: EstimatorArgs) => number | void)[] }): number;
}

const schema = pocoSchema();
const PAGES = { 'User.pocoOrders': 'ordersFirst', 'PocoPointsAccount.history': 'historyFirst' };

// An estimator sees only its own field: the lists a connection's @listSize names (edges, nodes) cannot see the
// connection's `first`, so the connection multiplies everything under it (totalCount and pageInfo too).
const sizedByParent = new Set<string>();
for (const type of Object.values(schema.getTypeMap())) {
  if (!isObjectType(type) || type.name.startsWith('__')) continue;
  for (const field of Object.values(type.getFields())) {
    for (const name of listSizeOf(field)?.sizedFields ?? []) sizedByParent.add(`${getNamedType(field.type).name}.${name}`);
  }
}
function ours({ type, field, args, childComplexity }: EstimatorArgs): number {
  if (field.name === '_entities') return (Array.isArray(args.representations) ? args.representations.length : 1) * (1 + childComplexity);
  if (sizedByParent.has(`${type.name}.${field.name}`)) return 1 + childComplexity;
  const size = listSizeOf(field);
  if (size && size.slicingArguments.length > 0) {
    const first = args.first;
    return 1 + (typeof first === 'number' && first >= 1 && first <= MAX_PAGE_SIZE ? first : MAX_PAGE_SIZE) * childComplexity;
  }
  if (isListType(getNullableType(field.type))) return (size?.assumedSize ?? 10) * (1 + childComplexity);
  return 1 + childComplexity;
}

function entitiesQuery(type: string): string {
  const { selection, variables } = everyFieldSelection(schema, type, PAGES);
  const declared = ['$representations: [_Any!]!', ...variables.map((name) => `$${name}: Int`)].join(', ');
  return `query Every${type}(${declared}) { _entities(representations: $representations) { ... on ${type} ${selection} } }`;
}

async function main(): Promise<void> {
  const moduleName = 'graphql-query-complexity';
  const library = (await import(moduleName)) as Library;
  const compare = (label: string, query: string, variables: Record<string, unknown>): void => {
    const document = parse(query);
    const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    let theirs: string;
    const started = process.hrtime.bigint();
    try {
      theirs = library.getComplexity({ schema, query: document, variables, estimators: [ours] }).toLocaleString('en-US');
    } catch (error) {
      theirs = `throws "${(error as Error).message}"`;
    }
    const libraryMs = Number(process.hrtime.bigint() - started) / 1e6;
    const cost = operationCost({ schema, operation, fragments, variables });
    console.log(`| ${label} | ${theirs} (${libraryMs.toFixed(0)} ms) | ${cost.total.toLocaleString('en-US')} / ${cost.perEntity.toLocaleString('en-US')} |`);
  };
  const users = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'User', id: `u${i}` }));
  const orders = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'PocoOrder', id: `o${i}` }));
  console.log('| request | graphql-query-complexity 2.0.0 | ours: total / largest entity |\n|---|---:|---:|');
  compare('`_entities` 100 users, every field of a `me` page', entitiesQuery('User'), { representations: users(100), ordersFirst: 10, historyFirst: 20 });
  compare('1000 `PocoOrder` references, every field', entitiesQuery('PocoOrder'), { representations: orders(1000) });
  const mixed = `query Mixed($representations: [_Any!]!, $ordersFirst: Int, $historyFirst: Int) { _entities(representations: $representations) {
    ... on User ${everyFieldSelection(schema, 'User', PAGES).selection} ... on PocoOrder ${everyFieldSelection(schema, 'PocoOrder').selection} } }`;
  compare('one batch of 1000 `PocoOrder` + 1 `User` references', mixed, { representations: [...orders(1000), ...users(1)], ordersFirst: 10, historyFirst: 20 });
  compare('`first` sent as `"ten"`', entitiesQuery('User'), { representations: users(1), ordersFirst: 'ten', historyFirst: 20 });
  const levels = 20;
  const chain = Array.from({ length: levels }, (_, i) => `fragment F${i + 1} on PocoOrder { ...F${i} ... on PocoOrder { ...F${i} } }`).join('\n');
  compare(`fragments doubling over ${levels} levels`, `query Q($r: [_Any!]!) { _entities(representations: $r) { ...F${levels} } } fragment F0 on PocoOrder { id } ${chain}`, { r: orders(1) });
}

void main();
