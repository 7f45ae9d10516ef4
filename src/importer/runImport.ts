/**
 * Imports a POCO export directory (poco-export-format.md) into the service's
 * collections. See importFile.ts for how one file is read, compared and
 * written, and pointsBalances.ts for the derived balances.
 *
 * Before anything is written the directory is checked: it must exist, and
 * every export file in it must be a readable regular file, so a batch is
 * never half-imported because its fourth file turned out unreadable. Files
 * are imported in dependency order whatever their names' order; other files
 * are left alone and listed in the report.
 */
import { constants } from 'node:fs';
import { access, readdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureIndexes } from '../db/collections';
import { importFile } from './importFile';
import { ImportRun } from './importRun';
import { RECORD_KINDS } from './kinds';
import { recomputePointsBalances } from './pointsBalances';
import { discardRejects, openRejectsFile } from './rejects';
import { EXPORT_FILES, ImportInputError, type ExportFile, type ImportOptions, type ImportReport } from './report';

export * from './report';

const EXPORT_FILE_NAME = new RegExp(`^(${EXPORT_FILES.join('|')})\\.ndjson(\\.gz)?$`, 'i');

export interface ExportDirectory {
  dir: string;
  /** The export files present, in import order. */
  files: { kind: ExportFile; name: string; path: string }[];
  ignoredFiles: string[];
}

/** Lists and checks an export directory; throws ImportInputError when it cannot be imported. */
export async function readExportDirectory(dir: string): Promise<ExportDirectory> {
  const absolute = resolve(dir);
  let entries: string[];
  try {
    const info = await stat(absolute);
    if (!info.isDirectory()) throw new ImportInputError(`${dir} is not a directory`);
    entries = (await readdir(absolute)).sort();
  } catch (error) {
    if (error instanceof ImportInputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ImportInputError(`export directory ${dir} does not exist`);
    throw new ImportInputError(`cannot read export directory ${dir}: ${(error as Error).message}`);
  }

  const found = new Map<ExportFile, { kind: ExportFile; name: string; path: string }>();
  const ignoredFiles: string[] = [];
  for (const name of entries) {
    const match = EXPORT_FILE_NAME.exec(name);
    if (!match) {
      ignoredFiles.push(name);
      continue;
    }
    const kind = (match[1] as string).toLowerCase() as ExportFile;
    const path = join(absolute, name);
    const other = found.get(kind);
    if (other) {
      throw new ImportInputError(`${dir} holds both ${other.name} and ${name}: keep one of them`);
    }
    let info;
    try {
      info = await stat(path);
      await access(path, constants.R_OK);
    } catch (error) {
      throw new ImportInputError(`cannot read ${path}: ${(error as Error).message}`);
    }
    if (!info.isFile()) throw new ImportInputError(`${path} is not a regular file`);
    found.set(kind, { kind, name, path });
  }
  return {
    dir: absolute,
    files: EXPORT_FILES.flatMap((kind) => {
      const file = found.get(kind);
      return file ? [file] : [];
    }),
    ignoredFiles,
  };
}

export async function runImport(options: ImportOptions): Promise<ImportReport> {
  const directory = await readExportDirectory(options.dir);
  let rejects = discardRejects();
  if (options.rejectsPath !== undefined) {
    try {
      rejects = await openRejectsFile(options.rejectsPath);
    } catch (error) {
      throw new ImportInputError(`cannot write the rejects file ${options.rejectsPath}: ${(error as Error).message}`);
    }
  }
  const run = new ImportRun(options, rejects);
  let balancesRecomputed = 0;
  let rejectsWritten = 0;
  try {
    if (!run.dryRun) await ensureIndexes(options.db);
    for (const { kind, name, path } of directory.files) {
      await importFile({ run, kind: RECORD_KINDS[kind], file: kind, name, path });
      if (kind === 'points_ledger') {
        const result = await recomputePointsBalances(run, (done) =>
          run.progress({ file: name, kind, phase: 'balances', lines: done }),
        );
        balancesRecomputed = result.accounts;
        const report = run.files.points_ledger;
        if (report && result.mismatches > 0) report.anomalies.balance_mismatch = result.mismatches;
      }
    }
  } finally {
    rejectsWritten = await rejects.close();
  }
  const report = run.buildReport({
    dir: directory.dir,
    rejectsPath: rejectsWritten > 0 ? (options.rejectsPath ?? null) : null,
    ignoredFiles: directory.ignoredFiles,
    balancesRecomputed,
  });
  if (options.reportPath !== undefined) await writeFile(options.reportPath, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
