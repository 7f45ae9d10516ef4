/**
 * Database command latency and pool usage, from the driver's own monitoring
 * events (the client needs `monitorCommands: true`, which
 * limits/database.ts's options set). The instruments live on the
 * subgraph's registry (metrics.ts).
 *
 * A command's collection is read from its started event, where the command
 * document names it (`{ find: "orders", ... }`); the succeeded and failed
 * events carry only the request id, so started commands wait in a map until
 * they end. Entries for commands that never end (the connection died) are
 * dropped when the map grows past a bound.
 */
import type {
  CommandFailedEvent,
  CommandStartedEvent,
  CommandSucceededEvent,
  ConnectionCheckOutFailedEvent,
  MongoClient,
} from 'mongodb';
import type { DatabaseMetrics } from './metrics';

/** Commands whose first field names a collection. */
const COLLECTION_COMMANDS = new Set([
  'find',
  'aggregate',
  'count',
  'distinct',
  'insert',
  'update',
  'delete',
  'findAndModify',
  'createIndexes',
  'listIndexes',
  'drop',
]);
/** Handshakes and heartbeats say nothing about the service's own reads. */
const IGNORED_COMMANDS = new Set(['hello', 'ismaster', 'isMaster', 'saslStart', 'saslContinue', 'endSessions']);
const MAX_PENDING = 10_000;

export function collectionOf(event: Pick<CommandStartedEvent, 'commandName' | 'command'>): string {
  if (event.commandName === 'getMore') {
    const name = (event.command as { collection?: unknown }).collection;
    return typeof name === 'string' ? name : 'unknown';
  }
  if (!COLLECTION_COMMANDS.has(event.commandName)) return 'none';
  const name = (event.command as Record<string, unknown>)[event.commandName];
  return typeof name === 'string' ? name : 'unknown';
}

/** Subscribes `metrics` to `client`'s events; returns a function that unsubscribes. */
export function observeDatabase(client: MongoClient, metrics: DatabaseMetrics): () => void {
  const pending = new Map<number, { command: string; collection: string }>();

  const started = (event: CommandStartedEvent): void => {
    if (IGNORED_COMMANDS.has(event.commandName)) return;
    if (pending.size >= MAX_PENDING) pending.clear();
    pending.set(event.requestId, { command: event.commandName, collection: collectionOf(event) });
  };
  const ended = (outcome: 'succeeded' | 'failed') => (event: CommandSucceededEvent | CommandFailedEvent): void => {
    const known = pending.get(event.requestId);
    if (!known) return;
    pending.delete(event.requestId);
    metrics.commandDuration.observe({ command: known.command, collection: known.collection, outcome }, event.duration / 1000);
  };
  const succeeded = ended('succeeded');
  const failed = ended('failed');

  let open = 0;
  let inUse = 0;
  const publish = (): void => {
    metrics.poolConnections.set({ state: 'open' }, open);
    metrics.poolConnections.set({ state: 'in_use' }, inUse);
  };
  publish();
  const created = (): void => {
    open += 1;
    publish();
  };
  const closed = (): void => {
    open = Math.max(0, open - 1);
    publish();
  };
  const checkedOut = (): void => {
    inUse += 1;
    publish();
  };
  const checkedIn = (): void => {
    inUse = Math.max(0, inUse - 1);
    publish();
  };
  const checkOutFailed = (event: ConnectionCheckOutFailedEvent): void => {
    metrics.checkoutFailures.inc({ reason: String(event.reason) });
  };
  const cleared = (): void => {
    // A cleared pool closes its connections one by one (connectionClosed follows); in-use ones are returned first.
    publish();
  };

  client.on('commandStarted', started);
  client.on('commandSucceeded', succeeded);
  client.on('commandFailed', failed);
  client.on('connectionCreated', created);
  client.on('connectionClosed', closed);
  client.on('connectionCheckedOut', checkedOut);
  client.on('connectionCheckedIn', checkedIn);
  client.on('connectionCheckOutFailed', checkOutFailed);
  client.on('connectionPoolCleared', cleared);

  return () => {
    client.off('commandStarted', started);
    client.off('commandSucceeded', succeeded);
    client.off('commandFailed', failed);
    client.off('connectionCreated', created);
    client.off('connectionClosed', closed);
    client.off('connectionCheckedOut', checkedOut);
    client.off('connectionCheckedIn', checkedIn);
    client.off('connectionCheckOutFailed', checkOutFailed);
    client.off('connectionPoolCleared', cleared);
    pending.clear();
  };
}
