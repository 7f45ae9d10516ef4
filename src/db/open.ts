/**
 * Opens the database a command works on: the one in MONGODB_URI when given,
 * otherwise the project's local development database.
 *
 * The development database keeps its data in `.cache/localdb/` so that
 * `npm run seed` and `npm start` see the same data. Whichever command starts
 * it records its address in `.cache/localdb/server.json`; a second command
 * finds it there and uses it instead of starting another server on the same
 * files, and leaves stopping it to the command that started it.
 * LOCAL_DATABASE_DIR moves that folder (e.g. a scratch copy, or a test's own).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import { startLocalDatabase, type LocalDatabase } from './localDatabase';
import { PROJECT_ROOT } from '../shared/projectRoot';

/** Where the local development database keeps its data unless LOCAL_DATABASE_DIR says otherwise. */
export const DEFAULT_LOCAL_DATABASE_DIR = join(PROJECT_ROOT, '.cache', 'localdb');

export interface OpenDatabaseOptions {
  /** MONGODB_URI; undefined = the local development database. */
  uri: string | undefined;
  dbName: string;
  clientOptions?: MongoClientOptions;
  log?: (message: string) => void;
  /** The local database's folder (LOCAL_DATABASE_DIR); default DEFAULT_LOCAL_DATABASE_DIR. */
  localDir?: string;
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

function readDevServerState(stateFile: string): DevServerState | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as Partial<DevServerState>;
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

  const devDir = options.localDir ?? DEFAULT_LOCAL_DATABASE_DIR;
  const stateFile = join(devDir, 'server.json');
  const existing = readDevServerState(stateFile);
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

  mkdirSync(devDir, { recursive: true });
  const server: LocalDatabase = await startLocalDatabase({ dataDir: join(devDir, 'data'), log });
  writeFileSync(stateFile, JSON.stringify({ pid: server.pid, uri: server.uri } satisfies DevServerState));
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
    description: `local ${server.kind} ${server.uri}${options.dbName} (data in ${devDir})`,
    async close() {
      await client.close();
      await server.stop();
      const state = readDevServerState(stateFile);
      if (!state || state.pid === server.pid) rmSync(stateFile, { force: true });
    },
  };
}
