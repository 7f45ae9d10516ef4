/**
 * Validation rules for the shape of an operation: depth, aliases, directives
 * and root fields. They run in Apollo's validation step, before anything
 * executes; a breach is a GRAPHQL_VALIDATION_FAILED error (HTTP 400) whose
 * message names the limit, and `extensions.limit` names it for programs.
 *
 * Counting follows what the operation makes the server do, so fragments are
 * expanded: a fragment spread three times counts three times. Each
 * fragment's figures are computed once (memoised), so a document built to
 * explode when expanded costs a linear walk, and spread cycles (which
 * NoFragmentCyclesRule reports in the same pass) end the walk instead of
 * looping.
 *
 * Depth counts fields only. Inline fragments and spreads do not nest a level:
 * a router's `_entities(...) { ... on User { pocoOrders { ... } } }` is as deep
 * as the same selection under `me` in the supergraph.
 */
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { RequestLimits } from './settings';

export type ShapeLimit = 'maxDepth' | 'maxAliases' | 'maxDirectives' | 'maxRootFields';

/** What one selection set (fragments expanded) amounts to. */
interface Shape {
  /** Levels of fields below and including this set (0 for an empty set). */
  depth: number;
  aliases: number;
  directives: number;
}

const EMPTY: Shape = { depth: 0, aliases: 0, directives: 0 };

/** Walks selection sets, expanding each named fragment once. */
class ShapeMeter {
  private readonly fragments = new Map<string, Shape>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly fragmentNamed: (name: string) => FragmentDefinitionNode | undefined) {}

  measure(selectionSet: SelectionSetNode): Shape {
    let depth = 0;
    let aliases = 0;
    let directives = 0;
    for (const selection of selectionSet.selections) {
      directives += selection.directives?.length ?? 0;
      let inner: Shape;
      switch (selection.kind) {
        case Kind.FIELD:
          if (selection.alias) aliases += 1;
          inner = selection.selectionSet ? this.measure(selection.selectionSet) : EMPTY;
          depth = Math.max(depth, inner.depth + 1);
          break;
        case Kind.INLINE_FRAGMENT:
          inner = this.measure(selection.selectionSet);
          depth = Math.max(depth, inner.depth);
          break;
        case Kind.FRAGMENT_SPREAD:
          inner = this.fragment(selection.name.value);
          depth = Math.max(depth, inner.depth);
          break;
        default: {
          const unexpected: never = selection;
          throw new Error(`unexpected selection ${String(unexpected)}`);
        }
      }
      aliases += inner.aliases;
      directives += inner.directives;
    }
    return { depth, aliases, directives };
  }

  private fragment(name: string): Shape {
    const known = this.fragments.get(name);
    if (known) return known;
    const definition = this.fragmentNamed(name);
    // Unknown fragments and cycles are reported by the specified rules.
    if (!definition || this.inProgress.has(name)) return EMPTY;
    this.inProgress.add(name);
    const own = this.measure(definition.selectionSet);
    const shape = { ...own, directives: own.directives + (definition.directives?.length ?? 0) };
    this.inProgress.delete(name);
    this.fragments.set(name, shape);
    return shape;
  }
}

/** Fields at the root of the operation, through inline fragments and spreads (each fragment counted once, memoised). */
function countRootFields(
  selectionSet: SelectionSetNode,
  fragmentNamed: (name: string) => FragmentDefinitionNode | undefined,
  memo: Map<string, number> = new Map(),
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD:
        count += 1;
        break;
      case Kind.INLINE_FRAGMENT:
        count += countRootFields(selection.selectionSet, fragmentNamed, memo);
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        let fragmentCount = memo.get(name);
        if (fragmentCount === undefined) {
          const definition = fragmentNamed(name);
          // A cycle reads 0 while its fragment is being counted; NoFragmentCyclesRule reports it.
          memo.set(name, 0);
          fragmentCount = definition ? countRootFields(definition.selectionSet, fragmentNamed, memo) : 0;
          memo.set(name, fragmentCount);
        }
        count += fragmentCount;
        break;
      }
      default: {
        const unexpected: never = selection;
        throw new Error(`unexpected selection ${String(unexpected)}`);
      }
    }
  }
  return count;
}

export function limitExceeded(limit: ShapeLimit, message: string, node?: OperationDefinitionNode): GraphQLError {
  return new GraphQLError(message, { nodes: node ? [node] : undefined, extensions: { limit } });
}

function operationLabel(operation: OperationDefinitionNode): string {
  return operation.name ? `Operation "${operation.name.value}"` : 'The operation';
}

/**
 * One rule that measures each operation once and reports every limit it
 * breaks (one walk instead of four).
 */
export function operationShapeRule(limits: Pick<RequestLimits, ShapeLimit>): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const meter = new ShapeMeter((name) => context.getFragment(name) ?? undefined);
    return {
      OperationDefinition(operation) {
        const shape = meter.measure(operation.selectionSet);
        const directives = shape.directives + (operation.directives?.length ?? 0);
        const label = operationLabel(operation);
        if (shape.depth > limits.maxDepth) {
          context.reportError(
            limitExceeded('maxDepth', `${label} nests fields ${shape.depth} deep; at most ${limits.maxDepth} levels are allowed.`, operation),
          );
        }
        if (shape.aliases > limits.maxAliases) {
          context.reportError(
            limitExceeded('maxAliases', `${label} uses ${shape.aliases} aliases; at most ${limits.maxAliases} are allowed.`, operation),
          );
        }
        if (directives > limits.maxDirectives) {
          context.reportError(
            limitExceeded('maxDirectives', `${label} uses ${directives} directives; at most ${limits.maxDirectives} are allowed.`, operation),
          );
        }
        const rootFields = countRootFields(operation.selectionSet, (name) => context.getFragment(name) ?? undefined);
        if (rootFields > limits.maxRootFields) {
          context.reportError(
            limitExceeded('maxRootFields', `${label} selects ${rootFields} root fields; at most ${limits.maxRootFields} are allowed.`, operation),
          );
        }
        // The operation is measured whole: nothing below needs visiting again.
        return false;
      },
    };
  };
}
