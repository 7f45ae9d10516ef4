/**
 * Limits that depend on the request's variables, checked once the operation
 * is resolved and before anything executes (no resolver, no database work):
 * the number of `_entities` representations and the operation's cost, in
 * all and per entity (queryCost.ts).
 * Either breach is a QUERY_TOO_COMPLEX error with HTTP status 400.
 *
 * Why not a validation rule: Apollo Server validates the document alone (it
 * caches validated documents by query hash), and routers send `first` and
 * `representations` as variables, so only this hook sees the real sizes.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { ErrorCode } from '../errors';
import { literalValue, operationCost, variablesWithDefaults } from './queryCost';
import type { RequestLimits } from './settings';

export type OperationLimit = 'maxRepresentations' | 'maxCost' | 'maxCostPerEntity';

export function queryTooComplex(limit: OperationLimit, message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit, http: { status: 400 } },
  });
}

/** The `_entities` fields at the root of the operation (through inline fragments). */
function entitiesFields(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  const found: FieldNode[] = [];
  const seen = new Set<string>();
  const walk = (selections: OperationDefinitionNode['selectionSet']['selections']): void => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '_entities') found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet.selections);
      } else {
        const name = selection.name.value;
        const definition = fragments[name];
        if (definition && !seen.has(name)) {
          seen.add(name);
          walk(definition.selectionSet.selections);
        }
      }
    }
  };
  walk(operation.selectionSet.selections);
  return found;
}

/** How many representations the operation's `_entities` fields ask for, all together. */
export function representationCount(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>> | undefined,
): number {
  const values = variablesWithDefaults(operation, variables);
  let count = 0;
  for (const field of entitiesFields(operation, fragments)) {
    const argument = field.arguments?.find((candidate) => candidate.name.value === 'representations');
    const value = argument ? literalValue(argument.value, values) : undefined;
    // A single value is coerced to a list of one; anything else fails coercion with its own error.
    count += Array.isArray(value) ? value.length : 1;
  }
  return count;
}

export function operationLimitsPlugin(limits: Pick<RequestLimits, OperationLimit>): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const representations = representationCount(operation, fragments, request.variables);
          if (representations > limits.maxRepresentations) {
            throw queryTooComplex(
              'maxRepresentations',
              `The request asks for ${representations} entities; at most ${limits.maxRepresentations} are allowed per request. Split the batch.`,
            );
          }
          const cost = operationCost({ schema, operation, fragments, variables: request.variables });
          if (cost.total > limits.maxCost) {
            throw queryTooComplex(
              'maxCost',
              `The operation could return up to ${cost.total} values; at most ${limits.maxCost} are allowed. Ask for smaller pages (first), fewer fields or fewer entities per request.`,
            );
          }
          // Checked after the total: a batch of many entities is split by the router, one costly entity is not.
          if (cost.perEntity > limits.maxCostPerEntity) {
            throw queryTooComplex(
              'maxCostPerEntity',
              `One entity of the operation could return up to ${cost.perEntity} values; at most ${limits.maxCostPerEntity} are allowed per entity. Ask for smaller pages (first) or fewer fields.`,
            );
          }
        },
      };
    },
  };
}
