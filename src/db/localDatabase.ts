/**
 * The local MongoDB-compatible server of runtime.md, for development and tests.
 *
 * `MONGOD_BIN` or a `mongod` on PATH is used when present. Otherwise FerretDB
 * v1.24.2 (SQLite backend) is built once from the Go module proxy, pinned by
 * tools/ferretdb/go.mod and go.sum, into the git-ignored `.cache/` folder.
 * Each start gets a free loopback port and a temporary data directory that is
 * removed again on stop.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, rmSync, copyFileSync, writeFileSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, delimiter } from 'node:path';
import { MongoClient } from 'mongodb';
import { PROJECT_ROOT } from '../shared/projectRoot';

export const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_TOOLS_DIR = join(PROJECT_ROOT, 'tools', 'ferretdb');
const CACHE_DIR = join(PROJECT_ROOT, '.cache', 'ferretdb');
export const FERRETDB_BINARY = join(CACHE_DIR, FERRETDB_VERSION, 'ferretdb');

export type LocalDatabaseKind = 'mongod' | 'ferretdb';

export interface LocalDatabase {
  readonly kind: LocalDatabaseKind;
  readonly uri: string;
  readonly pid: number;
  /** Stops the server and deletes its data. Safe to call twice. */
  stop(): Promise<void>;
}

export interface LocalDatabaseOptions {
  /** Receives one line per progress message (building, starting). */
  log?: (message: string) => void;
  /** How long to wait for the server to answer a ping. */
  startTimeoutMs?: number;
  /**
   * Keep the data in this directory (created if missing) instead of a
   * temporary one that is deleted on stop.
   */
  dataDir?: string;
  /**
   * Listen on this loopback port instead of a free one (a test that stops
   * the server and starts it again on the same data and address).
   */
  port?: number;
}

function findMongod(): string | undefined {
  const fromEnv = process.env.MONGOD_BIN;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`MONGOD_BIN: no file at ${fromEnv}`);
    return fromEnv;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'mongod');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Takes a directory lock so that two processes (a test run and `npm start`)
 * never build into the same folder at once. A lock older than 15 minutes is
 * taken to belong to a build that died.
 */
async function withBuildLock<T>(work: () => T): Promise<T> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const lock = join(CACHE_DIR, '.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs!;
      if (age > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds FerretDB unless the cached binary exists, and returns its path.
 *
 * Why vendoring: FerretDB's build/version package embeds version.txt, which
 * the published module does not contain, and the module cache is read-only.
 * Vendoring the pinned modules into the cache folder lets us add that one
 * file without patching anything else.
 */
export async function ensureFerretDbBinary(log: (message: string) => void = () => {}): Promise<string> {
  if (existsSync(FERRETDB_BINARY)) return FERRETDB_BINARY;
  return withBuildLock(() => {
    if (existsSync(FERRETDB_BINARY)) return FERRETDB_BINARY;
    log(`building FerretDB ${FERRETDB_VERSION} with Go (once per machine, about a minute)...`);
    const buildDir = join(CACHE_DIR, 'build');
    rmSync(buildDir, { recursive: true, force: true });
    mkdirSync(buildDir, { recursive: true });
    for (const file of ['go.mod', 'go.sum', 'tools.go']) copyFileSync(join(FERRETDB_TOOLS_DIR, file), join(buildDir, file));
    run('go', ['mod', 'vendor'], buildDir);
    writeFileSync(join(buildDir, 'vendor/github.com/FerretDB/FerretDB/build/version/version.txt'), `${FERRETDB_VERSION}\n`);
    const partial = `${FERRETDB_BINARY}.partial`;
    mkdirSync(join(CACHE_DIR, FERRETDB_VERSION), { recursive: true });
    run('go', ['build', '-mod=vendor', '-trimpath', '-buildvcs=false', '-o', partial, 'github.com/FerretDB/FerretDB/cmd/ferretdb'], buildDir);
    renameSync(partial, FERRETDB_BINARY);
    rmSync(buildDir, { recursive: true, force: true });
    log(`FerretDB built at ${FERRETDB_BINARY}`);
    return FERRETDB_BINARY;
  });
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not allocate a loopback port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

async function waitForPing(uri: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`local database exited with code ${child.exitCode} before it answered:\n${output()}`);
    }
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await client.close().catch(() => {});
    }
    await sleep(100);
  }
  throw new Error(`local database did not answer within ${timeoutMs} ms: ${String(lastError)}\n${output()}`);
}

/** Every child we started, so an exiting process never leaves one behind. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startLocalDatabase(options: LocalDatabaseOptions = {}): Promise<LocalDatabase> {
  const log = options.log ?? (() => {});
  const mongod = findMongod();
  const kind: LocalDatabaseKind = mongod ? 'mongod' : 'ferretdb';
  const binary = mongod ?? (await ensureFerretDbBinary(log));
  const persistent = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `poco-${kind}-`));
  mkdirSync(dataDir, { recursive: true });
  const port = options.port ?? (await freeLoopbackPort());
  const args =
    kind === 'mongod'
      ? ['--dbpath', dataDir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet']
      : [
          '--handler=sqlite',
          `--sqlite-url=file:${dataDir}/`,
          `--listen-addr=127.0.0.1:${port}`,
          `--state-dir=${dataDir}`,
          '--telemetry=disable',
          `--debug-addr=127.0.0.1:${await freeLoopbackPort()}`,
          '--log-level=warn',
        ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const uri = `mongodb://127.0.0.1:${port}/`;

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= new Promise<void>((resolve) => {
      const finish = (): void => {
        running.delete(child);
        if (!persistent) rmSync(dataDir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) {
        finish();
        return;
      }
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(killer);
        finish();
      });
      child.kill('SIGTERM');
    });
    return stopped;
  };

  try {
    log(`starting ${kind} on 127.0.0.1:${port}`);
    await waitForPing(uri, child, options.startTimeoutMs ?? 30_000, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { kind, uri, pid: child.pid!, stop };
}
