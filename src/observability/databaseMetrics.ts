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
  ConnectionCheckedInEvent,
  ConnectionCheckedOutEvent,
  ConnectionClosedEvent,
  ConnectionCreatedEvent,
  ConnectionPoolClearedEvent,
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

  // Connections are tracked by address and id, not counted up and down: the client may have
  // connected before this function subscribed, and its existing connections join the sets
  // the first time they are checked out.
  const open = new Set<string>();
  const inUse = new Set<string>();
  const keyOf = (event: { address: string; connectionId: number | '<monitor>' }): string => `${event.address}#${event.connectionId}`;
  const publish = (): void => {
    metrics.poolConnections.set({ state: 'open' }, open.size);
    metrics.poolConnections.set({ state: 'in_use' }, inUse.size);
  };
  publish();
  const created = (event: ConnectionCreatedEvent): void => {
    open.add(keyOf(event));
    publish();
  };
  const closed = (event: ConnectionClosedEvent): void => {
    open.delete(keyOf(event));
    inUse.delete(keyOf(event));
    publish();
  };
  const checkedOut = (event: ConnectionCheckedOutEvent): void => {
    open.add(keyOf(event));
    inUse.add(keyOf(event));
    publish();
  };
  const checkedIn = (event: ConnectionCheckedInEvent): void => {
    inUse.delete(keyOf(event));
    publish();
  };
  const checkOutFailed = (event: ConnectionCheckOutFailedEvent): void => {
    metrics.checkoutFailures.inc({ reason: String(event.reason) });
  };
  const cleared = (event: ConnectionPoolClearedEvent): void => {
    // The cleared pool's connections close one by one (connectionClosed follows for each idle one).
    void event;
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
    open.clear();
    inUse.clear();
  };
}
