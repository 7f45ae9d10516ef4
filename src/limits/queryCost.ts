/**
 * The cost of an operation: how many values its response can hold at most
 * (every field's value counts 1, every list item 1 plus its fields), which is
 * what bounds the resolver work, the response size and the documents read.
 *
 *   cost(selection set) = Σ over fields of  size(field) × (1 + cost(field's selections))
 *
 * size(field) is 1 for a single value. A list's size comes from the schema's
 * `@listSize` directive (the demand-control directive of Federation 2.9+,
 * which a router's own cost estimate reads from the supergraph too):
 * - `@listSize(slicingArguments: ["first"], sizedFields: ["edges", "nodes"])`
 *   on a paginated field: the lists named in `sizedFields` take `first`, read
 *   from a literal, from the request's VARIABLES (routers always send it as a
 *   variable), from the variable's default, or from the schema's default;
 *   values outside 1..MAX_PAGE_SIZE count as MAX_PAGE_SIZE (the resolver then
 *   rejects them with BAD_USER_INPUT naming the argument);
 * - `@listSize(assumedSize: n)` on a list the client cannot slice: n, a bound
 *   calibrated on the data (schema.graphql says where each comes from);
 * - `_entities`: the representations sent, each costed for its own
 *   `__typename` (a User representation costs the `... on User` branch only);
 * - any other list: DEFAULT_LIST_SIZE; a field with a `first` argument and no
 *   `@listSize` is sliced by `first` like a connection.
 *
 * Besides the total, the meter keeps the cost of the costliest single entity:
 * one `_entities` representation, or one object a root field returns. A
 * router batches many entities into one request, so the total grows with the
 * batch; what one entity may cost does not (see operationLimitsPlugin).
 *
 * Fragments are expanded; a branch switched off by a literal or variable
 * `@skip`/`@include` costs nothing. Abstract selections take the costliest
 * possible type. Every fragment's cost is memoised per type and page size,
 * so the walk stays linear however a document nests its spreads.
 */
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isListType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export const MAX_PAGE_SIZE = 100;
/** A list of the schema without `@listSize` (none today): as generous as the old model's every list. */
export const DEFAULT_LIST_SIZE = 10;

export interface CostInput {
  readonly schema: GraphQLSchema;
  readonly operation: OperationDefinitionNode;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode> | Record<string, FragmentDefinitionNode>;
  /** The request's variables as sent (uncoerced JSON). */
  readonly variables: Readonly<Record<string, unknown>> | undefined;
}

