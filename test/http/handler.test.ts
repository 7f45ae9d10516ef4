import { request } from 'node:http';
import { MongoClient } from 'mongodb';
import { openTestDatabase, testDatabaseUri, type TestDatabase } from '../support/database';
import { postGraphql, startPlatformSubgraph, type PlatformSubgraph } from './harness';
import { startCuttableProxy } from './tcpProxy';
import { READY_TIMEOUT_MS } from '../../src/app';
import { DURATION_SLACK, figures, waitFor } from '../support/timing';

const SDL_QUERY = 'query ServiceSdl { _service { sdl } }';

/** A raw HTTP request (node:http), for bodies fetch cannot send: chunked without a length, huge. */
function rawPost(
  url: string,
  chunks: readonly (string | Buffer)[],
  headers: Record<string, string>,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    // The server may answer (and close) before the whole body is written: that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('the HTTP surface', () => {
  let subgraph: PlatformSubgraph;

  beforeAll(async () => {
    subgraph = await startPlatformSubgraph({ label: 'http', env: { MAX_REQUEST_BODY_BYTES: '4096' } });
  });
  afterAll(async () => {
    await subgraph.close();
  });

  it('answers GraphQL over POST /graphql', async () => {
    const response = await postGraphql(subgraph.url, { query: SDL_QUERY });
    expect(response.status).toBe(200);
    expect(response.body.data._service.sdl).toContain('type PocoOrder');
  });

  it('answers GraphQL over GET /graphql (with a CSRF-safe header)', async () => {
    const response = await fetch(`${subgraph.url}?query=${encodeURIComponent(SDL_QUERY)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { _service: { sdl: string } } }).data._service.sdl).toContain('type PocoCoupon');
  });

  it('refuses a simple cross-site GET (CSRF prevention)', async () => {
    const response = await fetch(`${subgraph.url}?query=${encodeURIComponent(SDL_QUERY)}`);
    expect(response.status).toBe(400);
  });

  it('answers 405 to other methods on /graphql', async () => {
    const response = await fetch(subgraph.url, { method: 'PUT', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
  });

  it('answers 400 with a JSON error to a malformed JSON body', async () => {
    const response = await postGraphql(subgraph.url, '{"query": "{ _service { sdl } }"');
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(response.body.errors[0].message).toMatch(/not valid JSON/);
    expect(response.body.errors[0].extensions.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('answers 413 to a body whose declared length exceeds the limit, and keeps serving', async () => {
    const big = JSON.stringify({ query: SDL_QUERY, variables: { padding: 'x'.repeat(5000) } });
    const response = await postGraphql(subgraph.url, big);
    expect(response.status).toBe(413);
    expect(response.body.errors[0].message).toContain('4096 bytes');
    expect((await postGraphql(subgraph.url, { query: SDL_QUERY })).status).toBe(200);
  });

  it('answers 413 to a chunked body without a length once it grows past the limit', async () => {
    const chunk = Buffer.alloc(1024, 'x');
    const response = await rawPost(subgraph.url, ['{"query":"', ...Array.from({ length: 8 }, () => chunk)], {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('accepts a body just under the limit', async () => {
    const payload = JSON.stringify({ query: SDL_QUERY, variables: { padding: 'x'.repeat(3500) } });
    expect(Buffer.byteLength(payload)).toBeLessThan(4096);
    expect((await postGraphql(subgraph.url, payload)).status).toBe(200);
  });

  it('answers GET /health with 200', async () => {
    const response = await fetch(`${subgraph.origin}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers GET /ready with 200 while the database answers', async () => {
    const response = await fetch(`${subgraph.origin}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('answers 404 with a JSON error elsewhere', async () => {
    for (const path of ['/', '/graphql/extra', '/healthz', '/metrics/../admin']) {
      const response = await fetch(`${subgraph.origin}${path}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('NOT_FOUND');
    }
  });

  it('keeps a sane x-request-id and replaces one that could forge log lines', async () => {
    const kept = await fetch(`${subgraph.origin}/health`, { headers: { 'x-request-id': 'router-abc_123.4' } });
    expect(kept.headers.get('x-request-id')).toBe('router-abc_123.4');
    const replaced = await fetch(`${subgraph.origin}/health`, { headers: { 'x-request-id': 'a b"c' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves Prometheus metrics: GraphQL requests by operation and outcome, HTTP requests, process metrics', async () => {
    await postGraphql(subgraph.url, { query: SDL_QUERY });
    await postGraphql(subgraph.url, { query: 'query Broken { nope }' });
    const response = await fetch(`${subgraph.origin}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^poco_graphql_requests_total\{operation="ServiceSdl",outcome="success"\} [1-9]\d*$/m);
    expect(text).toMatch(/^poco_graphql_requests_total\{operation="\(unresolved\)",outcome="graphql_validation_failed"\} 1$/m);
    expect(text).toMatch(/^poco_graphql_request_duration_seconds_count\{operation="ServiceSdl",outcome="success"\} [1-9]\d*$/m);
    expect(text).toMatch(/^poco_graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} 1$/m);
    expect(text).toMatch(/^poco_http_requests_total\{route="graphql",method="POST",status="413"\} [1-9]\d*$/m);
    expect(text).toMatch(/^poco_http_requests_total\{route="not_found",method="GET",status="404"\} [1-9]\d*$/m);
    expect(text).toMatch(/^poco_process_cpu_seconds_total /m);
    expect(text).toMatch(/^poco_nodejs_eventloop_lag_seconds /m);
  });
});

describe('GET /ready when the database goes away', () => {
  let testDb: TestDatabase;
  let client: MongoClient;
  let subgraph: PlatformSubgraph;
  let proxy: Awaited<ReturnType<typeof startCuttableProxy>>;

  beforeAll(async () => {
    testDb = await openTestDatabase('ready');
    proxy = await startCuttableProxy(testDatabaseUri());
    // The driver's own timeouts are far longer than /ready's: a 503 in time can only come from /ready's bound.
    client = new MongoClient(proxy.uri, { serverSelectionTimeoutMS: 20_000, connectTimeoutMS: 20_000 });
    await client.connect();
    subgraph = await startPlatformSubgraph({ db: client.db(testDb.name) });
  });
  afterAll(async () => {
    await subgraph.close();
    await client.close();
    await proxy.close();
    await testDb.drop();
  });

  it('answers 503 by its own one-second bound (not the driver\'s 20 s) while the database port is closed, 200 again once it is back, and /health stays 200', async () => {
    expect((await fetch(`${subgraph.origin}/ready`)).status).toBe(200);
    await proxy.cut();

    const started = Date.now();
    const down = await fetch(`${subgraph.origin}/ready`);
    const downMs = Date.now() - started;
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable' });
    // Well before the driver's 20 s would have answered.
    expect(downMs).toBeLessThan(DURATION_SLACK * READY_TIMEOUT_MS);
    expect((await fetch(`${subgraph.origin}/health`)).status).toBe(200);

    await proxy.restore();
    const restoredAt = Date.now();
    await waitFor(async () => (await fetch(`${subgraph.origin}/ready`)).status === 200, '/ready to answer 200 again', { timeoutMs: 30_000, intervalMs: 100 });
    figures(`ready: 503 after ${downMs} ms with the database port closed (bound ${READY_TIMEOUT_MS} ms); 200 again ${Date.now() - restoredAt} ms after it reopened`);
  });
});
