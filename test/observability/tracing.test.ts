/**
 * OpenTelemetry: with OTEL_EXPORTER_OTLP_ENDPOINT set, `npm start`'s entry
 * point (src/main.ts, in a child process) exports OTLP/HTTP traces to that
 * endpoint: the HTTP server span continuing the router's trace (traceparent),
 * the GraphQL operation span and the database command spans, all in the
 * caller's trace. A local collector on a loopback port receives them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { signDevToken } from '../../src/auth/devToken';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { writeFixture } from '../support/e2eFixtures';
import { post } from '../limits/http';

const ROOT = join(__dirname, '..', '..');

interface ExportedSpan {
  name: string;
  traceId: string;
  kind: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
}

let testDb: TestDatabase;
let collector: Server;
let child: ChildProcess | undefined;
const exported: ExportedSpan[] = [];

function bodyOf(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
  });
}

beforeAll(async () => {
  testDb = await openTestDatabase('tracing');
  await writeFixture(testDb.db);
  collector = createServer(async (request, response) => {
    const text = await bodyOf(request);
    if (request.url === '/v1/traces') {
      const payload = JSON.parse(text) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] };
      for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) exported.push(...scope.spans);
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{}');
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await new Promise<void>((resolve) => collector.close(() => resolve()));
  await testDb?.drop();
});

test('with OTEL_EXPORTER_OTLP_ENDPOINT, HTTP, GraphQL and database spans are exported in the caller’s trace', async () => {
  const collectorPort = (collector.address() as { port: number }).port;
  const secret = randomBytes(32).toString('hex');
  child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      MONGODB_URI: testDb.uri,
      MONGODB_DB: testDb.name,
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: secret,
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + 60_000;
  let url: string | undefined;
  while (!url) {
    const match = /"url":"(http:\/\/127\.0\.0\.1:\d+\/graphql)","msg":"subgraph listening"/.exec(output);
    if (match) url = match[1];
    else if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the subgraph did not start:\n${output}`);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const traceId = randomBytes(16).toString('hex');
  const token = await signDevToken({ sub: 'demo-user-1', secret });
  const answer = await post(
    url!,
    {
      query: `query TracedOrders($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { pocoOrders { nodes { id } } } } }`,
      variables: { representations: [{ __typename: 'User', id: 'demo-user-1' }] },
    },
    { authorization: `Bearer ${token}`, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
  );
  expect(answer.json?.errors).toBeUndefined();

  const waitUntil = Date.now() + 15_000;
  const inTrace = () => exported.filter((span) => span.traceId === traceId || span.traceId === Buffer.from(traceId, 'hex').toString('base64'));
  while (Date.now() < waitUntil && !inTrace().some((span) => span.name.startsWith('mongodb.'))) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const names = inTrace().map((span) => span.name);
  expect(names.some((name) => name.startsWith('POST'))).toBe(true);
  expect(names).toContain('graphql.query TracedOrders');
  expect(names.some((name) => /^mongodb\.(find|aggregate) (accounts|orders)$/.test(name))).toBe(true);
  // Probes are not traced.
  expect(exported.some((span) => JSON.stringify(span).includes('/health'))).toBe(false);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 90_000);
