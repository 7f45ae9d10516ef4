/**
 * What the stages of one file's import share: the file, its report, the
 * collection it fills, and the state carried from chunk to chunk (versions of
 * repeated ids held back, unique keys claimed). Created once per file by
 * importFile.ts; every stage takes it as its first argument.
 */
import type { Collection } from 'mongodb';
import type { Doc, ImportRun } from '../importRun';
import type { RecordKind } from '../kinds/kind';
import type { AnomalyKind, ExportFile, FileReport, RejectReason } from '../report';

export interface ImportFileInput {
  run: ImportRun;
  kind: RecordKind<Doc>;
  file: ExportFile;
  /** The file name in the directory (for rejects and the report). */
  name: string;
  path: string;
}

/** One accepted line of an id. */
export interface AcceptedLine {
  line: number;
  raw: string;
  /** The normalised record of this line, to count it against the version before it. */
  doc: Doc;
}

/** The versions of one id seen so far in this file: the latest accepted one and every accepted line. */
export interface HeldRecord {
  doc: Doc;
  anomalies: AnomalyKind[];
  lines: AcceptedLine[];
}

/** A line to reject, with everything its reject record needs. */
export interface LineRejection {
  entry: { line: number; raw: string };
  reason: RejectReason;
  message: string;
  field?: string;
  extra?: object;
}

export interface FileImport {
  readonly run: ImportRun;
  readonly kind: RecordKind<Doc>;
  readonly file: ExportFile;
  readonly name: string;
  readonly path: string;
  readonly report: FileReport;
  readonly collection: Collection<Doc>;
  /** Ids occurring more than once in the file => line of their last occurrence (pass 1). */
  readonly repeats: Map<string, number>;
  /** Earlier versions of repeated ids, held (not written) until their last occurrence. */
  readonly held: Map<string, HeldRecord>;
  /**
   * The collection held no document as the file started: only this run can
   * have written an id (once), so the stored-version and unique-owner look-ups
   * are skipped (on FerretDB 1.24 every `$in` is a collection scan).
   */
  readonly emptyAtStart: boolean;
  /** Unique keys (order_no, store+code) claimed by this run's not-yet-visible documents: key => id, or null once released. */
  readonly claims: Map<string, string | null>;
  chunkNumber: number;
}

export async function openFileImport(input: ImportFileInput, repeats: Map<string, number>): Promise<FileImport> {
  const { run, kind } = input;
  const collection = run.collections[kind.collection] as unknown as Collection<Doc>;
  const emptyAtStart = (await collection.findOne({}, { projection: { _id: 1 } })) === null;
  if (emptyAtStart) run.startsEmpty(kind.collection);
  return {
    ...input,
    report: run.fileReport(input.file, input.name),
    collection,
    repeats,
    held: new Map(),
    emptyAtStart,
    claims: new Map(),
    chunkNumber: 0,
  };
}

/** Counts a line as read and rejected, and writes its reject record. */
export async function rejectLine(state: FileImport, rejection: LineRejection): Promise<void> {
  const { entry, reason, message, field, extra } = rejection;
  state.report.read += 1;
  await state.run.reject(state.report, {
    file: state.name,
    line: entry.line,
    reason,
    ...(field ? { field } : {}),
    message,
    raw: entry.raw,
    ...extra,
  });
}
