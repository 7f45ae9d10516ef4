/**
 * A subgraph of the platform tests: the shared startHttpSubgraph (loopback
 * port, capturing logger, token minting) on a fresh test database (or a given
 * one), logging at debug level.
 */
import type { Db } from 'mongodb';
import type { Resolvers } from '../../src/generated/resolvers';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { startHttpSubgraph, type HttpSubgraph } from '../limits/http';

/** startHttpSubgraph's subgraph; close() also drops the test database it made (if it made one). */
export type PlatformSubgraph = HttpSubgraph;

export interface PlatformSubgraphOptions {
  readonly env?: Record<string, string>;
  readonly db?: Db;
  readonly resolvers?: Resolvers;
  readonly label?: string;
}

export async function startPlatformSubgraph(options: PlatformSubgraphOptions = {}): Promise<PlatformSubgraph> {
  let testDb: TestDatabase | undefined;
  let db = options.db;
  if (!db) {
    testDb = await openTestDatabase(options.label ?? 'platform');
    db = testDb.db;
  }
  let subgraph: HttpSubgraph;
  try {
    subgraph = await startHttpSubgraph({
      db,
      env: { LOG_LEVEL: 'debug', ...options.env },
      ...(options.resolvers ? { resolvers: options.resolvers } : {}),
    });
  } catch (error) {
    await testDb?.drop();
    throw error;
  }
  return {
    ...subgraph,
    async close() {
      try {
        await subgraph.close();
      } finally {
        await testDb?.drop();
      }
    },
  };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function postGraphql(
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}
