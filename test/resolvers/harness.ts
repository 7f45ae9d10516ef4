/**
 * Runs operations against the real subgraph schema (schema.graphql + src/resolvers.ts,
 * built by @apollo/subgraph) over a real test database, with a viewer and a clock of
 * the test's choosing. No HTTP, no mocks: the context is built as the service builds it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type GraphQLFormattedError } from 'graphql';
import type { MongoClientOptions } from 'mongodb';
import { loadConfig } from '../../src/config';
import { collectionsOf, ensureIndexes, type Collections } from '../../src/db/collections';
import { createDocumentLinkIssuer } from '../../src/documents/links';
import { createDocumentTokenCodec, type DocumentTokenCodec } from '../../src/documents/token';
import type { PocoStore } from '../../src/shared/codes';
import type { RequestContext, Viewer } from '../../src/graphql/context';
import { createLoaders } from '../../src/loaders';
import { resolvers } from '../../src/resolvers';
import { openTestDatabase, type TestDatabase } from '../support/database';

export const anonymous: Viewer = { kind: 'anonymous', reason: 'missing' };

export function userViewer(userId: string): Viewer {
  return { kind: 'user', userId, scopes: new Set(), isSupport: false };
}

export function supportViewer(userId = 'support-agent'): Viewer {
  return { kind: 'user', userId, scopes: new Set(['poco:support']), isSupport: true };
}

export interface RunOptions {
  viewer: Viewer;
  variables?: Record<string, unknown>;
  /** The request's clock; defaults to 2025-06-01. */
  now?: Date;
  /** Warranty months per store; defaults to the configuration of an empty environment (24 everywhere). */
  warrantyMonths?: Readonly<Record<PocoStore, number>>;
}

export interface RunResult {
  data: Record<string, any> | null | undefined;
  errors: readonly GraphQLFormattedError[] | undefined;
}

export interface Harness {
  readonly database: TestDatabase;
  readonly collections: Collections;
  /** Opens the document link tokens this harness's links carry. */
  readonly documentCodec: DocumentTokenCodec;
  run(query: string, options: RunOptions): Promise<RunResult>;
  close(): Promise<void>;
}

export const DEFAULT_NOW = new Date('2025-06-01T00:00:00.000Z');
export const TEST_CURSOR_SECRET = 'test-cursor-secret-of-the-domain-tests';
export const TEST_DOCUMENT_SECRET = 'test-document-secret-of-the-domain-tests';
/** PUBLIC_BASE_URL of the harness's document links. */
export const TEST_PUBLIC_BASE_URL = 'https://poco.example.test/legacy';

export async function startHarness(label: string, clientOptions: MongoClientOptions = {}): Promise<Harness> {
  const database = await openTestDatabase(label, clientOptions);
  await ensureIndexes(database.db);
  const collections = collectionsOf(database.db);
  const schema = buildSubgraphSchema({
    typeDefs: parse(readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8')),
    resolvers: resolvers as unknown as GraphQLResolverMap<unknown>,
  });
  const server = new ApolloServer<RequestContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  let requests = 0;
  const documentCodec = createDocumentTokenCodec(TEST_DOCUMENT_SECRET);
  const documents = createDocumentLinkIssuer(documentCodec, () => TEST_PUBLIC_BASE_URL);
  const defaultWarrantyMonths = loadConfig({}).warrantyMonths;
  return {
    database,
    collections,
    documentCodec,
    async run(query, { viewer, variables, now = DEFAULT_NOW, warrantyMonths = defaultWarrantyMonths }) {
      const contextValue: RequestContext = {
        requestId: `test-${++requests}`,
        now,
        viewer,
        loaders: createLoaders(collections, now),
        cursorSecret: TEST_CURSOR_SECRET,
        documents: documents.forRequest(viewer, now),
        warrantyMonths,
      };
      const response = await server.executeOperation({ query, variables }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return { data: response.body.singleResult.data, errors: response.body.singleResult.errors };
    },
    async close() {
      await server.stop();
      await database.drop();
    },
  };
}

/** The `extensions.code` of every error, in order. */
export function codesOf(result: RunResult): unknown[] {
  return (result.errors ?? []).map((error) => error.extensions?.code);
}

/** Fails with the errors printed when a result has any. */
export function expectNoErrors(result: RunResult): void {
  if (result.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(result.errors, null, 2)}`);
}
