/**
 * `npm start` without MONGODB_URI (src/main.ts in a child process, as npm
 * runs it): it starts the local database in LOCAL_DATABASE_DIR (a temporary
 * folder here, so the project's own .cache/localdb is never touched), loads
 * the demo data into it once, serves it with the printed token, and on the
 * next start finds the data there and loads nothing. SIGTERM stops the
 * local database it started.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/shared/projectRoot';
import { figures, waitFor } from './support/timing';

const LOADING = 'the local database is empty: loading demo data';
const QUERY = JSON.stringify({
  query: '{ _entities(representations: [{ __typename: "User", id: "demo-user-1" }]) { ... on User { pocoOrders(first: 100) { totalCount nodes { id orderNumber } } pocoPoints { balance } } } }',
});

let localDir: string;

beforeAll(() => {
  localDir = mkdtempSync(join(tmpdir(), 'poco-npm-start-'));
});
afterAll(() => {
  rmSync(localDir, { recursive: true, force: true });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One `npm start`: waits for the printed URL, asks the demo query with the printed token, stops it with SIGTERM. */
async function npmStartOnce(): Promise<{ output: string; answer: unknown; serverPid: number; exitCode: number | null; startMs: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'main.ts')], {
    cwd: PROJECT_ROOT,
    // No MONGODB_URI, no JWT_SECRET: the development defaults, as on a fresh machine.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_LEVEL: 'info', LOCAL_DATABASE_DIR: localDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`npm start exited before serving:\n${output}`);
        return /Try it:/.test(output);
      },
      'npm start to print its URL and token',
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const startMs = Date.now() - started;
    const url = /POCO legacy subgraph: (http:\/\/\S+\/graphql)/.exec(output)![1]!;
    const token = /Demo user \(demo-user-1\)[^\n]*\n\s+Authorization: Bearer (\S+)/.exec(output)![1]!;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: QUERY });
    const answer = await response.json();
    // While it runs, the local database it started is recorded in LOCAL_DATABASE_DIR.
    const state = JSON.parse(readFileSync(join(localDir, 'server.json'), 'utf8')) as { pid: number; uri: string };
    expect(isAlive(state.pid)).toBe(true);
    child.kill('SIGTERM');
    const exitCode = await exited;
    return { output, answer, serverPid: state.pid, exitCode, startMs };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

test('npm start without MONGODB_URI starts the local database, loads the demo data once, and finds it there the next time', async () => {
  const first = await npmStartOnce();
  expect(first.exitCode).toBe(0);
  expect(first.output).toContain(LOADING);
  expect(first.output).toContain(`Database: the local development database (${localDir}).`);
  const firstOrders = (first.answer as { data: { _entities: { pocoOrders: { totalCount: number } }[] } }).data._entities[0]!.pocoOrders;
  expect(firstOrders.totalCount).toBeGreaterThan(0);
  expect((first.answer as { errors?: unknown }).errors).toBeUndefined();
  // SIGTERM also stopped the local database this run started, and released its record.
  await waitFor(() => !isAlive(first.serverPid), 'the local database of the first run to stop');
  expect(existsSync(join(localDir, 'server.json'))).toBe(false);
  expect(existsSync(join(localDir, 'data'))).toBe(true);

  const second = await npmStartOnce();
  expect(second.exitCode).toBe(0);
  // The data is there: nothing is loaded again, and the same data is served (not twice as much).
  expect(second.output).not.toContain(LOADING);
  expect(second.answer).toEqual(first.answer);
  await waitFor(() => !isAlive(second.serverPid), 'the local database of the second run to stop');
  figures(`npm start without MONGODB_URI: first start (empty database, demo data loaded) ${first.startMs} ms, second start ${second.startMs} ms`);
}, 300_000);
