/**
 * Imports one export file in two streaming passes.
 *
 * Pass 1 (scan) finds the ids that occur more than once in the file and the
 * line of their last occurrence. Pass 2 reads chunks of lines, looks up what
 * they reference with one `$in` query per referenced collection, normalises
 * each record, and writes each id once, with its last accepted version: an
 * earlier version of a repeated id is held (not written) until its last
 * occurrence. So re-importing a file whose ids repeat changes nothing and is
 * reported as unchanged, instead of flapping between versions.
 *
 * Counting policy (read = inserted + updated + unchanged + rejected per file):
 * an id's accepted lines are counted together when the id is written. When
 * its final version equals the database's, every line is "unchanged" (so a
 * re-import reports nothing inserted or updated). Otherwise each line is
 * compared, as a normalised record, with the version before it (the
 * database's, then the previous line's): none => "inserted", equal =>
 * "unchanged", different => "updated" (quirk 7).
 * If the last occurrence is rejected, the latest accepted earlier version is
 * the one kept ("the later record replaces the earlier" only when it is a
 * record the importer can keep).
 *
 * Memory: pass 1 holds one entry per distinct id of the file (a string and a
 * number); pass 2 holds a chunk plus the held versions of repeated ids.
 *
 * Database round trips per chunk: one `$in` per referenced collection (only
 * for references the run has not written itself, see ImportRun.findReferences),
 * one `$in` for the chunk's own ids, one for the unique keys, one bulkWrite.
 * When the collection was empty as the file started, the last two look-ups are
 * skipped: only this run can have written an id (once), and a unique key taken
 * in an earlier chunk is caught by the unique index at insert time. That is
 * what makes a first import fast on FerretDB 1.24, where every `$in` is a
 * collection scan.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AnyBulkWriteOperation, Collection, MongoBulkWriteError } from 'mongodb';
import type { PointsEntryDoc } from '../db/documents';
import type { PocoStore } from '../shared/codes';
import { Fields, RecordRejection, type JsonObject } from './fields';
import type { Doc, ImportRun } from './importRun';
import { parseRecordLine } from './json';
import type { RecordKind, ReferenceLookup, References } from './kinds/kind';
import { DamagedFileError, readFileLines, type FileLine } from './lines';
import type { AnomalyKind, ExportFile, FileReport, RejectReason } from './report';

/**
 * Replacements per bulkWrite. FerretDB 1.24 handles an update command of up to
 * ~50 statements at ~5 ms each, but one of 100 or more took minutes (measured
 * on the local server; MongoDB has no such limit, and 50 costs it nothing).
 */
export const UPDATES_PER_BULK_WRITE = 50;

interface AcceptedLine {
  line: number;
  raw: string;
  /** The normalised record of this line, to count it against the version before it. */
  doc: Doc;
}

/** The versions of one id seen so far in this file: the latest accepted one and every accepted line. */
interface HeldRecord {
  doc: Doc;
  anomalies: AnomalyKind[];
  lines: AcceptedLine[];
}

type ChunkEntry =
  | { line: number; raw: string; record: JsonObject; id: string | undefined }
  | { line: number; raw: string; bad: Extract<FileLine, { kind: 'bad_line' }> }
  | { line: number; raw: string; invalid: { reason: RejectReason; message: string } };

export interface ImportFileInput {
  run: ImportRun;
  kind: RecordKind<Doc>;
  file: ExportFile;
  /** The file name in the directory (for rejects and the report). */
  name: string;
  path: string;
}

