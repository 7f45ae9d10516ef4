/**
 * Our subgraph on a real loopback port (startSubgraph, the code `npm start`
 * runs), configured through the environment like production, plus a tiny
 * HTTP client. Shared by the bad-input, fault, conformance and observability
 * suites.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Db } from 'mongodb';
import { startSubgraph, type RunningSubgraph } from '../../src/app';
import { signDevToken } from '../../src/auth/devToken';
import { loadConfig, type Config } from '../../src/config';
import type { DocumentKind } from '../../src/documents/kind';
import type { Resolvers } from '../../src/generated/resolvers';
import type { Clock } from '../../src/shared/clock';
import { createServiceLogger } from '../../src/observability/logger';

export interface HttpSubgraph {
  /** http://127.0.0.1:PORT/graphql */
  readonly url: string;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly config: Config;
  readonly running: RunningSubgraph;
  /** Every log line the subgraph wrote, parsed. */
  readonly logLines: Record<string, unknown>[];
  /** The raw log text (to prove what never appears in it). */
  logText(): string;
  token(sub: string, scopes?: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

export interface HttpSubgraphOptions {
  /** MONGODB_URI and MONGODB_DB come from here unless `db` is given. */
  readonly env?: Record<string, string>;
  /** An open database (its client stays the caller's); otherwise the subgraph connects to env.MONGODB_URI itself. */
  readonly db?: Db;
  /** Resolvers in place of the real ones (to provoke errors). */
  readonly resolvers?: Resolvers;
  /** The service clock (document link expiry, request time). */
  readonly clock?: Clock;
  /** Document kinds in place of DOCUMENT_KINDS. */
  readonly documentKinds?: readonly DocumentKind[];
}

export async function startHttpSubgraph(options: HttpSubgraphOptions = {}): Promise<HttpSubgraph> {
  const secret = randomBytes(32).toString('hex');
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET: secret,
    LOG_LEVEL: 'info',
    ...(options.db ? { MONGODB_URI: process.env.MONGODB_URI ?? '', MONGODB_DB: options.db.databaseName } : {}),
    ...options.env,
  });
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
  const running = await startSubgraph({
    config,
    logger,
    ...(options.db ? { db: options.db } : {}),
    ...(options.resolvers ? { resolvers: options.resolvers } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.documentKinds ? { documentKinds: options.documentKinds } : {}),
  });
  return {
    url: running.url,
    origin: new URL(running.url).origin,
    config,
    running,
    logLines,
    logText: () => text,
    token: (sub, scopes = []) => {
      const claims = { sub, scopes, secret, expiresIn: '1h' };
      return signDevToken(claims as Parameters<typeof signDevToken>[0]);
    },
    close: () => running.close(),
  };
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[]; extensions?: Record<string, unknown> } | undefined;
}

async function resultOf(response: Response): Promise<HttpResult> {
  const text = await response.text();
  let json: HttpResult['json'];
  try {
    json = JSON.parse(text) as HttpResult['json'];
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** POSTs `body` (an object is sent as JSON) with `headers`. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  return resultOf(response);
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return resultOf(await fetch(url, { headers }));
}

export function codesOf(result: HttpResult): string[] {
  return (result.json?.errors ?? []).map((error) => String(error.extensions?.code));
}
