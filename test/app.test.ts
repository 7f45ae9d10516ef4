import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startLocalDatabase } from '../src/db/localDatabase';
import type { AddressInfo } from 'node:net';
import { startSubgraph } from '../src/app';
import { loadConfig } from '../src/config';
import { createServiceLogger } from '../src/observability/logger';
import { openTestDatabase, testDatabaseUri, uniqueDatabaseName } from './support/database';
import { writeFixture } from './support/e2eFixtures';
import { signDevToken } from '../src/auth/devToken';

const REPO = join(__dirname, '..');
const quietLogger = createServiceLogger({ level: 'silent' });

function configFor(env: Record<string, string>) {
  return loadConfig({ PORT: '0', HOST: '127.0.0.1', JWT_SECRET: 'app-test-secret-of-at-least-32-chars', ...env });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('startSubgraph', () => {
  it('connects to MONGODB_URI itself, creates the indexes, serves on a free port and frees it on close', async () => {
    const dbName = uniqueDatabaseName('app');
    const subgraph = await startSubgraph({ config: configFor({ MONGODB_URI: testDatabaseUri(), MONGODB_DB: dbName }), logger: quietLogger });
    const checker = await openTestDatabase('app_check');
    try {
      expect(subgraph.url).toBe(`http://127.0.0.1:${subgraph.port}/graphql`);
      expect(subgraph.port).toBeGreaterThan(0);
      const response = await fetch(subgraph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      expect(response.status).toBe(200);
      const indexes = await checker.client.db(dbName).collection('orders').indexes();
      expect(indexes.map((index) => index.name)).toEqual(expect.arrayContaining(['by_order_no', 'by_account_newest']));
    } finally {
      await subgraph.close();
      await checker.client.db(dbName).dropDatabase();
      await checker.drop();
    }
    await expect(fetch(`http://127.0.0.1:${subgraph.port}/health`)).rejects.toThrow();
    await subgraph.close(); // idempotent
  });

  it('uses a given Db and leaves its client open', async () => {
    const testDb = await openTestDatabase('app_given');
    try {
      const subgraph = await startSubgraph({ config: configFor({}), db: testDb.db, logger: quietLogger });
      await subgraph.close();
      await expect(testDb.db.command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    } finally {
      await testDb.drop();
    }
  });

  it('fails to start, with the driver error, when the database cannot be reached', async () => {
    const port = await closedPort();
    const config = configFor({
      MONGODB_URI: `mongodb://127.0.0.1:${port}/?directConnection=true`,
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '300',
      MONGODB_CONNECT_TIMEOUT_MS: '300',
    });
    await expect(startSubgraph({ config, logger: quietLogger })).rejects.toThrow(/ECONNREFUSED|connect/i);
  });

  it('fails to start when the port is taken', async () => {
    const testDb = await openTestDatabase('app_port');
    const first = await startSubgraph({ config: configFor({}), db: testDb.db, logger: quietLogger });
    try {
      await expect(
        startSubgraph({ config: configFor({ PORT: String(first.port) }), db: testDb.db, logger: quietLogger }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
      await testDb.drop();
    }
  });
});

describe('startSubgraph on a restarted local database', () => {
  it('starts again on the data of a previous run (npm start, second time)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'poco-app-restart-'));
    const token = await signDevToken({ sub: 'demo-user-1', secret: 'app-test-secret-of-at-least-32-chars' });
    const query = JSON.stringify({
      query: '{ _entities(representations: [{ __typename: "User", id: "demo-user-1" }]) { ... on User { pocoOrders { totalCount nodes { id } } } } }',
    });
    const answers: unknown[] = [];
    const indexNames: string[][] = [];
    try {
      for (let run = 0; run < 2; run++) {
        const server = await startLocalDatabase({ dataDir });
        const client = new MongoClient(server.uri);
        try {
          await client.connect();
          const db = client.db('poco_legacy');
          // Only the first run writes data; the second must find it on disk.
          if (run === 0) await writeFixture(db);
          const subgraph = await startSubgraph({ config: configFor({}), db, logger: quietLogger });
          try {
            const response = await fetch(subgraph.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: query,
            });
            answers.push(await response.json());
            indexNames.push((await db.collection('orders').indexes()).map((index) => String(index.name)).sort());
          } finally {
            await subgraph.close();
          }
        } finally {
          await client.close();
          await server.stop();
        }
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    const first = answers[0] as { data?: { _entities: { pocoOrders: { totalCount: number } }[] }; errors?: unknown };
    expect(first.errors).toBeUndefined();
    expect(first.data?._entities[0]?.pocoOrders.totalCount).toBeGreaterThan(0);
    // The second start serves the first run's data, with the indexes the first start created (and no duplicates).
    expect(answers[1]).toEqual(answers[0]);
    expect(indexNames[1]).toEqual(indexNames[0]);
    expect(indexNames[0]).toEqual(expect.arrayContaining(['by_order_no', 'by_account_newest']));
  });

});

describe('npm start (src/main.ts)', () => {
  const MAIN = join(REPO, 'src', 'main.ts');

  function runMain(env: Record<string, string>) {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, output: () => ({ stdout, stderr }) };
  }

  it.each([
    ['PORT', { PORT: 'http' }],
    ['MONGODB_URI', { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), CURSOR_SECRET: 'y'.repeat(40) }],
  ])('exits 1 with one line naming %s on bad configuration', async (variable, env) => {
    const run = runMain(env);
    expect(await run.exited).toBe(1);
    const { stderr, stdout } = run.output();
    expect(stderr).toMatch(new RegExp(`^Bad configuration: ${variable}: [^\\n]+\\n$`));
    expect(stdout).toBe('');
  });

  it('serves MONGODB_URI, prints the URL and a demo token, and exits 0 on SIGTERM', async () => {
    const dbName = uniqueDatabaseName('main');
    const run = runMain({ MONGODB_URI: testDatabaseUri(), MONGODB_DB: dbName, PORT: '0', LOG_LEVEL: 'warn', JWT_SECRET: 's'.repeat(40) });
    try {
      let url: string | undefined;
      for (let waited = 0; waited < 20_000 && !url; waited += 100) {
        url = /POCO legacy subgraph: (http:\/\/\S+\/graphql)/.exec(run.output().stdout)?.[1];
        if (!url) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(url).toBeDefined();
      const token = /Authorization: Bearer (\S+)/.exec(run.output().stdout)?.[1];
      const response = await fetch(url as string, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ _entities(representations: [{ __typename: "User", id: "demo-user-1" }]) { ... on User { pocoAccounts { id } } } }' }),
      });
      // The printed token is accepted: the personal field answers (empty) instead of UNAUTHENTICATED.
      expect(await response.json()).toEqual({ data: { _entities: [{ pocoAccounts: [] }] } });
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
      const checker = await openTestDatabase('main_check');
      await checker.client.db(dbName).dropDatabase();
      await checker.drop();
    }
  });
});
