/**
 * The cost of an operation: how many values its response can hold at most,
 * which is what bounds the database reads and the response size.
 *
 *   cost(selection set) = Σ over fields of  size(field) × (1 + cost(field's selections))
 *
 * size(field) is 1 for a single value. A list's size is:
 * - under a paginated field (one with a `first` argument), its `first`: from
 *   a literal, from the request's VARIABLES (routers always send it as a
 *   variable), from the variable's default, or from the schema's default;
 *   values outside 1..MAX_PAGE_SIZE count as MAX_PAGE_SIZE (the resolver then
 *   rejects them with BAD_USER_INPUT naming the argument);
 * - for `_entities`, the number of representations sent;
 * - for any other list (line items, shipments, events, coupons),
 *   ASSUMED_LIST_SIZE, a generous typical length.
 *
 * Fragments are expanded; a branch switched off by a literal or variable
 * `@skip`/`@include` costs nothing. Abstract selections add up every type's
 * branch (an upper bound). Every fragment's cost is memoised per page size,
 * so the walk stays linear however a document nests its spreads.
 */
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export const MAX_PAGE_SIZE = 100;
export const ASSUMED_LIST_SIZE = 10;

export interface CostInput {
  readonly schema: GraphQLSchema;
  readonly operation: OperationDefinitionNode;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode> | Record<string, FragmentDefinitionNode>;
  /** The request's variables as sent (uncoerced JSON). */
  readonly variables: Readonly<Record<string, unknown>> | undefined;
}

type Variables = Record<string, unknown>;

/** Operation variables as sent, with the operation's own defaults for those left out. */
export function variablesWithDefaults(operation: OperationDefinitionNode, sent: Readonly<Record<string, unknown>> | undefined): Variables {
  const values: Variables = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (sent && Object.prototype.hasOwnProperty.call(sent, name)) values[name] = sent[name];
    else if (definition.defaultValue) values[name] = literalValue(definition.defaultValue, {});
  }
  return values;
}

/** A plain JS value for an argument's AST (variables substituted), without type coercion. */
export function literalValue(node: ValueNode, variables: Variables): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((value) => literalValue(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literalValue(field.value, variables)]));
    default: {
      const unexpected: never = node;
      throw new Error(`unexpected value node ${String(unexpected)}`);
    }
  }
}

/** The value the field's argument takes in this request, or undefined when neither sent nor defaulted. */
export function argumentValue(field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined, name: string, variables: Variables): unknown {
  const node = field.arguments?.find((argument) => argument.name.value === name);
  if (node) {
    const value = literalValue(node.value, variables);
    if (value !== undefined) return value;
  }
  return definition?.args.find((argument) => argument.name === name)?.defaultValue;
}

function pageSize(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_PAGE_SIZE ? value : MAX_PAGE_SIZE;
}

function isSwitchedOff(node: FieldNode | SelectionSetNode['selections'][number], variables: Variables): boolean {
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return true;
    if (getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if === false) return true;
  } catch {
    // A malformed condition fails in execution with its own error; count the branch.
  }
  return false;
}

class CostMeter {
  private readonly memo = new Map<string, number>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragmentNamed: (name: string) => FragmentDefinitionNode | undefined,
    private readonly variables: Variables,
  ) {}

  /**
   * `page` is the page size of the paginated field just above, if any: lists
   * directly under it (edges, nodes) take that size.
   */
  cost(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, page: number | undefined): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (isSwitchedOff(selection, this.variables)) continue;
      switch (selection.kind) {
        case Kind.FIELD:
          total += this.fieldCost(selection, parent, page);
          break;
        case Kind.INLINE_FRAGMENT: {
          const typeName = selection.typeCondition?.name.value;
          const type = typeName ? this.schema.getType(typeName) : parent;
          if (type && isCompositeType(type)) total += this.cost(selection.selectionSet, type, page);
          break;
        }
        case Kind.FRAGMENT_SPREAD:
          total += this.fragmentCost(selection.name.value, page);
          break;
        default: {
          const unexpected: never = selection;
          throw new Error(`unexpected selection ${String(unexpected)}`);
        }
      }
    }
    return total;
  }

  private fragmentCost(name: string, page: number | undefined): number {
    const key = `${name}\u0000${page ?? ''}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const definition = this.fragmentNamed(name);
    if (!definition || this.inProgress.has(key)) return 0;
    const type = this.schema.getType(definition.typeCondition.name.value);
    if (!type || !isCompositeType(type)) return 0;
    this.inProgress.add(key);
    const cost = this.cost(definition.selectionSet, type, page);
    this.inProgress.delete(key);
    this.memo.set(key, cost);
    return cost;
  }

  private fieldCost(field: FieldNode, parent: GraphQLCompositeType, page: number | undefined): number {
    const name = field.name.value;
    const definition =
      isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    // __typename, or an unknown field (reported by validation): one value.
    if (!definition) return 1;
    const nullable = getNullableType(definition.type);
    const returnsList = isListType(nullable);
    const hasFirst = definition.args.some((argument) => argument.name === 'first');

    let size = 1;
    if (name === '_entities') {
      const representations = argumentValue(field, definition, 'representations', this.variables);
      size = Array.isArray(representations) ? Math.max(representations.length, 1) : 1;
    } else if (returnsList) {
      size = page ?? ASSUMED_LIST_SIZE;
    }
    const childPage = hasFirst ? pageSize(argumentValue(field, definition, 'first', this.variables)) : undefined;

    let inner = 0;
    const named = getNamedType(definition.type);
    if (field.selectionSet && isCompositeType(named)) {
      inner = this.cost(field.selectionSet, named, childPage);
    }
    return size * (1 + inner);
  }
}

function fragmentLookup(fragments: CostInput['fragments']): (name: string) => FragmentDefinitionNode | undefined {
  if (fragments instanceof Map) return (name) => fragments.get(name);
  const record = fragments as Record<string, FragmentDefinitionNode>;
  return (name) => (Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined);
}

/** The cost of one (validated) operation with the request's variables. */
export function operationCost(input: CostInput): number {
  const root = input.schema.getRootType(input.operation.operation);
  if (!root) return 0;
  const meter = new CostMeter(input.schema, fragmentLookup(input.fragments), variablesWithDefaults(input.operation, input.variables));
  return meter.cost(input.operation.selectionSet, root, undefined);
}