function idOf(record: JsonObject, idField: string): string | undefined {
  const value = record[idField];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Pass 1: ids occurring more than once, with the line of their last occurrence. */
async function scanRepeatedIds(input: ImportFileInput): Promise<Map<string, number>> {
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

export async function importFile(input: ImportFileInput): Promise<void> {
  const { run, kind, file, name, path } = input;
  const report = run.fileReport(file, name);
  const repeats = await scanRepeatedIds(input);
  const collection = run.collections[kind.collection] as unknown as Collection<Doc>;
  const held = new Map<string, HeldRecord>();
  const emptyAtStart = (await collection.findOne({}, { projection: { _id: 1 } })) === null;
  if (emptyAtStart) run.startsEmpty(kind.collection);
  /** Unique keys (order_no, store+code) claimed by this run's not-yet-visible documents: key => id, or null once released. */
  const claims = new Map<string, string | null>();
  let chunk: ChunkEntry[] = [];
  let chunkNumber = 0;
  let lastLine = 0;

  const flush = async (final: boolean): Promise<void> => {
    if (chunk.length > 0 || (final && held.size > 0)) {
      await processChunk(chunk, final);
      chunkNumber += 1;
      run.totalRecords += chunk.length;
      chunk = [];
      run.progress({ file: name, kind: file, phase: 'import', lines: lastLine });
      await run.options.afterChunk?.(file, chunkNumber);
    }
  };

  async function rejectLine(entry: { line: number; raw: string }, reason: RejectReason, message: string, field?: string, extra?: object): Promise<void> {
    report.read += 1;
    await run.reject(report, { file: name, line: entry.line, reason, ...(field ? { field } : {}), message, raw: entry.raw, ...extra });
  }

  async function processChunk(entries: ChunkEntry[], final: boolean): Promise<void> {
    // 1. What the chunk references and which of its ids exist already: one query per collection.
    const references: References = { accounts: new Set(), orders: new Set(), coupons: new Set() };
    const ids = new Set<string>();
    for (const entry of entries) {
      if (!('record' in entry)) continue;
      kind.collectReferences(new Fields(entry.record), references);
      if (entry.id !== undefined) ids.add(entry.id);
    }
    if (final) for (const id of held.keys()) ids.add(id);
    const [accounts, orders, coupons, existing] = await Promise.all([
      run.findReferences('accounts', references.accounts),
      run.findReferences('orders', references.orders),
      run.findReferences('coupons', references.coupons),
      // Empty at the start of this file: only this run could have written an id, and it writes each once.
      run.findByIds(kind.collection, emptyAtStart && !run.dryRun ? [] : ids, undefined, { overlayOnly: emptyAtStart }),
    ]);
    const lookup: ReferenceLookup = {
      accountStore: (id) => accounts.get(id) as PocoStore | undefined,
      orderExists: (id) => orders.has(id),
      couponStore: (id) => coupons.get(id) as PocoStore | undefined,
    };

    // 2. Normalise every record.
    type Outcome = { entry: ChunkEntry; doc?: Doc; anomalies?: AnomalyKind[]; rejection?: RecordRejection };
    const outcomes: Outcome[] = entries.map((entry) => {
      if (!('record' in entry)) return { entry };
      try {
        const { doc, anomalies } = kind.normalize(new Fields(entry.record), lookup);
        return { entry, doc, anomalies };
      } catch (error) {
        if (error instanceof RecordRejection) return { entry, rejection: error };
        throw error;
      }
    });

    // 3. Current owners of the unique keys the accepted records claim.
    const unique = kind.unique;
    // Empty at the start: owners are this run's documents only, which the claims (within a
    // chunk) and the unique index (across chunks, see write) already catch.
    const owners =
      unique && !emptyAtStart && outcomes.some((o) => o.doc)
        ? await unique.findOwners(collection, outcomes.flatMap((o) => (o.doc ? [o.doc] : [])))
        : new Map<string, string>();
    const ownerOf = (key: string): string | undefined => {
      if (claims.has(key)) return claims.get(key) ?? undefined;
      return owners.get(key);
    };

    // 4. In line order: reject, hold, or make final.
    const finals = new Map<string, HeldRecord>();
    const makeFinal = (id: string, record: HeldRecord): void => {
      const earlier = finals.get(id);
      finals.set(id, earlier ? { ...record, lines: [...earlier.lines, ...record.lines] } : record);
    };
    const afterRejection = (id: string | undefined, line: number): void => {
      // A rejected last occurrence: the latest accepted earlier version is the one kept.
      if (id === undefined || repeats.get(id) !== line) return;
      const record = held.get(id);
      if (record) {
        held.delete(id);
        makeFinal(id, record);
      }
    };

    for (const { entry, doc, anomalies, rejection } of outcomes) {
      if ('bad' in entry) {
        const { bad } = entry;
        await rejectLine(entry, bad.reason, bad.message, undefined, {
          ...(bad.rawBase64 ? { rawBase64: bad.rawBase64 } : {}),
          ...(bad.rawTruncated ? { rawTruncated: true, rawBytes: bad.rawBytes } : {}),
        });
        continue;
      }
      if ('invalid' in entry) {
        await rejectLine(entry, entry.invalid.reason, entry.invalid.message);
        continue;
      }
      if (rejection || !doc) {
        await rejectLine(entry, rejection?.reason ?? 'invalid_value', rejection?.message ?? 'rejected', rejection?.field);
        afterRejection(entry.id, entry.line);
        continue;
      }
      const id = doc._id;
      if (unique) {
        const key = unique.keyOf(doc);
        const owner = ownerOf(key);
        if (owner !== undefined && owner !== id) {
          await rejectLine(entry, unique.reason, `${unique.describe(doc)} already belongs to ${kind.idField} "${owner}"`, unique.field);
          afterRejection(id, entry.line);
          continue;
        }
        const previous = held.get(id)?.doc ?? finals.get(id)?.doc ?? existing.get(id);
        if (previous) {
          const previousKey = unique.keyOf(previous);
          if (previousKey !== key && ownerOf(previousKey) === id) claims.set(previousKey, null);
        }
        claims.set(key, id);
      }
      const record: HeldRecord = held.get(id) ?? { doc, anomalies: anomalies ?? [], lines: [] };
      record.doc = doc;
      record.anomalies = anomalies ?? [];
      record.lines.push({ line: entry.line, raw: entry.raw, doc });
      if ((repeats.get(id) ?? 0) > entry.line) {
        held.set(id, record);
      } else {
        held.delete(id);
        makeFinal(id, record);
      }
    }
    if (final) {
      // Only if the file changed between the passes: whatever is still held is final now.
      for (const [id, record] of held) makeFinal(id, record);
      held.clear();
    }

    // 5. Compare with the database and write what changed, each id once.
    const writes: { id: string; record: HeldRecord; outcome: 'inserted' | 'updated' | 'unchanged' }[] = [];
    for (const [id, record] of finals) {
      const before = existing.get(id);
      const outcome = !before ? 'inserted' : isDeepStrictEqual(before, record.doc) ? 'unchanged' : 'updated';
      writes.push({ id, record, outcome });
      if (file === 'points_ledger') {
        run.ledgerAccounts.add((record.doc as unknown as PointsEntryDoc).accountId);
        if (before) run.ledgerAccounts.add((before as unknown as PointsEntryDoc).accountId);
      }
    }
    const failed = await write(writes.filter((w) => w.outcome !== 'unchanged'));

    // 6. Count.
    for (const { id, record, outcome } of writes) {
      const failure = failed.get(id);
      if (failure !== undefined) {
        for (const line of record.lines) {
          if (failure.duplicateKey && unique) {
            // The unique index saw the key taken by a document written in an earlier chunk.
            await rejectLine(line, unique.reason, `${unique.describe(record.doc)} already belongs to another ${kind.idField}`, unique.field);
          } else {
            await rejectLine(line, 'write_failed', `the database refused the record: ${failure.message}`);
          }
        }
        continue;
      }
      report.read += record.lines.length;
      countLines(report, outcome, existing.get(id), record.lines);
      run.countAnomalies(report, record.anomalies);
      if (file === 'accounts' || file === 'orders' || file === 'coupons') run.remember(file, id, String(record.doc.store));
      if (file === 'orders') run.addOrderTotal(String(record.doc.currency), Number(record.doc.total));
      if (file === 'points_ledger') run.addLedgerPoints(Number(record.doc.points));
    }

    // 7. Claims of written documents are visible in the database now; keep those of held ones.
    if (!run.dryRun && unique) {
      claims.clear();
      for (const [id, record] of held) claims.set(unique.keyOf(record.doc), id);
    }
  }

  /**
   * Writes changed documents in one unordered bulkWrite: new ids as insertOne,
   * changed ones as replaceOne by _id. Not a blanket upsert: FerretDB 1.24
   * (SQLite) runs every replaceOne as a collection scan (measured ~100 ms per
   * operation at 20k documents) but inserts in bulk cheaply, and a first
   * import, the big one, inserts only. Answers the ids the database refused, with why.
   */
  async function write(
    writes: { id: string; record: HeldRecord; outcome: 'inserted' | 'updated' | 'unchanged' }[],
  ): Promise<Map<string, { message: string; duplicateKey: boolean }>> {
    const failed = new Map<string, { message: string; duplicateKey: boolean }>();
    if (writes.length === 0) return failed;
    if (run.dryRun) {
      const overlay = run.overlayOf(kind.collection);
      for (const { id, record } of writes) overlay.set(id, record.doc);
      return failed;
    }
    // Inserts all in one bulkWrite; replacements at most UPDATES_PER_BULK_WRITE at a time (see there).
    const inserts = writes.filter((w) => w.outcome === 'inserted');
    const updates = writes.filter((w) => w.outcome !== 'inserted');
    const batches = [inserts];
    for (let start = 0; start < updates.length; start += UPDATES_PER_BULK_WRITE) {
      batches.push(updates.slice(start, start + UPDATES_PER_BULK_WRITE));
    }
    for (const batch of batches) {
      if (batch.length === 0) continue;
      const operations: AnyBulkWriteOperation<Doc>[] = batch.map(({ id, record, outcome }) =>
        outcome === 'inserted'
          ? { insertOne: { document: record.doc } }
          : { replaceOne: { filter: { _id: id }, replacement: record.doc, upsert: true } },
      );
      try {
        await collection.bulkWrite(operations, { ordered: false });
      } catch (error) {
        const writeErrors = (error as MongoBulkWriteError).writeErrors;
        if (!writeErrors) throw error;
        let mapped = 0;
        for (const writeError of Array.isArray(writeErrors) ? writeErrors : [writeErrors]) {
          const target = batch[writeError.index];
          if (!target) continue;
          mapped += 1;
          failed.set(target.id, { message: writeError.errmsg ?? `code ${writeError.code}`, duplicateKey: writeError.code === 11000 });
        }
        if (mapped === 0) throw error;
      }
    }
    return failed;
  }

  try {
    for await (const entry of readFileLines(path, run.maxLineBytes)) {
      lastLine = entry.line;
      if (entry.kind === 'bad_line') {
        chunk.push({ line: entry.line, raw: entry.raw, bad: entry });
      } else {
        const parsed = parseRecordLine(entry.text);
        if (parsed.ok) {
          chunk.push({ line: entry.line, raw: entry.text, record: parsed.record, id: idOf(parsed.record, kind.idField) });
        } else {
          chunk.push({ line: entry.line, raw: entry.text, invalid: { reason: parsed.reason, message: parsed.message } });
        }
      }
      if (chunk.length >= run.chunkSize) await flush(false);
    }
  } catch (error) {
    if (!(error instanceof DamagedFileError)) throw error;
    report.damaged = { file: name, message: error.message };
  }
  await flush(true);
}

/** Counts an id's accepted lines (see "Counting policy" at the top). */
function countLines(
  report: { inserted: number; updated: number; unchanged: number },
  outcome: 'inserted' | 'updated' | 'unchanged',
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
