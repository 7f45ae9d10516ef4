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
 *
 * Both sides of every comparison are what the export owns: the service's
 * changes are kept in the export's version first (serviceChanges.ts), and the
 * service's own fields are left out of the stored one. So a line that differs
 * only where the service's change wins counts as unchanged.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Doc } from '../importRun';
import type { AnomalyKind } from '../report';
import type { FileImport, HeldRecord } from './fileImport';
import type { ChunkEntry } from './read';
import type { Outcome } from './resolve';
import { exportOwned, keepServiceChanges, type ServiceView } from './serviceChanges';

export type WriteOutcome = 'inserted' | 'updated' | 'unchanged';

/**
 * One id to write (or to confirm unchanged): its export versions, its stored
 * version, and what the service's changes let the importer write.
 */
export interface PlannedWrite {
  id: string;
  /** The versions the export gave (every accepted line, the last one final). */
  record: HeldRecord;
  /** The stored document as read, with the service's fields. */
  stored: Doc | undefined;
  /** The final version to write: the last line's, with the service's changes kept. */
  doc: Doc;
  /** Every accepted line's version with the service's changes kept, to count each line. */
  lineDocs: Doc[];
  /** Service-change anomalies, one entry per line that has one (see serviceChanges.ts). */
  serviceAnomalies: AnomalyKind[];
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

/** Each final id against its stored version, the service's changes kept. */
export function compareWithStored(
  state: FileImport,
  finals: ReadonlyMap<string, HeldRecord>,
  stored: ReadonlyMap<string, Doc>,
  view: ServiceView,
): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  for (const [id, record] of finals) writes.push(planWrite(state, id, record, stored.get(id), view));
  return writes;
}

/** One id against its stored version (also again, after the service changed it under a write). */
export function planWrite(state: FileImport, id: string, record: HeldRecord, stored: Doc | undefined, view: ServiceView): PlannedWrite {
  const lineDocs: Doc[] = [];
  const serviceAnomalies: AnomalyKind[] = [];
  for (const line of record.lines) {
    const kept = keepServiceChanges(state.file, line.doc, stored, view);
    lineDocs.push(kept.doc);
    serviceAnomalies.push(...kept.anomalies);
  }
  // The last line is the final version, except when the file changed between the passes (decide.ts).
  const doc = record.lines.at(-1)?.doc === record.doc ? (lineDocs.at(-1) as Doc) : keepServiceChanges(state.file, record.doc, stored, view).doc;
  const before = exportOwned(stored);
  const outcome = !before ? 'inserted' : isDeepStrictEqual(before, doc) ? 'unchanged' : 'updated';
  return { id, record, stored, doc, lineDocs, serviceAnomalies, outcome };
}

/** Counts an id's accepted lines (see "Counting policy" above). */
export function countLines(
  report: { inserted: number; updated: number; unchanged: number },
  outcome: WriteOutcome,
  stored: Doc | undefined,
  lineDocs: readonly Doc[],
): void {
  if (outcome === 'unchanged') {
    report.unchanged += lineDocs.length;
    return;
  }
  let previous = stored;
  for (const doc of lineDocs) {
    if (previous === undefined) report.inserted += 1;
    else if (isDeepStrictEqual(previous, doc)) report.unchanged += 1;
    else report.updated += 1;
    previous = doc;
  }
}
