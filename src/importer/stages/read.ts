/**
 * Stage 1, read and parse: the file's lines as JSON records, in chunks.
 *
 * Two streaming passes over the file. Pass 1 (scanRepeatedIds) finds the ids
 * that occur more than once and the line of their last occurrence, so pass 2
 * can hold an id's earlier versions and write it once, with its last
 * accepted version. Pass 2 (readChunks) parses every line and hands chunks of
 * `run.chunkSize` lines to the other stages.
 *
 * Memory: pass 1 holds one entry per distinct id of the file (a string and a
 * number); pass 2 holds one chunk.
 */
import type { JsonObject } from '../fields';
import { parseRecordLine } from '../json';
import { DamagedFileError, readFileLines, type FileLine } from '../lines';
import type { RejectReason } from '../report';
import type { ImportFileInput } from './fileImport';

/** One non-blank line of the file: a record, a line that could not be read, or one that is not a JSON object. */
export type ChunkEntry =
  | { line: number; raw: string; record: JsonObject; id: string | undefined }
  | { line: number; raw: string; bad: Extract<FileLine, { kind: 'bad_line' }> }
  | { line: number; raw: string; invalid: { reason: RejectReason; message: string } };

export interface Chunk {
  entries: ChunkEntry[];
  /** The file's last chunk (possibly empty). */
  final: boolean;
  /** Line number of the last line read so far (for progress). */
  lastLine: number;
  /** Set on the final chunk when the file could not be read to its end. */
  damaged?: string;
}

export function idOf(record: JsonObject, idField: string): string | undefined {
  const value = record[idField];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Pass 1: ids occurring more than once, with the line of their last occurrence. */
export async function scanRepeatedIds(input: ImportFileInput): Promise<Map<string, number>> {
  const { run, kind, file, name, path } = input;
  const lastLine = new Map<string, number>();
  const repeated = new Set<string>();
  let lines = 0;
  try {
    for await (const entry of readFileLines(path, run.maxLineBytes)) {
      lines = entry.line;
      if (entry.kind !== 'line') continue;
      const parsed = parseRecordLine(entry.text);
      if (!parsed.ok) continue;
      const id = idOf(parsed.record, kind.idField);
      if (id === undefined) continue;
      if (lastLine.has(id)) repeated.add(id);
      lastLine.set(id, entry.line);
      if (entry.line % 50_000 === 0) run.progress({ file: name, kind: file, phase: 'scan', lines: entry.line });
    }
  } catch (error) {
    // Damage is reported by pass 2, which reads the same bytes up to the same point.
    if (!(error instanceof DamagedFileError)) throw error;
  }
  run.progress({ file: name, kind: file, phase: 'scan', lines });
  const result = new Map<string, number>();
  for (const id of repeated) result.set(id, lastLine.get(id) ?? 0);
  return result;
}

/** Pass 2: the file's lines, parsed, in chunks of `run.chunkSize`; always ends with one chunk marked final. */
export async function* readChunks(input: ImportFileInput): AsyncGenerator<Chunk> {
  const { run, kind, path } = input;
  let entries: ChunkEntry[] = [];
  let lastLine = 0;
  let damaged: string | undefined;
  try {
    for await (const entry of readFileLines(path, run.maxLineBytes)) {
      lastLine = entry.line;
      if (entry.kind === 'bad_line') {
        entries.push({ line: entry.line, raw: entry.raw, bad: entry });
      } else {
        const parsed = parseRecordLine(entry.text);
        if (parsed.ok) {
          entries.push({ line: entry.line, raw: entry.text, record: parsed.record, id: idOf(parsed.record, kind.idField) });
        } else {
          entries.push({ line: entry.line, raw: entry.text, invalid: { reason: parsed.reason, message: parsed.message } });
        }
      }
      if (entries.length >= run.chunkSize) {
        yield { entries, final: false, lastLine };
        entries = [];
      }
    }
  } catch (error) {
    if (!(error instanceof DamagedFileError)) throw error;
    damaged = error.message;
  }
  yield { entries, final: true, lastLine, ...(damaged !== undefined ? { damaged } : {}) };
}