export interface OperationCost {
  /** The most values the whole response can hold. */
  readonly total: number;
  /** The most values one entity can hold: one `_entities` representation, or one object a root field returns. */
  readonly perEntity: number;
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

/** A field's `@listSize` directive, read from its SDL definition. */
export interface ListSize {
  readonly assumedSize: number | undefined;
  readonly slicingArguments: readonly string[];
  readonly sizedFields: readonly string[];
}

const listSizes = new WeakMap<GraphQLField<unknown, unknown>, ListSize | null>();

export function listSizeOf(definition: GraphQLField<unknown, unknown>): ListSize | undefined {
  const known = listSizes.get(definition);
  if (known !== undefined) return known ?? undefined;
  const directive = definition.astNode?.directives?.find((node) => node.name.value === 'listSize' || node.name.value === 'federation__listSize');
  let found: ListSize | null = null;
  if (directive) {
    const argument = (name: string): unknown => {
      const node = directive.arguments?.find((candidate) => candidate.name.value === name);
      return node ? literalValue(node.value, {}) : undefined;
    };
    const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
    const assumed = argument('assumedSize');
    found = {
      assumedSize: typeof assumed === 'number' && Number.isInteger(assumed) && assumed >= 0 ? assumed : undefined,
      slicingArguments: strings(argument('slicingArguments')),
      sizedFields: strings(argument('sizedFields')),
    };
  } else if (definition.args.some((candidate) => candidate.name === 'first')) {
    // A paginated field someone forgot to annotate: `first` still bounds the lists under it.
    found = { assumedSize: undefined, slicingArguments: ['first'], sizedFields: [] };
  }
  listSizes.set(definition, found);
  return found ?? undefined;
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

/** The size a slicing `@listSize` above gives to the lists it names (all lists right under it when it names none). */
interface Slice {
  readonly size: number;
  readonly fields: ReadonlySet<string> | undefined;
  readonly key: string;
}

class CostMeter {
  private readonly memo = new Map<string, number>();
  private readonly inProgress = new Set<string>();
  /** The costliest entity met so far. */
  perEntity = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly root: GraphQLObjectType,
    private readonly fragmentNamed: (name: string) => FragmentDefinitionNode | undefined,
    private readonly variables: Variables,
  ) {}

  /** An abstract type costs what its costliest possible type costs. */
  cost(selectionSet: SelectionSetNode, type: GraphQLCompositeType, slice: Slice | undefined): number {
    if (!isAbstractType(type)) return this.costOn(selectionSet, type, slice);
    let most = 0;
    for (const possible of this.schema.getPossibleTypes(type)) most = Math.max(most, this.costOn(selectionSet, possible, slice));
    return most;
  }

  private applies(typeName: string | undefined, type: GraphQLObjectType): boolean {
    if (typeName === undefined) return true;
    const condition = this.schema.getType(typeName);
    if (!condition || !isCompositeType(condition)) return false;
    if (condition === type) return true;
    return isAbstractType(condition) && this.schema.isSubType(condition, type);
  }

  /** The selection set as it executes on an object of `type`. */
  costOn(selectionSet: SelectionSetNode, type: GraphQLObjectType, slice: Slice | undefined): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (isSwitchedOff(selection, this.variables)) continue;
      switch (selection.kind) {
        case Kind.FIELD:
          total += this.fieldCost(selection, type, slice);
          break;
        case Kind.INLINE_FRAGMENT:
          if (this.applies(selection.typeCondition?.name.value, type)) total += this.costOn(selection.selectionSet, type, slice);
          break;
        case Kind.FRAGMENT_SPREAD:
          total += this.fragmentCost(selection.name.value, type, slice);
          break;
        default: {
          const unexpected: never = selection;
          throw new Error(`unexpected selection ${String(unexpected)}`);
        }
      }
    }
    return total;
  }

  private fragmentCost(name: string, type: GraphQLObjectType, slice: Slice | undefined): number {
    const key = `${name}\u0000${type.name}\u0000${slice?.key ?? ''}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const definition = this.fragmentNamed(name);
    if (!definition || this.inProgress.has(key) || !this.applies(definition.typeCondition.name.value, type)) return 0;
    this.inProgress.add(key);
    const cost = this.costOn(definition.selectionSet, type, slice);
    this.inProgress.delete(key);
    this.memo.set(key, cost);
    return cost;
  }

  private fieldCost(field: FieldNode, parent: GraphQLObjectType, slice: Slice | undefined): number {
    const name = field.name.value;
    const definition = parent.getFields()[name];
    // __typename, or an unknown field (reported by validation): one value.
    if (!definition) return 1;
    const atRoot = parent === this.root;
    if (name === '_entities' && atRoot) return this.entitiesCost(field, definition);

    const returnsList = isListType(getNullableType(definition.type));
    const listSize = listSizeOf(definition);
    let size = 1;
    let childSlice: Slice | undefined;
    const sliced = listSize && listSize.slicingArguments.length > 0 ? this.slicedSize(field, definition, listSize.slicingArguments) : undefined;
    if (sliced !== undefined && listSize!.sizedFields.length > 0) {
      childSlice = { size: sliced, fields: new Set(listSize!.sizedFields), key: `${sliced}:${listSize!.sizedFields.join(',')}` };
    } else if (sliced !== undefined && !returnsList) {
      childSlice = { size: sliced, fields: undefined, key: `${sliced}:*` };
    }
    if (returnsList) {
      if (slice && (slice.fields === undefined || slice.fields.has(name))) size = slice.size;
      else if (sliced !== undefined && listSize!.sizedFields.length === 0) size = sliced;
      else size = listSize?.assumedSize ?? DEFAULT_LIST_SIZE;
    }

    let inner = 0;
    const named = getNamedType(definition.type);
    if (field.selectionSet && isCompositeType(named)) inner = this.cost(field.selectionSet, named, childSlice);
    if (atRoot) this.perEntity = Math.max(this.perEntity, 1 + inner);
    return size * (1 + inner);
  }

  private slicedSize(field: FieldNode, definition: GraphQLField<unknown, unknown>, slicingArguments: readonly string[]): number | undefined {
    for (const argument of slicingArguments) {
      const value = argumentValue(field, definition, argument, this.variables);
      if (value !== undefined) return pageSize(value);
    }
    // Neither sent nor defaulted: the resolver's own default applies, at most a full page.
    return MAX_PAGE_SIZE;
  }

  /** Each representation costs its own type's branch; one the schema cannot place costs the costliest. */
  private entitiesCost(field: FieldNode, definition: GraphQLField<unknown, unknown>): number {
    const value = argumentValue(field, definition, 'representations', this.variables);
    // A single value is coerced to a list of one; anything else fails coercion with its own error.
    const representations: unknown[] = Array.isArray(value) ? value : [value];
    const counts = new Map<string, number>();
    for (const representation of representations) {
      const typeName = (representation as { __typename?: unknown } | null)?.__typename;
      const key = typeof typeName === 'string' && isObjectType(this.schema.getType(typeName)) ? typeName : '';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const named = getNamedType(definition.type);
    let total = 0;
    for (const [typeName, count] of counts) {
      let each = 1;
      if (field.selectionSet && isCompositeType(named)) {
        const type = typeName === '' ? undefined : this.schema.getType(typeName);
        each += type && isObjectType(type) ? this.costOn(field.selectionSet, type, undefined) : this.cost(field.selectionSet, named, undefined);
      }
      this.perEntity = Math.max(this.perEntity, each);
      total += count * each;
    }
    return total;
  }
}

function fragmentLookup(fragments: CostInput['fragments']): (name: string) => FragmentDefinitionNode | undefined {
  if (fragments instanceof Map) return (name) => fragments.get(name);
  const record = fragments as Record<string, FragmentDefinitionNode>;
  return (name) => (Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined);
}

/** The cost of one (validated) operation with the request's variables. */
export function operationCost(input: CostInput): OperationCost {
  const root = input.schema.getRootType(input.operation.operation);
  if (!root) return { total: 0, perEntity: 0 };
  const meter = new CostMeter(input.schema, root, fragmentLookup(input.fragments), variablesWithDefaults(input.operation, input.variables));
  const total = meter.cost(input.operation.selectionSet, root, undefined);
  return { total, perEntity: meter.perEntity };
}
