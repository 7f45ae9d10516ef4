/**
 * "Every field" selections built from a schema (runtime.md, "Requests a
 * router legitimately sends"), so a field added to schema.graphql later is in
 * the legitimate requests the limits are proven against without editing a
 * query by hand:
 *
 * - every leaf field of the types under the start type;
 * - value objects (types without an `id`: Money, addresses, replies, the
 *   points account, document links) in full;
 * - lists of objects (line items, shipments, coupons, ...) in full;
 * - a paginated field (one with a `first` argument) in full, `first` as a
 *   variable, with `edges { cursor node { id } }` beside `nodes`; each
 *   connection type once, where a breadth-first walk meets it first, so the
 *   orders of `pocoAccounts { orders }` are not listed again beside `pocoOrders`
 *   (and `account { orders }` never is);
 * - a single object with an `id` (an order's account and user, a coupon's
 *   redeemed order, a ledger entry's order) is a reference, followed one
 *   level: its leaf fields only, none of its lists;
 * - a field with a required argument is left out (no generic value exists).
 */
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

export interface EveryFieldSelection {
  /** `{ ... }`, ready to put after a field or an inline fragment. */
  readonly selection: string;
  /** The page-size variables the selection uses (declare them as `Int`). */
  readonly variables: readonly string[];
}

interface Node {
  readonly field: string;
  readonly args: string;
  readonly children: Node[];
}

type Mode = 'full' | 'reference' | 'edge';

function hasIdentity(type: GraphQLObjectType): boolean {
  return Object.prototype.hasOwnProperty.call(type.getFields(), 'id');
}

function isPaginated(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.some((argument) => argument.name === 'first');
}

function selectable(field: GraphQLField<unknown, unknown>): boolean {
  if (field.name.startsWith('__') || field.name === '_entities' || field.name === '_service') return false;
  return field.args.every((argument) => !isNonNullType(argument.type) || argument.defaultValue !== undefined);
}

/**
 * Every field of `typeName` in `schema`. A paginated field's `first` is the
 * variable named by `pageVariables["Type.field"]`, else `$<field>First`.
 */
export function everyFieldSelection(schema: GraphQLSchema, typeName: string, pageVariables: Readonly<Record<string, string>> = {}): EveryFieldSelection {
  const start = schema.getType(typeName);
  if (!start || !isObjectType(start)) throw new Error(`${typeName} is not an object type of the schema`);
  const claimedConnections = new Set<string>();
  const variables = new Set<string>();
  const root: Node = { field: '', args: '', children: [] };
  const queue: { node: Node; type: GraphQLObjectType; mode: Mode; path: ReadonlySet<string> }[] = [
    { node: root, type: start, mode: 'full', path: new Set([start.name]) },
  ];

  while (queue.length > 0) {
    const { node, type, mode, path } = queue.shift()!;
    for (const field of Object.values(type.getFields())) {
      if (!selectable(field)) continue;
      const named = getNamedType(field.type);
      if (isLeafType(named)) {
        if (mode === 'edge' && field.name !== 'cursor') continue;
        node.children.push({ field: field.name, args: '', children: [] });
        continue;
      }
      if (!isCompositeType(named) || !isObjectType(named)) continue;
      const child = (args: string, childMode: Mode): void => {
        const childNode: Node = { field: field.name, args, children: [] };
        node.children.push(childNode);
        queue.push({ node: childNode, type: named, mode: childMode, path: new Set([...path, named.name]) });
      };
      switch (mode) {
        case 'reference':
          break;
        case 'edge':
          if (field.name === 'node') node.children.push({ field: 'node', args: '', children: hasIdentity(named) ? [{ field: 'id', args: '', children: [] }] : [{ field: '__typename', args: '', children: [] }] });
          break;
        case 'full': {
          const list = isListType(getNullableType(field.type));
          if (isPaginated(field)) {
            if (claimedConnections.has(named.name)) break;
            claimedConnections.add(named.name);
            const variable = pageVariables[`${type.name}.${field.name}`] ?? `${field.name}First`;
            variables.add(variable);
            child(`(first: $${variable})`, 'full');
          } else if (named.name.endsWith('Edge') && named.getFields().node && named.getFields().cursor) {
            child('', 'edge');
          } else if (path.has(named.name) || (!list && hasIdentity(named))) {
            child('', 'reference');
          } else {
            child('', 'full');
          }
          break;
        }
        default: {
          const unexpected: never = mode;
          throw new Error(`unexpected mode ${String(unexpected)}`);
        }
      }
    }
    if (node.children.length === 0) node.children.push({ field: '__typename', args: '', children: [] });
  }

  const render = (node: Node): string => `{ ${node.children.map((child) => `${child.field}${child.args}${child.children.length > 0 ? ` ${render(child)}` : ''}`).join(' ')} }`;
  return { selection: render(root), variables: [...variables] };
}
