/**
 * Signals against the real `npm start` entry point (src/main.ts, in a child
 * process): SIGINT (Ctrl-C) shuts down gracefully like SIGTERM and exits 0; a
 * second signal while the drain still waits for a request exits at once with
 * 1, without waiting for the grace period.
 *
 * The request the drain waits for is a client that sent its headers with
 * `Expect: 100-continue` and never sends its body: the server's
 * `100 Continue` says it has taken the request, so nothing depends on timing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { figures, waitFor } from '../support/timing';

const ROOT = join(__dirname, '..', '..');
const GRACE_MS = 30_000;

let testDb: TestDatabase;
const children: ChildProcess[] = [];

beforeAll(async () => {
  testDb = await openTestDatabase('signals');
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await testDb?.drop();
});

interface Main {
  readonly child: ChildProcess;
  readonly port: number;
  output(): string;
  /** Log lines (JSON) whose msg is `msg`. */
  lines(msg: string): Record<string, unknown>[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

async function startMain(): Promise<Main> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      MONGODB_URI: testDb.uri,
      MONGODB_DB: testDb.name,
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const lines = (msg: string) =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes(`"msg":${JSON.stringify(msg)}`))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`the subgraph exited before listening:\n${output}`);
      return lines('subgraph listening').length > 0;
    },
    'the subgraph to listen',
    { timeoutMs: 60_000, intervalMs: 50 },
  );
  const port = Number(new URL(String(lines('subgraph listening')[0]!.url)).port);
  return { child, port, output: () => output, lines, exited };
}

/** A request the server has taken (its `100 Continue` arrived) and whose body never comes. */
async function heldRequest(port: number): Promise<{ socket: Socket; received: () => string }> {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n');
  await waitFor(() => received.startsWith('HTTP/1.1 100 Continue'), 'the server to take the request (100 Continue)');
  return { socket, received: () => received };
}

test('SIGINT (Ctrl-C) shuts down gracefully and exits 0', async () => {
  const main = await startMain();
  expect((await fetch(`http://127.0.0.1:${main.port}/health`)).status).toBe(200);
  main.child.kill('SIGINT');
  const exit = await main.exited;
  expect(exit).toMatchObject({ code: 0, signal: null });
  expect(main.lines('shutting down: no new connections, finishing requests in flight').map((line) => line.reason)).toEqual(['SIGINT']);
  expect(main.lines('shut down').map((line) => line.exitCode)).toEqual([0]);
  expect(main.output()).not.toMatch(/"level":"(error|fatal)"/);
}, 180_000);

test('a second signal while the drain waits for a request exits at once with 1, without waiting for the grace period', async () => {
  const main = await startMain();
  const held = await heldRequest(main.port);

  main.child.kill('SIGTERM');
  // The drain has begun and is waiting for the held request.
  await waitFor(() => main.lines('shutting down: no new connections, finishing requests in flight').length === 1, 'the shutdown to begin');
  expect(main.child.exitCode).toBeNull();
  const secondAt = Date.now();
  main.child.kill('SIGINT');
  const exit = await main.exited;

  expect(exit).toMatchObject({ code: 1, signal: null });
  expect(main.lines('second signal during shutdown: exiting now').map((line) => line.signal)).toEqual(['SIGINT']);
  // The graceful sequence never finished: the exit did not wait for the held request or the grace period.
  expect(main.lines('shut down')).toEqual([]);
  expect(held.received()).toBe('HTTP/1.1 100 Continue\r\n\r\n');
  figures(`signals: a second signal ended the process ${exit.at - secondAt} ms after it was sent (grace ${GRACE_MS} ms)`);
  held.socket.destroy();
}, 180_000);
