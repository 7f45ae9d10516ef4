/**
 * Slow clients against the HTTP server's own timeouts (HTTP_HEADERS_TIMEOUT_MS,
 * HTTP_REQUEST_TIMEOUT_MS): a client that trickles its headers (slowloris) or
 * its body gets a 408 and its connection closed while it is still sending,
 * and the server keeps serving everyone else. Raw sockets, so the test
 * decides every byte and when it is sent.
 */
import { connect, type Socket } from 'node:net';
import { DEFAULT_HTTP_TIMEOUTS } from '../../src/limits/settings';
import { postGraphql, startPlatformSubgraph, type PlatformSubgraph } from './harness';
import { DURATION_SLACK, figures } from '../support/timing';

const HEADERS_TIMEOUT_MS = 600;
const REQUEST_TIMEOUT_MS = 1200;
/** src/app.ts checks the timeouts every quarter of the headers timeout (at most 1 s). */
const CHECK_INTERVAL_MS = Math.min(1000, HEADERS_TIMEOUT_MS / 4);

let subgraph: PlatformSubgraph;

beforeAll(async () => {
  subgraph = await startPlatformSubgraph({
    label: 'slow_clients',
    env: { HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
  });
});
afterAll(async () => {
  await subgraph?.close();
});

interface SlowClient {
  readonly socket: Socket;
  /** Everything the server sent. */
  received(): string;
  /** Resolves when the server closed the connection, with the ms since the client connected. */
  readonly closed: Promise<number>;
  /** Bytes the client had sent when the connection closed. */
  sentBeforeClose(): number;
}

async function slowClient(port: number, pieces: readonly string[], everyMs: number): Promise<SlowClient> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const connectedAt = Date.now();
  let text = '';
  let sent = 0;
  let open = true;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => {
      open = false;
      resolve(Date.now() - connectedAt);
    }),
  );
  // Keeps sending, one piece every `everyMs`, for as long as the server keeps the connection open.
  void (async () => {
    for (const piece of pieces) {
      if (!open) return;
      socket.write(piece);
      sent += Buffer.byteLength(piece);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return { socket, received: () => text, closed, sentBeforeClose: () => sent };
}

test('the timeouts are the documented defaults unless configured', () => {
  expect(DEFAULT_HTTP_TIMEOUTS).toEqual({ headersTimeoutMs: 15_000, requestTimeoutMs: 30_000 });
  expect(subgraph.config.limits.http).toEqual({ headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS });
});

test('a client trickling its headers (slowloris) gets a 408 and is disconnected while still sending', async () => {
  // 200 header lines, one every 50 ms: 10 s of headers if the server let it.
  const pieces = ['POST /graphql HTTP/1.1\r\n', 'Host: 127.0.0.1\r\n', ...Array.from({ length: 200 }, (_, index) => `X-Slow-${index}: ${'a'.repeat(20)}\r\n`)];
  const client = await slowClient(subgraph.running.port, pieces, 50);
  const closedAfter = await client.closed;
  expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  // Disconnected long before the client was done: the timeout, not the end of the headers, closed it.
  expect(client.sentBeforeClose()).toBeLessThan(pieces.join('').length / 2);
  expect(closedAfter).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
  expect(closedAfter).toBeLessThan(DURATION_SLACK * (HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS));
  figures(`slow clients: trickled headers closed with 408 after ${closedAfter} ms (headers timeout ${HEADERS_TIMEOUT_MS} ms)`);
});

test('a client trickling its body gets a 408 at the request timeout and is disconnected while still sending', async () => {
  const body = JSON.stringify({ query: '{ _service { sdl } }', padding: 'p'.repeat(200) });
  const head = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  // The headers at once, then the body one byte every 50 ms: 10 s if the server let it.
  const client = await slowClient(subgraph.running.port, [head, ...body.split('')], 50);
  const closedAfter = await client.closed;
  expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  expect(client.sentBeforeClose()).toBeLessThan(head.length + body.length / 2);
  expect(closedAfter).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
  expect(closedAfter).toBeLessThan(DURATION_SLACK * (REQUEST_TIMEOUT_MS + CHECK_INTERVAL_MS));
  figures(`slow clients: trickled body closed with 408 after ${closedAfter} ms (request timeout ${REQUEST_TIMEOUT_MS} ms)`);
});

test('while slow clients hold connections, other requests are served, and a client that sends promptly gets its answer', async () => {
  const slow = await Promise.all(
    Array.from({ length: 5 }, () => slowClient(subgraph.running.port, ['GET /health HTTP/1.1\r\n', ...Array.from({ length: 100 }, () => 'X-A: b\r\n')], 50)),
  );
  const answer = await postGraphql(subgraph.url, { query: '{ _service { sdl } }' });
  expect(answer.status).toBe(200);
  expect(answer.body.data._service.sdl).toContain('type PocoOrder');
  for (const client of slow) await client.closed;
  // The same raw client, sending its request at once, is answered in full.
  const prompt = await slowClient(subgraph.running.port, ['GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'], 0);
  await prompt.closed;
  expect(prompt.received()).toMatch(/^HTTP\/1\.1 200 /);
  expect(prompt.received()).toContain('{"status":"ok"}');
});
