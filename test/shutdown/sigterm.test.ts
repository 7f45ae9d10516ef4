/**
 * SIGTERM under load, against the real `npm start` entry point (src/main.ts)
 * in a child process: every request the server accepted completes with a
 * full 200 answer, the process closes the database and exits 0 by itself.
 *
 * Each request uses its own connection (no keep-alive) and its own
 * x-request-id, which the server writes in its request log. A request that
 * fails on the client side must be one the server never saw: refused after
 * the listener closed, or reset by the kernel while it still waited in the
 * listen backlog when the listener closed (no server can answer those).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { signDevToken } from '../../src/auth/devToken';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { writeFixture } from '../support/e2eFixtures';
import { figures, waitFor } from '../support/timing';

const ROOT = join(__dirname, '..', '..');
const CONCURRENCY = 16;
const SHUTDOWN_GRACE_MS = 10_000;

const QUERY = JSON.stringify({
  query: `query History($representations: [_Any!]!) { _entities(representations: $representations) { ... on User {
    pocoOrders(first: 50) { totalCount edges { cursor node { id orderNumber total { amount currencyCode } lineItems { sku quantity } } } }
    pocoPoints { balance history { nodes { id points } } } pocoCoupons { id code status } } } }`,
  variables: { representations: [{ __typename: 'User', id: 'demo-user-1' }] },
});

type Outcome = { id: string } & (
  | { kind: 'ok'; sentAt: number; doneAt: number }
  | { kind: 'refused'; sentAt: number }
  | { kind: 'broken'; sentAt: number; detail: string }
);

let sequence = 0;

function send(port: number, token: string): Promise<Outcome> {
  const id = `load-${(sequence += 1)}`;
  const sentAt = Date.now();
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'content-length': Buffer.byteLength(QUERY),
          'x-request-id': id,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          let parsed: { data?: unknown; errors?: unknown } | undefined;
          try {
            parsed = JSON.parse(body) as { data?: unknown; errors?: unknown };
          } catch {
            parsed = undefined;
          }
          if (res.statusCode === 200 && parsed?.data && !parsed.errors) resolve({ id, kind: 'ok', sentAt, doneAt: Date.now() });
          else resolve({ id, kind: 'broken', sentAt, detail: `${res.statusCode} ${body.slice(0, 200)}` });
        });
        res.on('error', (error) => resolve({ id, kind: 'broken', sentAt, detail: `response: ${error.message}` }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve({ id, kind: 'refused', sentAt });
      else resolve({ id, kind: 'broken', sentAt, detail: `${error.code ?? ''} ${error.message}` });
    });
    req.end(QUERY);
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let testDb: TestDatabase;
let child: ChildProcess | undefined;

beforeAll(async () => {
  testDb = await openTestDatabase('shutdown');
  await writeFixture(testDb.db);
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await testDb?.drop();
});

test('SIGTERM during load: every accepted request completes, then the process exits 0', async () => {
  const port = await freePort();
  const secret = randomBytes(32).toString('hex');
  // As `npm start` runs it: node with tsx as a loader, one process, so the signal reaches our handler directly.
  child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      MONGODB_URI: testDb.uri,
      MONGODB_DB: testDb.name,
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET: secret,
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
      // This test is about the drain, not the database's speed: under full load the local FerretDB can take
      // longer than the production time limit (3 s), and a SERVICE_UNAVAILABLE would read as a lost request.
      MONGODB_MAX_TIME_MS: '60000',
      MONGODB_SOCKET_TIMEOUT_MS: '90000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child!.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );

  await waitFor(
    () => {
      if (child!.exitCode !== null) throw new Error(`the subgraph exited before listening:\n${output}`);
      return output.includes('subgraph listening');
    },
    'the subgraph to listen',
    { timeoutMs: 60_000, intervalMs: 50 },
  );
  const token = await signDevToken({ sub: 'demo-user-1', secret });
  // Warm up (first requests compile and connect), so the load below is steady.
  for (let index = 0; index < 3; index += 1) expect((await send(port, token)).kind).toBe('ok');

  // Load: CONCURRENCY loops, each sending the next request as soon as the last one ended, until refused.
  const outcomes: Outcome[] = [];
  let stopLoad = false;
  const loops = Array.from({ length: CONCURRENCY }, async () => {
    while (!stopLoad) {
      const outcome = await send(port, token);
      outcomes.push(outcome);
      if (outcome.kind !== 'ok') break;
    }
  });
  // Steady load: every loop has completed requests and is sending the next.
  await waitFor(() => outcomes.filter((outcome) => outcome.kind === 'ok').length >= 3 * CONCURRENCY, 'the load to get going', { timeoutMs: 60_000 });
  const signalledAt = Date.now();
  child.kill('SIGTERM');
  const exit = await exited;
  stopLoad = true;
  await Promise.all(loops);

  const drainMs = exit.at - signalledAt;
  const ok = outcomes.filter((outcome) => outcome.kind === 'ok');
  const finishedAfterSignal = ok.filter((outcome) => outcome.kind === 'ok' && outcome.doneAt >= signalledAt);
  const broken = outcomes.filter((outcome) => outcome.kind === 'broken');
  // What the server saw: the request ids of its request log.
  const served = new Set(
    output
      .split('\n')
      .filter((line) => line.includes('"msg":"graphql request"'))
      .map((line) => (JSON.parse(line) as { requestId?: string }).requestId),
  );
  const lost = broken.filter((outcome) => served.has(outcome.id));
  const resetBeforeAccept = broken.filter((outcome) => !served.has(outcome.id) && /ECONNRESET|socket hang up/.test('detail' in outcome ? outcome.detail : ''));
  // The service's own account of the drain: it finished before the grace period ended (nothing was cut).
  const shutDown = output
    .split('\n')
    .filter((line) => line.includes('"msg":"shut down"'))
    .map((line) => JSON.parse(line) as { drainMs: number; exitCode: number });
  figures(
    `shutdown: ${ok.length} requests completed (${finishedAfterSignal.length} of them after SIGTERM), ` +
      `${outcomes.length - ok.length - broken.length} refused after the listener closed, ${resetBeforeAccept.length} reset in the listen backlog, ${lost.length} lost; ` +
      `SIGTERM to exit ${drainMs} ms (drain ${shutDown[0]?.drainMs} ms by the service's log), exit code ${exit.code}`,
  );
  // Every request the server saw was answered in full; the other failures never reached it.
  if (lost.length > 0) {
    const ids = new Set(lost.map((outcome) => outcome.id));
    process.stdout.write(`[lost] ${JSON.stringify(lost)}\n${output.split('\n').filter((line) => [...ids].some((id) => line.includes(id)) || /shut|drain|error/i.test(line)).join('\n')}\n`);
  }
  expect(lost).toEqual([]);
  expect(broken.length).toBe(resetBeforeAccept.length);
  for (const outcome of ok) expect(served.has(outcome.id)).toBe(true);
  expect(ok.length).toBeGreaterThan(CONCURRENCY);
  // Requests were in flight at the signal, and they finished.
  expect(finishedAfterSignal.length).toBeGreaterThan(0);
  expect(exit.code).toBe(0);
  expect(exit.signal).toBeNull();
  expect(shutDown).toHaveLength(1);
  expect(shutDown[0]!.exitCode).toBe(0);
  expect(shutDown[0]!.drainMs).toBeLessThan(SHUTDOWN_GRACE_MS);
  expect(output).not.toMatch(/draining the HTTP server failed|"level":"(error|fatal)"/);
}, 180_000);
