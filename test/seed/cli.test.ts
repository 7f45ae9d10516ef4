/**
 * The seed command's contract (runtime.md): usage errors exit 2 with one
 * clear line, an unreachable database exits 1 with one clear line, and the
 * arguments default to a fixed seed and a git-ignored output folder.
 */
import { join, resolve } from 'node:path';
import { DEFAULT_SEED } from '../../src/seed/generate';
import { parseSeedArgs, runSeedCommand, UsageError } from '../../src/seed/cli';

const ROOT = '/project';

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSeedCommand(args, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('parseSeedArgs', () => {
  test('defaults the seed to a fixed value and the output to .cache/seed/', () => {
    expect(parseSeedArgs(['--users', '25'], ROOT)).toEqual({
      users: 25,
      heavyUsers: 0,
      seed: DEFAULT_SEED,
      outDir: join(ROOT, '.cache', 'seed', `users-25-seed-${DEFAULT_SEED}`),
    });
  });

  test('takes --seed (negative too, as --seed=-7) and --out', () => {
    expect(parseSeedArgs(['--users', '3', '--seed=-7', '--out', 'x/y'], ROOT)).toEqual({ users: 3, heavyUsers: 0, seed: -7, outDir: resolve('x/y') });
  });

  test('takes --heavy-users (issue 9) and names the default output after them', () => {
    expect(parseSeedArgs(['--users', '10', '--heavy-users', '2'], ROOT)).toEqual({
      users: 10,
      heavyUsers: 2,
      seed: DEFAULT_SEED,
      outDir: join(ROOT, '.cache', 'seed', `users-10-heavy-2-seed-${DEFAULT_SEED}`),
    });
  });

  test.each([
    [[], /--users N is required/],
    [['--users'], /argument missing/],
    [['--users', 'ten'], /--users must be an integer/],
    [['--users', '0'], /--users must be between 1/],
    [['--users', '1.5'], /--users must be an integer/],
    [['--users', '5', '--seed', '1e3'], /--seed must be an integer/],
    [['--users', '5', '--colour', 'red'], /Unknown option '--colour'/],
    [['--users', '5', 'extra'], /Unexpected argument 'extra'/],
    [['--users', '5', '--out', ''], /--out needs a directory/],
    [['--users', '5', '--heavy-users=-1'], /--heavy-users must be between 0/],
    [['--users', '5', '--heavy-users', 'lots'], /--heavy-users must be an integer/],
  ])('rejects %j with a usage error', (args, message) => {
    expect(() => parseSeedArgs(args as string[], ROOT)).toThrow(UsageError);
    expect(() => parseSeedArgs(args as string[], ROOT)).toThrow(message);
  });
});

describe('runSeedCommand', () => {
  test('exits 2 on a usage error with one line naming the usage', async () => {
    const result = await run(['--users', 'many']);
    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err).toEqual([expect.stringMatching(/^seed: --users must be an integer, got "many" \(usage: npm run seed -- --users N/)]);
  });

  test('exits 1 with one clear line when the database is unreachable', async () => {
    // Port 1 on loopback: connections are refused; the driver gives up after its server selection timeout.
    const result = await run(['--users', '2', '--out', join(__dirname, 'never-written')], { MONGODB_URI: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500' });
    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err).toEqual([expect.stringMatching(/^seed: cannot reach the database in MONGODB_URI: .*ECONNREFUSED/)]);
  }, 20_000);
});
