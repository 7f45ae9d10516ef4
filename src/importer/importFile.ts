/**
 * Imports one export file, chunk by chunk, through named stages (./stages/):
 *
 *   1. read and parse     read.ts      two streaming passes: repeated ids, then chunks of JSON records
 *   2. resolve references resolve.ts   what the records point at, then each record normalised
 *   3. compare            compare.ts   stored versions and unique-key owners; new, changed or the same
 *   4. decide             decide.ts    in line order: reject, hold (id repeats later) or make final
 *   5. write              write.ts     each id once, with its last accepted version
 *   6. count              count.ts     the report: lines, anomalies, reconciliation sums
 *
 * Changes made in the service win over the export (serviceChanges.ts): the
 * compare stage keeps them in the version to write, the write stage never
 * touches the service's fields and re-decides an account the service changed
 * under it, and after an orders or feedback file an erasure decided meanwhile
 * is caught up with (write.ts catchUpWithErasures).
 *
 * An earlier version of a repeated id is held (not written) until its last
 * occurrence, so re-importing a file whose ids repeat changes nothing and is
 * reported as unchanged, instead of flapping between versions.
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
import type { Doc } from './importRun';
import { compareWithStored, findUniqueOwners, idsToCompare, loadStored, planWrite, type PlannedWrite } from './stages/compare';
import { countWrites, noteLedgerAccounts } from './stages/count';
import { decide, releaseWrittenClaims } from './stages/decide';
import { openFileImport, rejectLine, serviceView, type FileImport, type ImportFileInput } from './stages/fileImport';
import { readChunks, scanRepeatedIds, type ChunkEntry } from './stages/read';
import { normalizeEntries, resolveReferences } from './stages/resolve';
import { catchUpWithErasures, writeChanges, type WriteFailure } from './stages/write';

export type { ImportFileInput } from './stages/fileImport';
export { UPDATES_PER_BULK_WRITE } from './stages/write';

/** Times an account the service keeps changing under the import is read and decided again before its lines are rejected. */
const WRITE_ATTEMPTS = 5;

export async function importFile(input: ImportFileInput): Promise<void> {
  const repeats = await scanRepeatedIds(input);
  const state = await openFileImport(input, repeats);
  for await (const chunk of readChunks(input)) {
    if (chunk.damaged !== undefined) state.report.damaged = { file: input.name, message: chunk.damaged };
    if (chunk.entries.length === 0 && !(chunk.final && state.held.size > 0)) continue;
    await importChunk(state, chunk.entries, chunk.final);
    state.chunkNumber += 1;
    input.run.totalRecords += chunk.entries.length;
    input.run.progress({ file: input.name, kind: input.file, phase: 'import', lines: chunk.lastLine });
    await input.run.options.afterChunk?.(input.file, state.chunkNumber);
  }
  await catchUpWithErasures(state);
}

async function importChunk(state: FileImport, entries: ChunkEntry[], final: boolean): Promise<void> {
  // References and stored versions are independent: one round trip for all of them.
  const [lookup, stored] = await Promise.all([
    resolveReferences(state, entries),
    loadStored(state, idsToCompare(state, entries, final)),
  ]);
  const outcomes = normalizeEntries(state, entries, lookup);
  const owners = await findUniqueOwners(state, outcomes);
  const { finals, rejections } = decide(state, outcomes, stored, owners, final);
  for (const rejection of rejections) await rejectLine(state, rejection);
  const writes = compareWithStored(state, finals, stored, serviceView(state));
  noteLedgerAccounts(state, writes);
  await state.run.options.beforeWrite?.(state.file, state.chunkNumber + 1);
  const failed = await writeSettled(state, writes);
  await countWrites(state, writes, failed);
  releaseWrittenClaims(state);
}

/**
 * Writes what changed; an account the service changed between the read and
 * the write (its conditional update matched nothing) is read again and
 * decided anew, in place in `writes`, so it is counted as finally written.
 */
async function writeSettled(state: FileImport, writes: PlannedWrite[]): Promise<Map<string, WriteFailure>> {
  const failed = new Map<string, WriteFailure>();
  const indexOf = new Map(writes.map((plan, index) => [plan.id, index]));
  let pending = writes.filter((plan) => plan.outcome !== 'unchanged');
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const result = await writeChanges(state, pending);
    for (const [id, failure] of result.failed) failed.set(id, failure);
    if (result.unmatched.length === 0) break;
    if (attempt === WRITE_ATTEMPTS) {
      for (const id of result.unmatched) {
        failed.set(id, { message: 'the account kept changing in the service during the import; import again', duplicateKey: false });
      }
      break;
    }
    const fresh: Map<string, Doc> = await state.run.findByIds(state.kind.collection, result.unmatched);
    pending = [];
    for (const id of result.unmatched) {
      const index = indexOf.get(id) as number;
      const replanned = planWrite(state, id, (writes[index] as PlannedWrite).record, fresh.get(id), serviceView(state));
      writes[index] = replanned;
      if (replanned.outcome !== 'unchanged') pending.push(replanned);
    }
  }
  return failed;
}
