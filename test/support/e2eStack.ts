/**
 * The whole supergraph on real loopback ports for end-to-end tests: our
 * subgraph (startSubgraph on a test database), the sample accounts subgraph,
 * the sample support-tickets subgraph and the gateway composing them, plus
 * HS256 tokens the platform accepts and a small GraphQL-over-HTTP client.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { parse } from 'graphql';
import { startSubgraph } from '../../src/app';
import { createAuthenticator } from '../../src/auth/viewer';
import { signDevToken } from '../../src/auth/devToken';
import { loadConfig, type Config } from '../../src/config';
import { identifyWith, SAMPLE_USERS, accountsTypeDefs, startAccountsSubgraph, type SampleUser } from '../../src/demo/accountsSubgraph';
import { readPocoSchemaSdl } from '../../src/demo/federationLink';
import { startGateway } from '../../src/demo/gateway';
import type { RunningServer } from '../../src/demo/serveSubgraph';
import { startSupportTicketsSubgraph, supportTicketsTypeDefs, type SampleTicket } from '../../src/demo/supportTicketsSubgraph';
import type { TestDatabase } from './database';
import { startSubgraphProcess } from './subgraphProcess';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
}

export interface E2EStack {
  readonly gatewayUrl: string;
  readonly subgraphUrl: string;
  /** A token for `sub` with `scopes`, signed as the platform verifies it. */
  token(sub: string, scopes?: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

export interface E2EStackOptions {
  testDb: TestDatabase;
  users?: readonly SampleUser[];
  tickets?: readonly SampleTicket[];
  /**
   * How our subgraph runs: startSubgraph in this process (default), or the compiled build as its own
   * process, `node dist/src/main.js` configured by the environment (build it first: buildOnce()).
   */
  poco?: 'in-process' | 'compiled';
}

/** Our service's configuration for a test database, with a fresh HS256 secret. */
function testConfig(testDb: TestDatabase): { config: Config; secret: string } {
  const secret = randomBytes(32).toString('hex');
  const config = loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: testDb.uri,
    MONGODB_DB: testDb.name,
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET: secret,
    LOG_LEVEL: 'silent',
    // These tests prove what the API answers, not how fast: on a busy 2-core machine the local FerretDB
    // (which scans collections for $in filters) can take longer than the production time limit of 3 s.
    // The time limits themselves are proven by test/limits/database.test.ts and test/faults/.
    MONGODB_MAX_TIME_MS: '60000',
    MONGODB_SOCKET_TIMEOUT_MS: '90000',
  });
  return { config, secret };
}

export interface TestSubgraph {
  readonly url: string;
  token(sub: string, scopes?: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

/** Only our subgraph, on a free port, serving `testDb`. */
export async function startTestSubgraph(testDb: TestDatabase): Promise<TestSubgraph> {
  const { config, secret } = testConfig(testDb);
  const poco = await startSubgraph({ config, db: testDb.db as Db });
  return {
    url: poco.url,
    token: (sub, scopes = []) => signDevToken({ sub, scopes, secret, expiresIn: '1h' }),
    close: () => poco.close(),
  };
}

/** `node dist/src/main.js` with testConfig's settings, as environment variables. */
async function startCompiledSubgraph(testDb: TestDatabase, secret: string): Promise<{ url: string; close(): Promise<void> }> {
  const subgraph = await startSubgraphProcess('compiled', {
    env: { NODE_ENV: 'test', MONGODB_URI: testDb.uri, MONGODB_DB: testDb.name, PORT: '0', HOST: '127.0.0.1', JWT_SECRET: secret, LOG_LEVEL: 'warn' },
  });
  return { url: subgraph.url, close: () => subgraph.stop() };
}

/** Starts every server on a free port; on a failure half-way, closes what it started. */
export async function startE2EStack(options: E2EStackOptions): Promise<E2EStack> {
  const { config, secret } = testConfig(options.testDb);
  const started: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    // Gateway first, our subgraph last: nothing calls a server after it stops.
    for (const server of started.reverse()) await server.close();
  };
  try {
    const poco = options.poco === 'compiled' ? await startCompiledSubgraph(options.testDb, secret) : await startSubgraph({ config, db: options.testDb.db as Db });
    started.push(poco);
    const accounts: RunningServer = await startAccountsSubgraph({
      identify: identifyWith(createAuthenticator(config.jwt)),
      users: options.users ?? SAMPLE_USERS,
    });
    started.push(accounts);
    const support = await startSupportTicketsSubgraph({ tickets: options.tickets ?? [] });
    started.push(support);
    const gateway = await startGateway({
      port: 0,
      subgraphs: [
        { name: 'poco', url: poco.url, typeDefs: parse(readPocoSchemaSdl()) },
        { name: 'accounts', url: accounts.url, typeDefs: accountsTypeDefs() },
        { name: 'support', url: support.url, typeDefs: supportTicketsTypeDefs() },
      ],
    });
    started.push(gateway);
    return {
      gatewayUrl: gateway.url,
      subgraphUrl: poco.url,
      token: (sub, scopes = []) => signDevToken({ sub, scopes, secret, expiresIn: '1h' }),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** POSTs a GraphQL request; `token` goes in `Authorization: Bearer`. */
export async function postGraphQL<TData = Record<string, any>>(
  url: string,
  query: string,
  options: { token?: string; variables?: Record<string, unknown> } = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      // Apollo Server's CSRF prevention wants a non-simple request; JSON already is one.
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  const body = (await response.json()) as GraphQLResponse<TData>;
  return body;
}

/** The `extensions.code` of the errors at `path` (joined with "."). */
export function errorCodesAt(response: GraphQLResponse<unknown>, path: string): string[] {
  return (response.errors ?? [])
    .filter((error) => (error.path ?? []).join('.') === path)
    .map((error) => String(error.extensions?.code));
}
