/**
 * Helpers of the importer tests: fixture directories, temporary export
 * directories, the rejects file, and a snapshot of every collection the
 * importer writes (to prove "the database is identical").
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db, Document } from 'mongodb';
import { COLLECTION_NAMES } from '../../src/db/collections';
import type { RejectRecord } from '../../src/importer/rejects';
import type { ImportReport } from '../../src/importer/report';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'exports');

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** A temporary directory, removed by `cleanUp`. */
export class TempDirs {
  private readonly dirs: string[] = [];

  make(label = 'export'): string {
    const dir = mkdtempSync(join(tmpdir(), `poco-${label}-`));
    this.dirs.push(dir);
    return dir;
  }

  /** A temporary copy of a fixture directory (to add generated files to it). */
  copyOf(fixtureName: string): string {
    const dir = this.make(fixtureName);
    cpSync(fixture(fixtureName), dir, { recursive: true });
    return dir;
  }

  cleanUp(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes NDJSON files: each value is either the file's text or a list of records. */
export function writeExport(dir: string, files: Record<string, string | object[]>): string {
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : `${content.map((record) => JSON.stringify(record)).join('\n')}\n`);
  }
  return dir;
}

export function readRejects(path: string): RejectRecord[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RejectRecord);
}

/** Line `line` (1-based) of a file as stored. */
export function lineOf(path: string, line: number): string {
  return readFileSync(path, 'utf8').split('\n')[line - 1] ?? '';
}

/** Every document the importer writes, per collection, sorted by _id. */
export async function snapshot(db: Db): Promise<Record<string, Document[]>> {
  const result: Record<string, Document[]> = {};
  for (const name of Object.values(COLLECTION_NAMES)) {
    result[name] = await db.collection(name).find().sort({ _id: 1 }).toArray();
  }
  return result;
}

/** read = inserted + updated + unchanged + rejected, for every file of the report. */
export function expectLinesAccountedFor(report: ImportReport): void {
  for (const [name, file] of Object.entries(report.files)) {
    expect({ name, read: file?.read }).toEqual({
      name,
      read: (file?.inserted ?? 0) + (file?.updated ?? 0) + (file?.unchanged ?? 0) + (file?.rejected ?? 0),
    });
  }
}
