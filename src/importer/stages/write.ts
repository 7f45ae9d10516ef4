/**
 * Stage 5, write: the changed documents of a chunk, each id once.
 *
 * New ids go in as insertOne, changed ones as replaceOne by _id, in unordered
 * bulkWrites. Not a blanket upsert: FerretDB 1.24 (SQLite) runs a replaceOne
 * far slower than an insert in bulk, and a first import, the big one, inserts
 * only. Answers the ids the database refused, with why.
 */
import type { AnyBulkWriteOperation, MongoBulkWriteError } from 'mongodb';
import type { Doc } from '../importRun';
import type { PlannedWrite } from './compare';
import type { FileImport } from './fileImport';

/**
 * Replacements per bulkWrite. FerretDB 1.24 handles an update command of up to
 * ~50 statements at ~5 ms each, but one of 100 or more took minutes (measured
 * on the local server; MongoDB has no such limit, and 50 costs it nothing).
 */
export const UPDATES_PER_BULK_WRITE = 50;

export interface WriteFailure {
  message: string;
  /** The unique index refused it: a key taken by a document written in an earlier chunk. */
  duplicateKey: boolean;
}

export async function writeChanges(state: FileImport, writes: readonly PlannedWrite[]): Promise<Map<string, WriteFailure>> {
  const { run, kind, collection } = state;
  const failed = new Map<string, WriteFailure>();
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
