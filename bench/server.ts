/**
 * One subgraph under test, in its own process (forked by bench/run.ts), so
 * that the load generator never shares its event loop and its memory figure
 * is the server's alone.
 *
 * argv: IMPLEMENTATION (ours | naive), MONGODB_URI, database name.
 *
 * Database commands are counted with the driver's command monitoring on the
 * server's own client (commandStarted/Succeeded/Failed carry the duration).
 * The parent asks over IPC:
 *   { type: 'reset' }            zero the counters
 *   { type: 'read' }             => { type: 'counters', commands, dbMs, documents, cpuMs, rss }
 *   { type: 'capture', on }      record each command (for the floor's replay)
 *   { type: 'captured' }         => { type: 'captured', commands: [...] }
 */
import { MongoClient, type CommandStartedEvent, type CommandSucceededEvent, type CommandFailedEvent } from 'mongodb';
import pino from 'pino';
import { startSubgraph } from '../src/app';
import { loadConfig } from '../src/config';
import { mongoClientOptions } from '../src/limits/database';
import { createNaiveResolvers } from './naive/resolvers';
import { documentsIn } from './floor';
import type { CapturedCommand, ServerMessage, ParentMessage } from './protocol';

async function main(): Promise<void> {
  const [implementation, uri, dbName] = process.argv.slice(2);
  if ((implementation !== 'ours' && implementation !== 'naive') || !uri || !dbName) {
    throw new Error('usage: server.ts ours|naive MONGODB_URI DB_NAME');
  }
  const config = loadConfig({
    MONGODB_URI: uri,
    MONGODB_DB: dbName,
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    JWT_SECRET: process.env.BENCH_JWT_SECRET,
    CURSOR_SECRET: 'bench-cursor-secret-0123456789abcdef0123456789',
    DOCUMENT_SECRET: 'bench-document-secret-0123456789abcdef0123456789',
    LOG_LEVEL: 'silent',
    // The benchmark measures cost, not the time-limit policy: on the local FerretDB (every read
    // scans its collection) a loaded 2-core machine can exceed the 3 s production maxTimeMS.
    MONGODB_MAX_TIME_MS: process.env.BENCH_MAX_TIME_MS ?? '120000',
    MONGODB_SOCKET_TIMEOUT_MS: process.env.BENCH_SOCKET_TIMEOUT_MS ?? '180000',
    // The naive subgraph queues hundreds of reads per request for the pool: measure it, do not time it out.
    MONGODB_WAIT_QUEUE_TIMEOUT_MS: process.env.BENCH_WAIT_QUEUE_TIMEOUT_MS ?? '120000',
  });
  // The production client options (pool, timeouts), plus command monitoring.
  const client = new MongoClient(uri, {
    ...mongoClientOptions(config.limits.database, uri),
    monitorCommands: true,
    appName: `bench-${implementation}`,
  });
  await client.connect();
  const db = client.db(dbName);

  let commands = 0;
  let dbMs = 0;
  let documents = 0;
  let documentsByCollection: Record<string, number> = {};
  const collectionOf = new Map<number, string>();
  let cpuFrom = process.cpuUsage();
  let capturing = false;
  let captured: CapturedCommand[] = [];
  const started = new Map<number, { at: number; command: Record<string, unknown> }>();
  client.on('commandStarted', (event: CommandStartedEvent) => {
    const collection = event.command[event.commandName] as unknown;
    const name = event.commandName === 'getMore' ? (event.command.collection as unknown) : collection;
    if (typeof name === 'string') collectionOf.set(event.requestId, name);
    if (!capturing) return;
    started.set(event.requestId, { at: performance.now(), command: event.command as Record<string, unknown> });
  });
  const finish = (event: CommandSucceededEvent | CommandFailedEvent): void => {
    commands += 1;
    dbMs += event.duration;
    const collection = collectionOf.get(event.requestId);
    collectionOf.delete(event.requestId);
    if ('reply' in event) {
      const returned = documentsIn(event.reply as Record<string, unknown>);
      documents += returned;
      if (collection !== undefined) documentsByCollection[collection] = (documentsByCollection[collection] ?? 0) + returned;
    }
    if (!capturing) return;
    const start = started.get(event.requestId);
    started.delete(event.requestId);
    if (start) captured.push({ command: start.command, startedAt: start.at, finishedAt: performance.now(), name: event.commandName });
  };
  client.on('commandSucceeded', finish);
  client.on('commandFailed', finish);

  const subgraph = await startSubgraph({
    config,
    db,
    logger: pino({ level: 'silent' }),
    ...(implementation === 'naive' ? { resolvers: createNaiveResolvers(db) } : {}),
  });

  const counters = (): ServerMessage => {
    const cpu = process.cpuUsage(cpuFrom);
    return { type: 'counters', commands, dbMs, documents, documentsByCollection: { ...documentsByCollection }, cpuMs: (cpu.user + cpu.system) / 1000, rss: process.memoryUsage.rss() };
  };
  const send = (message: ServerMessage): void => {
    process.send?.(message);
  };
  process.on('message', (message: ParentMessage) => {
    switch (message.type) {
      case 'reset':
        commands = 0;
        dbMs = 0;
        documents = 0;
        documentsByCollection = {};
        cpuFrom = process.cpuUsage();
        send(counters());
        break;
      case 'read':
        send(counters());
        break;
      case 'capture':
        capturing = message.on;
        if (message.on) captured = [];
        send({ type: 'captured', commands: message.on ? [] : captured });
        break;
      case 'stop':
        void subgraph.close().finally(() => client.close().finally(() => process.exit(0)));
        break;
      default: {
        const unreachable: never = message;
        throw new Error(`unknown message ${JSON.stringify(unreachable)}`);
      }
    }
  });
  send({ type: 'ready', url: subgraph.url });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
