/**
 * Opens the database a command works on: the one in MONGODB_URI when given,
 * otherwise the project's local development database.
 *
 * The development database keeps its data in `.cache/localdb/` so that
 * `npm run seed` and `npm start` see the same data. Whichever command starts
 * it records its address in `.cache/localdb/server.json`; a second command
 * finds it there and uses it instead of starting another server on the same
 * files, and leaves stopping it to the command that started it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import { startLocalDatabase, type LocalDatabase } from './localDatabase';
import { PROJECT_ROOT } from '../shared/projectRoot';

const DEV_DIR = join(PROJECT_ROOT, '.cache', 'localdb');
const STATE_FILE = join(DEV_DIR, 'server.json');

export interface OpenDatabaseOptions {
  /** MONGODB_URI; undefined = the local development database. */
  uri: string | undefined;
  dbName: string;
  clientOptions?: MongoClientOptions;
  log?: (message: string) => void;
}

export interface OpenedDatabase {
  readonly client: MongoClient;
  readonly db: Db;
  /** Where it connected (for messages; the URI of a local server carries no credentials). */
  readonly description: string;
  /** Closes the client, and stops the local server if this process started it. */
  close(): Promise<void>;
}

interface DevServerState {
  pid: number;
  uri: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readDevServerState(): DevServerState | undefined {
  if (!existsSync(STATE_FILE)) return undefined;
  try {
    const state = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as Partial<DevServerState>;
    if (typeof state.pid === 'number' && typeof state.uri === 'string' && isAlive(state.pid)) {
      return { pid: state.pid, uri: state.uri };
    }
  } catch {
    // A torn or foreign file: start a server of our own.
  }
  return undefined;
}

async function connect(uri: string, options: MongoClientOptions | undefined): Promise<MongoClient> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, ...options });
  await client.connect();
  await client.db('admin').command({ ping: 1 });
  return client;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const log = options.log ?? (() => {});
  if (options.uri !== undefined) {
    const client = await connect(options.uri, options.clientOptions);
    return {
      client,
      db: client.db(options.dbName),
      description: `database "${options.dbName}" (MONGODB_URI)`,
      close: () => client.close(),
    };
  }

  const existing = readDevServerState();
  if (existing) {
    try {
      const client = await connect(existing.uri, options.clientOptions);
      log(`using the local database already running at ${existing.uri}`);
      return {
        client,
        db: client.db(options.dbName),
        description: `local database ${existing.uri}${options.dbName}`,
        close: () => client.close(),
      };
    } catch {
      // Recorded but not answering: start our own below.
    }
  }

  mkdirSync(DEV_DIR, { recursive: true });
  const server: LocalDatabase = await startLocalDatabase({ dataDir: join(DEV_DIR, 'data'), log });
  writeFileSync(STATE_FILE, JSON.stringify({ pid: server.pid, uri: server.uri } satisfies DevServerState));
  let client: MongoClient;
  try {
    client = await connect(server.uri, options.clientOptions);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    client,
    db: client.db(options.dbName),
    description: `local ${server.kind} ${server.uri}${options.dbName} (data in .cache/localdb)`,
    async close() {
      await client.close();
      await server.stop();
      const state = readDevServerState();
      if (!state || state.pid === server.pid) rmSync(STATE_FILE, { force: true });
    },
  };
}
