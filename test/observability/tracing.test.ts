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

/** Waits until `condition()` holds, polling; fails with `what` after `timeoutMs`. */
async function waitFor(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('with OTEL_EXPORTER_OTLP_ENDPOINT, HTTP, GraphQL and database spans are exported in the caller’s trace; probes are not traced; no token, email or variable in any span', async () => {
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

  let url: string | undefined;
  await waitFor(
    () => {
      url = /"url":"(http:\/\/127\.0\.0\.1:\d+\/graphql)","msg":"subgraph listening"/.exec(output)?.[1];
      if (!url && child!.exitCode !== null) throw new Error(`the subgraph exited before listening:\n${output}`);
      return url !== undefined;
    },
    60_000,
    () => `the subgraph to listen:\n${output}`,
  );
  const origin = new URL(url!).origin;

  // The probes first: had they been traced, their spans would be exported with (or before) the ones below.
  for (const probe of ['/health', '/ready', '/metrics']) expect((await fetch(`${origin}${probe}`)).status).toBe(200);

  const traceId = randomBytes(16).toString('hex');
  const traceparent = () => `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  const token = await signDevToken({ sub: 'demo-user-1', secret });
  const supportToken = await signDevToken({ sub: 'support-agent-7', secret, scopes: ['poco:support'] });
  const answer = await post(
    url!,
    {
      query: `query TracedOrders($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { pocoOrders { nodes { id } } pocoAccounts { email } } } }`,
      variables: { representations: [{ __typename: 'User', id: 'demo-user-1' }] },
    },
    { authorization: `Bearer ${token}`, traceparent: traceparent() },
  );
  expect(answer.json?.errors).toBeUndefined();
  expect(answer.text).toContain('alex@example.com');
  // The same kind of lookup over GET: query and variables travel in the URL, which HTTP spans record.
  const byEmail = `query TracedLookup($email: String!) { pocoAccountsByEmail(email: $email) { id } }`;
  const lookup = await fetch(
    `${url!}?query=${encodeURIComponent(byEmail)}&variables=${encodeURIComponent(JSON.stringify({ email: 'alex@example.com' }))}`,
    { headers: { authorization: `Bearer ${supportToken}`, traceparent: traceparent(), 'apollo-require-preflight': 'true' } },
  );
  expect(lookup.status).toBe(200);
  expect(((await lookup.json()) as { data: { pocoAccountsByEmail: unknown[] } }).data.pocoAccountsByEmail).toHaveLength(2);

  const inTrace = () => exported.filter((span) => span.traceId === traceId || span.traceId === Buffer.from(traceId, 'hex').toString('base64'));
  const names = () => inTrace().map((span) => span.name);
  await waitFor(
    () => names().includes('graphql.query TracedOrders') && names().includes('graphql.query TracedLookup') && names().filter((name) => name.startsWith('mongodb.')).length >= 2 && names().some((name) => name.startsWith('GET')),
    30_000,
    () => `the spans of both requests (so far: ${JSON.stringify(names())})`,
  );
  expect(names().some((name) => name.startsWith('POST'))).toBe(true);
  expect(names().some((name) => /^mongodb\.(find|aggregate) (accounts|orders)$/.test(name))).toBe(true);

  // Probes are not traced. The HTTP spans do record the request path (here /graphql), so a traced probe would show.
  const text = JSON.stringify(exported);
  expect(inTrace().filter((span) => span.kind === 2).some((span) => JSON.stringify(span.attributes).includes('/graphql'))).toBe(true);
  for (const probe of ['/health', '/ready', '/metrics']) expect({ probe, traced: text.includes(probe) }).toEqual({ probe, traced: false });

  // Nothing personal or secret in any exported span: no token, no email (answered, or sent as a variable), no variables.
  expect(text).not.toContain(token);
  expect(text).not.toContain(supportToken);
  expect(text).not.toContain(secret);
  for (const leak of ['alex@example.com', encodeURIComponent('alex@example.com'), 'alex%40example.com', 'variables=', 'demo-user-1']) {
    expect({ leak, found: text.includes(leak) }).toEqual({ leak, found: false });
  }

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 120_000);
