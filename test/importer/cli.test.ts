/**
 * The command line as users run it (a few spawns: each costs a second or two).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { fixture, TempDirs } from './exportFixtures';

const ROOT = join(__dirname, '..', '..');
const temp = new TempDirs();
let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await openTestDatabase('cli');
});
afterAll(async () => {
  await testDb.drop();
  temp.cleanUp();
});

function importCli(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'importer', 'cli.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, MONGODB_URI: testDb.uri, MONGODB_DB: testDb.name, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run import', () => {
  it('imports, prints a summary table, writes the report and the rejects beside the directory, and exits 0', () => {
    const parent = temp.copyOf('rejects');
    const reportPath = join(parent, 'report.json');
    const result = importCli([parent, '--report', reportPath]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^file\s+read\s+inserted\s+updated\s+unchanged\s+rejected\s+anomalies$/m);
    expect(result.stdout).toMatch(/^orders\s+12\s+1\s+0\s+0\s+11\s/m);
    const defaultRejects = `${parent}.rejects.ndjson`;
    expect(result.stdout).toContain(`see ${defaultRejects}`);
    expect(readFileSync(defaultRejects, 'utf8').split('\n').filter(Boolean)).toHaveLength(32);
    expect(JSON.parse(readFileSync(reportPath, 'utf8'))).toMatchObject({ files: { orders: { read: 12, rejected: 11 } } });
    // Nothing was written into the export directory itself.
    expect(existsSync(join(parent, 'rejects.ndjson'))).toBe(false);
  });

  it('exits 2 with one line and the usage on a usage error', () => {
    const result = importCli(['--dry-run']);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('error: missing the export directory DIR');
    expect(result.stderr).toContain('usage: npm run import -- DIR');
  });

  it('exits 1 with one clear line when the directory is missing or the database unreachable', () => {
    const missing = importCli([join(temp.make('cli'), 'nope')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error: export directory .*nope does not exist$/m);

    const unreachable = importCli([fixture('basic'), '--dry-run'], { MONGODB_URI: 'mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=500' });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/^error: cannot reach the database: /m);
  });

  it('exits 1 and names the file when a gzip file is damaged, after importing what came before the damage', () => {
    const dir = temp.copyOf('basic');
    const gz = gzipSync(readFileSync(join(dir, 'feedback.ndjson')));
    writeFileSync(join(dir, 'feedback.ndjson.gz'), gz.subarray(0, gz.length - 12));
    rmSync(join(dir, 'feedback.ndjson'));
    const result = importCli([dir, '--rejects', join(temp.make('cli-out'), 'r.ndjson')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: import incomplete: feedback.ndjson.gz: the gzip data ends early/m);
    expect(result.stdout).toMatch(/^DAMAGED: feedback.ndjson.gz: /m);
    expect(result.stdout).toMatch(/^feedback\s+2\s+\d+\s+\d+\s+\d+\s+1\s/m);
  });
});
