/**
 * Each database bound, proven against the run's real database (FerretDB or
 * mongod), through a proxy that can freeze the connection. Pass/fail rests on
 * the outcome (which error, raised while the link is still frozen) and on
 * order; durations go to [figures] lines, and an upper bound, where kept, is
 * DURATION_SLACK (3x) the bound under test:
 * - every read through boundedCollections carries maxTimeMS (seen in the
 *   commands the driver sends), and the server aborts a slow one with it;
 * - a silent server: the operation fails within socketTimeoutMS;
 * - a busy pool: the next operation fails within waitQueueTimeoutMS;
 * - no server: the operation fails within serverSelectionTimeoutMS;
 * - a server that accepts but never answers the handshake: connectTimeoutMS.
 * And the options factory leaves what MONGODB_URI sets to the URI.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { collectionsOf } from '../../src/db/collections';
import { boundedCollections, mongoClientOptions } from '../../src/limits/database';
import { DEFAULT_DATABASE_LIMITS, readLimitSettings, type DatabaseLimits } from '../../src/limits/settings';
import { isDatabaseUnavailable } from '../../src/plugins/errorMasking';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { hostAndPort, startFreezingProxy, type FreezingProxy } from '../faults/freezingProxy';
import { DURATION_SLACK, figures, settledFlag, waitFor } from '../support/timing';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await openTestDatabase('db_bounds');
  await testDb.db.collection('orders').insertMany([{ _id: 'o1', accountId: 'a' }, { _id: 'o2', accountId: 'b' }] as never);
});
afterAll(async () => {
  await testDb?.drop();
});

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  try {
    await work();
    return { ms: Date.now() - started, error: undefined };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

const limits = (overrides: Partial<DatabaseLimits>): DatabaseLimits => ({ ...DEFAULT_DATABASE_LIMITS, ...overrides });

test('every read through boundedCollections sends maxTimeMS, and a caller’s own value wins', async () => {
  const client = new MongoClient(testDb.uri, mongoClientOptions(DEFAULT_DATABASE_LIMITS, testDb.uri));
  const seen: CommandStartedEvent[] = [];
  client.on('commandStarted', (event) => seen.push(event));
  try {
    const orders = boundedCollections(collectionsOf(client.db(testDb.name)), 1234).orders;
    await orders.find({}).toArray();
    await orders.find({}, { batchSize: 10 }).toArray();
    await orders.findOne({ _id: 'o1' });
    await orders.aggregate([{ $match: { accountId: 'a' } }]).toArray();
    await orders.countDocuments({ accountId: 'a' });
    await orders.find({}, { maxTimeMS: 99 }).toArray();
    const reads = seen.filter((event) => ['find', 'aggregate'].includes(event.commandName));
    expect(reads.map((event) => (event.command as { maxTimeMS?: number }).maxTimeMS)).toEqual([1234, 1234, 1234, 1234, 1234, 99]);
  } finally {
    await client.close();
  }
});

test('a slow query is aborted by the server at maxTimeMS, and that counts as the database being unavailable', async () => {
  const big = testDb.db.collection('big');
  const docs = Array.from({ length: 20_000 }, (_, index) => ({ _id: `d${index}`, group: index % 97, text: 'x'.repeat(50) }));
  for (let index = 0; index < docs.length; index += 5000) await big.insertMany(docs.slice(index, index + 5000) as never);
  const bounded = boundedCollections({ big }, 5).big;
  const { ms, error } = await timed(() => bounded.find({ text: { $regex: 'y' } }).toArray());
  // The server's own verdict says it was the time limit: MaxTimeMSExpired.
  expect((error as { code?: unknown }).code).toBe(50);
  expect(isDatabaseUnavailable(error)).toBe(true);
  figures(`database bounds: a 5 ms maxTimeMS query over 20000 documents was aborted after ${ms} ms`);
  // Without the bound the same query completes: it was the time limit, not the query.
  expect(await big.find({ text: { $regex: 'y' } }).toArray()).toEqual([]);
}, 60_000);

describe('with the connection frozen', () => {
  let proxy: FreezingProxy;
  beforeEach(async () => {
    proxy = await startFreezingProxy(hostAndPort(testDb.uri));
  });
  afterEach(async () => {
    await proxy.close();
  });

  test('a server that goes silent mid-operation fails it within socketTimeoutMS', async () => {
    // Without the driver's one retry, to see the socket timeout alone.
    const options = { ...mongoClientOptions(limits({ socketTimeoutMs: 700, maxTimeMs: 300 })), retryReads: false };
    const client = new MongoClient(proxy.uri, options);
    try {
      await client.db(testDb.name).collection('orders').findOne({});
      proxy.freeze();
      const { ms, error } = await timed(() => client.db(testDb.name).collection('orders').find({}).toArray());
      // Failed by the socket timeout while the link was still frozen (it thaws only in finally).
      expect((error as Error).name).toBe('MongoNetworkTimeoutError');
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(650);
      expect(ms).toBeLessThan(DURATION_SLACK * 700);
      figures(`database bounds: a frozen link failed the read after ${ms} ms (socketTimeoutMS 700, no retry)`);
    } finally {
      proxy.thaw();
      await client.close();
    }
  });

  test('with the retry of reads, a silent server fails the operation within socketTimeoutMS + waitQueueTimeoutMS', async () => {
    // The one retry needs a new connection, whose handshake through the frozen link never completes:
    // its check-out ends at waitQueueTimeoutMS.
    const options = mongoClientOptions(limits({ socketTimeoutMs: 700, maxTimeMs: 300, connectTimeoutMs: 500, waitQueueTimeoutMs: 1000 }));
    const client = new MongoClient(proxy.uri, options);
    try {
      await client.db(testDb.name).collection('orders').findOne({});
      proxy.freeze();
      const { ms, error } = await timed(() => client.db(testDb.name).collection('orders').find({}).toArray());
      // Failed while the link was still frozen: the retry did not wait for the server to come back.
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(650);
      expect(ms).toBeLessThan(DURATION_SLACK * (700 + 1000));
      figures(`database bounds: a frozen link failed the retried read after ${ms} ms (socketTimeoutMS 700 + waitQueueTimeoutMS 1000)`);
    } finally {
      proxy.thaw();
      await client.close();
    }
  });

  test('with every pooled connection stuck, the next operation fails within waitQueueTimeoutMS', async () => {
    const options = mongoClientOptions(limits({ maxPoolSize: 1, waitQueueTimeoutMs: 400, socketTimeoutMs: 5000, maxTimeMs: 3000 }));
    const client = new MongoClient(proxy.uri, options);
    try {
      await client.db(testDb.name).collection('orders').findOne({});
      let started = 0;
      client.on('commandStarted', (event) => {
        if (event.commandName === 'find') started += 1;
      });
      proxy.freeze();
      const stuck = settledFlag(timed(() => client.db(testDb.name).collection('orders').find({}).toArray()));
      // The pool's one connection is now held by a command that cannot finish.
      await waitFor(() => started === 1, 'the first find to be sent on the frozen connection');
      const { ms, error } = await timed(() => client.db(testDb.name).collection('orders').find({}).toArray());
      expect((error as Error).name).toBe('MongoWaitQueueTimeoutError');
      expect(isDatabaseUnavailable(error)).toBe(true);
      // The second operation gave up while the first still held the connection.
      expect(stuck.settled).toBe(false);
      expect(ms).toBeGreaterThanOrEqual(350);
      expect(ms).toBeLessThan(DURATION_SLACK * 400);
      figures(`database bounds: with the pool's one connection stuck, the next read failed after ${ms} ms (waitQueueTimeoutMS 400)`);
      proxy.thaw();
      expect((await stuck.promise).error).toBeUndefined();
    } finally {
      proxy.thaw();
      await client.close();
    }
  });
});

test('no server at all: an operation fails within serverSelectionTimeoutMS', async () => {
  const closed = await startFreezingProxy({ host: '127.0.0.1', port: 1 });
  const uri = closed.uri;
  await closed.close(); // nothing listens there any more
  const client = new MongoClient(uri, mongoClientOptions(limits({ serverSelectionTimeoutMs: 600 })));
  try {
    const { ms, error } = await timed(() => client.db('x').collection('orders').findOne({}));
    expect((error as Error).name).toBe('MongoServerSelectionError');
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(550);
    expect(ms).toBeLessThan(DURATION_SLACK * 600);
    figures(`database bounds: with no server, the read failed after ${ms} ms (serverSelectionTimeoutMS 600)`);
  } finally {
    await client.close();
  }
});

test('a server that accepts connections but never answers: each attempt ends at connectTimeoutMS', async () => {
  const sockets = new Set<Socket>();
  let handshakes = 0;
  const silent: Server = createServer((socket) => {
    handshakes += 1;
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  const client = new MongoClient(
    `mongodb://127.0.0.1:${port}/?directConnection=true`,
    mongoClientOptions(limits({ connectTimeoutMs: 300, serverSelectionTimeoutMs: 1500 })),
  );
  try {
    const { ms, error } = await timed(() => client.db('x').collection('orders').findOne({}));
    expect((error as Error).name).toBe('MongoServerSelectionError');
    // The selection error carries the last connection attempt's reason: its handshake timed out.
    expect(String((error as Error).message)).toMatch(/timed out/i);
    // At least one handshake attempt ended by its own timeout before server selection gave up.
    expect(handshakes).toBeGreaterThanOrEqual(1);
    expect(ms).toBeLessThan(DURATION_SLACK * 1500);
    figures(`database bounds: a server that never answers: ${handshakes} connection attempts, failed after ${ms} ms (connectTimeoutMS 300, serverSelectionTimeoutMS 1500)`);
  } finally {
    await client.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('client options: the defaults, a read preference from the environment, and what MONGODB_URI sets is left to it', () => {
  const settings = readLimitSettings({ MONGODB_READ_PREFERENCE: 'secondarypreferred', MONGODB_MAX_POOL_SIZE: '7' });
  expect(mongoClientOptions(settings.database)).toMatchObject({
    serverSelectionTimeoutMS: 2000,
    connectTimeoutMS: 2000,
    socketTimeoutMS: 5000,
    waitQueueTimeoutMS: 2000,
    maxPoolSize: 7,
    readPreference: 'secondaryPreferred',
    monitorCommands: true,
  });
  const fromUri = mongoClientOptions(DEFAULT_DATABASE_LIMITS, 'mongodb://h/?maxPoolSize=50&readPreference=nearest');
  expect(fromUri.maxPoolSize).toBeUndefined();
  expect(fromUri.readPreference).toBeUndefined();
  expect(fromUri.socketTimeoutMS).toBe(5000);
});
