/**
 * While the server drains (RunningSubgraph.close, what SIGTERM runs), /ready
 * answers 503 on a connection that is still open, the request in flight on it
 * completes with its full answer, new connections are refused, and the drain
 * ends when that request ends, before the grace period.
 *
 * A resolver that waits for the test holds the request in flight; the /ready
 * request is sent on the same keep-alive connection (the only way a request
 * can still reach a draining server) and node's own diagnostics channel says
 * when the server has taken it, so nothing depends on sleeping.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Resolvers } from '../../src/generated/resolvers';
import { resolvers as realResolvers } from '../../src/resolvers';
import { startPlatformSubgraph, type PlatformSubgraph } from '../http/harness';
import { figures, settledFlag, waitFor } from '../support/timing';

const GRACE_MS = 20_000;

interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The complete responses in what a server sent on one connection (Content-Length or chunked bodies). */
function parseable(text: string): HttpAnswer[] {
  const answers: HttpAnswer[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return answers;
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    let next = rest.slice(end + 4);
    let body = '';
    if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const sizeEnd = next.indexOf('\r\n');
        if (sizeEnd < 0) return answers;
        const size = parseInt(next.slice(0, sizeEnd), 16);
        if (next.length < sizeEnd + 2 + size + 2) return answers;
        body += next.slice(sizeEnd + 2, sizeEnd + 2 + size);
        next = next.slice(sizeEnd + 2 + size + 2);
        if (size === 0) break;
      }
    } else {
      const length = Number(headers['content-length'] ?? 0);
      if (next.length < length) return answers;
      body = next.slice(0, length);
      next = next.slice(length);
    }
    answers.push({ status: Number(statusLine!.split(' ')[1]), headers, body });
    rest = next;
  }
}

let release: () => void = () => {};
let entered: () => void = () => {};
const held = new Promise<void>((resolve) => (release = resolve));
const inResolver = new Promise<void>((resolve) => (entered = resolve));

/** pocoOrder waits until the test releases it: a request the drain has to wait for. */
const holdingResolvers: Resolvers = {
  ...realResolvers,
  Query: {
    ...realResolvers.Query,
    pocoOrder: async () => {
      entered();
      await held;
      return null;
    },
  },
};

let subgraph: PlatformSubgraph;

beforeAll(async () => {
  subgraph = await startPlatformSubgraph({ label: 'drain', resolvers: holdingResolvers, env: { SHUTDOWN_GRACE_MS: String(GRACE_MS) } });
});
afterAll(async () => {
  release();
  await subgraph?.close();
});

function request(method: string, path: string, body?: string): string {
  const head = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: keep-alive'];
  if (body !== undefined) head.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  return `${head.join('\r\n')}\r\n\r\n${body ?? ''}`;
}

test('while draining, /ready answers 503 on an open connection, the request in flight completes, new connections are refused, and the drain ends before the grace period', async () => {
  const port = subgraph.running.port;
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));

  // Before the drain: ready.
  socket.write(request('GET', '/ready'));
  await waitFor(() => parseable(received).length === 1, 'the first /ready answer');
  expect(parseable(received)[0]).toMatchObject({ status: 200, body: '{"status":"ready"}' });

  // A request in flight, held in its resolver.
  socket.write(request('POST', '/graphql', JSON.stringify({ query: '{ pocoOrder(id: "held") { id } }' })));
  await inResolver;

  const startedAt = Date.now();
  const closing = settledFlag(subgraph.running.close());

  // The next /ready on the same connection, and the moment the server has taken it.
  let readyTaken: () => void = () => {};
  const taken = new Promise<void>((resolve) => (readyTaken = resolve));
  const onRequest = (message: unknown): void => {
    if ((message as { request: IncomingMessage }).request.url === '/ready') readyTaken();
  };
  subscribe('http.server.request.start', onRequest);
  try {
    socket.write(request('GET', '/ready'));
    await taken;
  } finally {
    unsubscribe('http.server.request.start', onRequest);
  }
  // Still draining: the held request keeps it open.
  expect(closing.settled).toBe(false);

  // A new connection is refused: the listener is closed.
  const refused = await new Promise<string>((resolve) => {
    const other = connect(port, '127.0.0.1');
    other.once('connect', () => {
      other.destroy();
      resolve('connected');
    });
    other.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
  expect(refused).toBe('ECONNREFUSED');
  expect(closing.settled).toBe(false);

  release();
  await closing.promise;
  const drainMs = Date.now() - startedAt;
  await socketClosed;

  const answers = parseable(received);
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 503]);
  // The request in flight got its full answer; the /ready taken during the drain said unavailable.
  expect(JSON.parse(answers[1]!.body)).toEqual({ data: { pocoOrder: null } });
  expect(JSON.parse(answers[2]!.body)).toEqual({ status: 'unavailable' });
  // The drain ended with the request, not at the grace period.
  expect(drainMs).toBeLessThan(GRACE_MS);
  figures(`drain: ended ${drainMs} ms after it began, when the held request was released (grace ${GRACE_MS} ms)`);
}, 60_000);
