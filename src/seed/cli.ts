/**
 * `npm run seed -- --users N [--heavy-users H] [--seed S] [--out DIR]`: writes a synthetic,
 * deterministic POCO export, imports it with the real importer into
 * MONGODB_URI / MONGODB_DB (or the local development database), and prints
 * how long each took and whether the importer's report matches what the
 * generator wrote.
 *
 * Beside DIR it leaves DIR.manifest.json (the generator's truth),
 * DIR.report.json (the importer's report) and DIR.rejects.ndjson.
 *
 * Exit codes: 0 the import ran; 2 usage error; 1 it could not run (database
 * unreachable, files not writable). Errors are one line on stderr.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type OpenedDatabase } from '../db/open';
import { runImport, type ImportReport } from '../importer/runImport';
import { EXPORT_FILES } from './badLines';
import { DEFAULT_SEED, generateExport, type SeedManifest } from './generate';
import { PROJECT_ROOT } from '../shared/projectRoot';

const USAGE = 'usage: npm run seed -- --users N [--heavy-users H] [--seed S] [--out DIR]';
/** Each heavy user is 120,000 records: far more than this is not a seed, it is a load test of the importer. */
const MAX_HEAVY_USERS = 1_000;
/** Far beyond any realistic run, and keeps every id counter within its padding. */
const MAX_USERS = 5_000_000;

export interface SeedCommand {
  users: number;
  /** Users with 20,000 orders and 100,000 ledger entries across two stores (issue 9). */
  heavyUsers: number;
  seed: number;
  outDir: string;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function integerOption(name: string, text: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`--${name} must be an integer, got "${text}"`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${text}`);
  return value;
}

/** Reads the command line; throws UsageError with a one-line message. */
export function parseSeedArgs(args: string[], projectRoot: string): SeedCommand {
  let values: { users?: string; 'heavy-users'?: string; seed?: string; out?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { users: { type: 'string' }, 'heavy-users': { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'invalid arguments');
  }
  if (values.users === undefined) throw new UsageError('--users N is required');
  const users = integerOption('users', values.users, 1, MAX_USERS);
  const heavyUsers = values['heavy-users'] === undefined ? 0 : integerOption('heavy-users', values['heavy-users'], 0, MAX_HEAVY_USERS);
  const seed = values.seed === undefined ? DEFAULT_SEED : integerOption('seed', values.seed, -(2 ** 31), 2 ** 31 - 1);
  if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out needs a directory');
  const outDir = resolve(values.out ?? join(projectRoot, '.cache', 'seed', `users-${users}${heavyUsers > 0 ? `-heavy-${heavyUsers}` : ''}-seed-${seed}`));
  return { users, heavyUsers, seed, outDir };
}

/** Differences between the importer's report and the manifest, one phrase each; empty = they agree. */
export function compareWithManifest(report: ImportReport, manifest: SeedManifest): string[] {
  const differences: string[] = [];
  const differ = (what: string, actual: unknown, expected: unknown): void => {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) differences.push(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  };
  for (const file of EXPORT_FILES) {
    const expected = manifest.files[file];
    const actual = report.files[file];
    if (!actual) {
      differences.push(`${file}: missing from the report`);
      continue;
    }
    differ(`${file}.read`, actual.read, expected.read);
    differ(`${file}.inserted`, actual.inserted, expected.freshImport.inserted);
    differ(`${file}.updated+unchanged`, actual.updated + actual.unchanged, expected.freshImport.updated + expected.freshImport.unchanged);
    differ(`${file}.rejectsByReason`, sorted(actual.rejectsByReason), sorted(expected.rejectsByReason));
    differ(`${file}.anomalies`, sorted(withoutZeros(actual.anomalies)), sorted(expected.anomalies));
  }
  differ('reconciliation.orderTotals', sorted(report.reconciliation.orderTotals), sorted(manifest.reconciliation.orderTotals));
  differ('reconciliation.ledgerPoints', report.reconciliation.ledgerPoints, manifest.reconciliation.ledgerPoints);
  return differences;
}

function withoutZeros(counts: Partial<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter((entry): entry is [string, number] => (entry[1] ?? 0) !== 0));
}

function sorted<T>(record: Partial<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b))) as Record<string, T>;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export interface SeedIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Runs the command; resolves to the process exit code. */
export async function runSeedCommand(args: string[], env: NodeJS.ProcessEnv, io: SeedIo): Promise<number> {
  let command: SeedCommand;
  try {
    command = parseSeedArgs(args, PROJECT_ROOT);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`seed: ${error.message} (${USAGE})`);
      return 2;
    }
    throw error;
  }

  const dbName = env.MONGODB_DB ?? 'poco_legacy';
  let database: OpenedDatabase;
  try {
    database = await openDatabase({ uri: env.MONGODB_URI, dbName, log: (message) => io.err(`seed: ${message}`), ...(env.LOCAL_DATABASE_DIR ? { localDir: env.LOCAL_DATABASE_DIR } : {}) });
  } catch (error) {
    io.err(`seed: cannot reach the database${env.MONGODB_URI ? ' in MONGODB_URI' : ''}: ${(error as Error).message.split('\n')[0]}`);
    return 1;
  }

  try {
    const { users, heavyUsers, seed, outDir } = command;
    io.err(`seed: generating ${users} users${heavyUsers > 0 ? ` and ${heavyUsers} heavy users` : ''} (seed ${seed}) into ${outDir}`);
    const manifest = await generateExport({ users, heavyUsers, seed, outDir });
    const lines = EXPORT_FILES.reduce((sum, file) => sum + manifest.files[file].read, 0);
    await writeFile(`${outDir}.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
    io.out(`seed: wrote ${lines} records (${manifest.rejects.length} bad on purpose) for ${users} users in ${seconds(manifest.durationMs)} to ${outDir}`);

    let lastProgress = Date.now();
    const report = await runImport({
      dir: outDir,
      db: database.db,
      rejectsPath: `${outDir}.rejects.ndjson`,
      reportPath: `${outDir}.report.json`,
      onProgress: (progress) => {
        if (Date.now() - lastProgress < 5000) return;
        lastProgress = Date.now();
        io.err(`seed: importing ${progress.file} (${progress.phase}): ${progress.lines} lines, ${progress.totalRecords} records so far`);
      },
    });
    const totals = EXPORT_FILES.map((file) => report.files[file]).reduce(
      (sum, file) => ({
        inserted: sum.inserted + (file?.inserted ?? 0),
        updated: sum.updated + (file?.updated ?? 0),
        unchanged: sum.unchanged + (file?.unchanged ?? 0),
        rejected: sum.rejected + (file?.rejected ?? 0),
      }),
      { inserted: 0, updated: 0, unchanged: 0, rejected: 0 },
    );
    io.out(
      `seed: imported into ${database.description} in ${seconds(report.durationMs)} (${Math.round(report.recordsPerSecond)} records/s): ` +
        `${totals.inserted} inserted, ${totals.updated} updated, ${totals.unchanged} unchanged, ${totals.rejected} rejected`,
    );
    const differences = compareWithManifest(report, manifest);
    if (differences.length === 0) io.out(`seed: the import report matches the generator's manifest (${outDir}.manifest.json)`);
    else io.out(`seed: the import report differs from the generator's manifest: ${differences.join('; ')}`);
    return 0;
  } catch (error) {
    io.err(`seed: ${(error as Error).message.split('\n')[0]}`);
    return 1;
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  runSeedCommand(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`seed: ${(error as Error).message.split('\n')[0]}\n`);
      process.exitCode = 1;
    },
  );
}
