/**
 * `npm run import -- DIR [--rejects FILE] [--report FILE] [--dry-run]`
 *
 * Exit codes (runtime.md): 0 the import ran (rejects or not); 2 usage error;
 * 1 it could not run (directory missing or not a directory, an export file
 * unreadable, the rejects file unwritable, the database unreachable) or did
 * not finish (a damaged file: the lines before the damage are imported and
 * the summary names the file, so fixing it and re-running completes the batch).
 */
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/open';
import { readExportDirectory, runImport } from './runImport';
import { ImportInputError, type ImportProgress } from './report';
import { formatSummary } from './summary';

const USAGE = `usage: npm run import -- DIR [--rejects FILE] [--report FILE] [--dry-run]

Imports a POCO export directory into the database in MONGODB_URI (default: the local
development database), database MONGODB_DB (default poco_legacy).

  DIR             the export directory (accounts.ndjson, orders.ndjson[.gz], ...)
  --rejects FILE  where rejected lines go (default: DIR's sibling <DIR name>.rejects.ndjson)
  --report FILE   also write the report as JSON to FILE
  --dry-run       read and check everything, write nothing to the database
  -h, --help      this help`;

class UsageError extends Error {}

interface CliArguments {
  dir: string;
  rejectsPath: string;
  reportPath: string | undefined;
  dryRun: boolean;
}

function parseCliArguments(argv: string[]): CliArguments | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        rejects: { type: 'string' },
        report: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length === 0) throw new UsageError('missing the export directory DIR');
  if (positionals.length > 1) throw new UsageError(`expected one export directory, got ${positionals.length}: ${positionals.join(' ')}`);
  const dir = positionals[0] as string;
  for (const option of ['rejects', 'report'] as const) {
    if (values[option] !== undefined && values[option].trim() === '') throw new UsageError(`--${option} needs a file name`);
  }
  // Never into the export directory itself: it is input, possibly read-only, and a later import would see the file.
  const absolute = resolve(dir);
  const rejectsPath = values.rejects ?? join(dirname(absolute), `${basename(absolute)}.rejects.ndjson`);
  return { dir, rejectsPath, reportPath: values.report, dryRun: values['dry-run'] };
}

function progressPrinter(): ((progress: ImportProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let lastPrint = 0;
  return (progress) => {
    const now = Date.now();
    if (now - lastPrint < 200) return;
    lastPrint = now;
    const rate = progress.elapsedMs > 0 ? Math.round((progress.totalRecords * 1000) / progress.elapsedMs) : 0;
    const what =
      progress.phase === 'balances'
        ? `points balances: ${progress.lines} accounts`
        : `${progress.phase === 'scan' ? 'scanning' : 'importing'} ${progress.file}: line ${progress.lines.toLocaleString('en')}`;
    process.stderr.write(`\r\x1b[K${what} · ${rate.toLocaleString('en')} lines/s`);
  };
}

async function main(argv: string[]): Promise<number> {
  let args: CliArguments | 'help';
  try {
    args = parseCliArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  // Check the directory before starting or reaching a database.
  try {
    await readExportDirectory(args.dir);
  } catch (error) {
    if (error instanceof ImportInputError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  let database;
  try {
    database = await openDatabase({
      uri: process.env.MONGODB_URI || undefined,
      dbName: process.env.MONGODB_DB || 'poco_legacy',
      log: (message) => process.stderr.write(`${message}\n`),
      ...(process.env.LOCAL_DATABASE_DIR ? { localDir: process.env.LOCAL_DATABASE_DIR } : {}),
    });
  } catch (error) {
    process.stderr.write(`error: cannot reach the database: ${(error as Error).message}\n`);
    return 1;
  }

  const onProgress = progressPrinter();
  try {
    process.stderr.write(`${args.dryRun ? 'Checking' : 'Importing'} ${resolve(args.dir)} into ${database.description}\n`);
    const report = await runImport({
      dir: args.dir,
      db: database.db,
      rejectsPath: args.rejectsPath,
      reportPath: args.reportPath,
      dryRun: args.dryRun,
      ...(onProgress ? { onProgress } : {}),
    });
    if (onProgress) process.stderr.write('\r\x1b[K');
    process.stdout.write(formatSummary(report));
    if (args.reportPath) process.stdout.write(`Report written to ${resolve(args.reportPath)}\n`);
    if (!report.complete) {
      const damaged = Object.values(report.files).flatMap((file) => (file?.damaged ? [`${file.damaged.file}: ${file.damaged.message}`] : []));
      process.stderr.write(`error: import incomplete: ${damaged.join('; ')}\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (onProgress) process.stderr.write('\r\x1b[K');
    if (error instanceof ImportInputError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`error: the import stopped: ${(error as Error).message}\n(what was written so far is consistent: run the same command again to finish)\n`);
    return 1;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
