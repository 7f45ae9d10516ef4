/**
 * The subgraph schema: schema.graphql (read once) with a resolver map, built
 * by @apollo/subgraph so `_service`, `_entities` and the federation
 * directives come with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Resolvers } from '../generated/resolvers';
import { PROJECT_ROOT } from '../shared/projectRoot';

export const SCHEMA_PATH = join(PROJECT_ROOT, 'schema.graphql');

let typeDefs: DocumentNode | undefined;

/** schema.graphql, parsed on first use and kept. */
export function subgraphTypeDefs(): DocumentNode {
  typeDefs ??= parse(readFileSync(SCHEMA_PATH, 'utf8'));
  return typeDefs;
}

export function buildSchema(resolvers: Resolvers): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: subgraphTypeDefs(),
    resolvers: resolvers as GraphQLResolverMap<unknown>,
  });
}
