/**
 * Stage 3, compare with what is stored: the stored version of each id the
 * chunk writes, the current owners of the unique keys it claims, and for
 * each id to write whether it is new, changed or the same.
 *
 * "The same" and "changed" compare normalised documents (quirk 7), never raw
 * text. Counting policy (read = inserted + updated + unchanged + rejected per
 * file): an id's accepted lines are counted together when the id is written.
 * When its final version equals the stored one, every line is "unchanged" (so
 * a re-import reports nothing inserted or updated). Otherwise each line is
 * compared with the version before it (the stored one, then the previous
 * line's): none => "inserted", equal => "unchanged", different => "updated".
 */
import { isDeepStrictEqual } from 'node:util';
import type { Doc } from '../importRun';
import type { FileImport, HeldRecord, AcceptedLine } from './fileImport';
import type { ChunkEntry } from './read';
import type { Outcome } from './resolve';

export type WriteOutcome = 'inserted' | 'updated' | 'unchanged';

/** One id to write (or to confirm unchanged), with its final version and its stored one. */
export interface PlannedWrite {
  id: string;
  record: HeldRecord;
  stored: Doc | undefined;
  outcome: WriteOutcome;
}

/**
 * The stored versions of these ids. Empty at the start of the file: only this
 * run could have written an id, and it writes each once, so nothing is read
 * (a dry run reads its overlay).
 */
export async function loadStored(state: FileImport, ids: Iterable<string>): Promise<Map<string, Doc>> {
  const { run, kind, emptyAtStart } = state;
  return run.findByIds(kind.collection, emptyAtStart && !run.dryRun ? [] : ids, undefined, { overlayOnly: emptyAtStart });
}

/** The ids of the chunk's records (plus, for the final chunk, the held ones): those whose stored version matters. */
export function idsToCompare(state: FileImport, entries: readonly ChunkEntry[], final: boolean): Set<string> {
  const ids = new Set<string>();
  for (const entry of entries) if ('record' in entry && entry.id !== undefined) ids.add(entry.id);
  if (final) for (const id of state.held.keys()) ids.add(id);
  return ids;
}

/**
 * Current owners (id by key) of the unique keys the accepted documents claim.
 * Empty at the start: owners are this run's documents only, which the claims
 * (within a chunk) and the unique index (across chunks, see write) catch.
 */
export async function findUniqueOwners(state: FileImport, outcomes: readonly Outcome[]): Promise<Map<string, string>> {
  const unique = state.kind.unique;
  if (!unique || state.emptyAtStart || !outcomes.some((o) => o.doc)) return new Map();
  return unique.findOwners(state.collection, outcomes.flatMap((o) => (o.doc ? [o.doc] : [])));
}

/** Each final id against its stored version. */
export function compareWithStored(finals: ReadonlyMap<string, HeldRecord>, stored: ReadonlyMap<string, Doc>): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  for (const [id, record] of finals) {
    const before = stored.get(id);
    const outcome = !before ? 'inserted' : isDeepStrictEqual(before, record.doc) ? 'unchanged' : 'updated';
    writes.push({ id, record, stored: before, outcome });
  }
  return writes;
}

/** Counts an id's accepted lines (see "Counting policy" above). */
export function countLines(
  report: { inserted: number; updated: number; unchanged: number },
  outcome: WriteOutcome,
  stored: Doc | undefined,
  lines: readonly AcceptedLine[],
): void {
  if (outcome === 'unchanged') {
    report.unchanged += lines.length;
    return;
  }
  let previous = stored;
  for (const { doc } of lines) {
    if (previous === undefined) report.inserted += 1;
    else if (isDeepStrictEqual(previous, doc)) report.unchanged += 1;
    else report.updated += 1;
    previous = doc;
  }
}
