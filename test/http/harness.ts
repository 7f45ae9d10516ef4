/**
 * A subgraph of the platform tests: startSubgraph on a loopback port with a
 * fresh test database (or a given one), a capturing logger and token minting.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Db } from 'mongodb';
import { startSubgraph, type RunningSubgraph } from '../../src/app';
import { signDevToken } from '../../src/auth/devToken';
import { loadConfig, type Config } from '../../src/config';
import type { Resolvers } from '../../src/generated/resolvers';
import { createServiceLogger } from '../../src/observability/logger';
import { openTestDatabase, type TestDatabase } from '../support/database';

export interface PlatformSubgraph {
  readonly url: string;
  readonly origin: string;
  readonly config: Config;
  readonly running: RunningSubgraph;
  readonly logLines: Record<string, unknown>[];
  logText(): string;
  token(sub: string, scopes?: readonly string[]): Promise<string>;
  /** Closes the subgraph, then drops the test database it made (if it made one). */
  close(): Promise<void>;
}

export interface PlatformSubgraphOptions {
  readonly env?: Record<string, string>;
  readonly db?: Db;
  readonly resolvers?: Resolvers;
  readonly label?: string;
}

export async function startPlatformSubgraph(options: PlatformSubgraphOptions = {}): Promise<PlatformSubgraph> {
  const secret = randomBytes(32).toString('hex');
  let testDb: TestDatabase | undefined;
  let db = options.db;
  if (!db) {
    testDb = await openTestDatabase(options.label ?? 'platform');
    db = testDb.db;
  }
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', JWT_SECRET: secret, LOG_LEVEL: 'debug', ...options.env });
  let text = '';
  const logLines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const piece = chunk.toString('utf8');
      text += piece;
      for (const line of piece.split('\n')) {
        if (line.trim() === '') continue;
        try {
          logLines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          logLines.push({ unparsed: line });
        }
      }
      done();
    },
  });
  const logger = createServiceLogger({ level: config.logLevel, destination });
  let running: RunningSubgraph;
  try {
    running = await startSubgraph({ config, db, logger, ...(options.resolvers ? { resolvers: options.resolvers } : {}) });
  } catch (error) {
    await testDb?.drop();
    throw error;
  }
  return {
    url: running.url,
    origin: new URL(running.url).origin,
    config,
    running,
    logLines,
    logText: () => text,
    token: (sub, scopes = []) => signDevToken({ sub, scopes, secret, expiresIn: '1h' }),
    async close() {
      try {
        await running.close();
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
