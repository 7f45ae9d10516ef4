/**
 * Stage 5, write: the changed documents of a chunk, each id once.
 *
 * New ids go in as insertOne, changed ones as replaceOne by _id, in unordered
 * bulkWrites. Not a blanket upsert: FerretDB 1.24 (SQLite) runs a replaceOne
 * far slower than an insert in bulk, and a first import, the big one, inserts
 * only. Answers the ids the database refused, with why.
 *
 * Accounts carry fields only the service writes (serviceLink, erasure, audit),
 * and the service may change an account between this chunk's read and its
 * write. So a changed account is never replaced: it gets a $set (and $unset)
 * of the export-owned fields that differ from the version read. Those the
 * service may also change (xiaomiUserId, email, displayName) are written only
 * under a filter that the service field deciding them (serviceLink, erasure)
 * is still absent; such an update that matches nothing is answered as
 * `unmatched`, for the caller to read the account again and decide anew. The
 * conditional filter costs a collection scan per update on FerretDB 1.24
 * (only a lone {_id} is pushed down), so it is used only when one of those
 * three fields changes; every other account update filters by _id alone.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AnyBulkWriteOperation, Filter, MongoBulkWriteError } from 'mongodb';
import type { Doc } from '../importRun';
import type { PlannedWrite } from './compare';
import type { FileImport } from './fileImport';
import { exportOwned, serviceFieldsOf } from './serviceChanges';

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

export interface WriteResult {
  failed: Map<string, WriteFailure>;
  /** Accounts whose conditional update matched nothing: the service changed them since they were read. */
  unmatched: string[];
}

/** Export-owned account fields the service also writes, with the service field that decides each. */
const GUARDED_ACCOUNT_FIELDS: Record<string, 'serviceLink' | 'erasure'> = {
  xiaomiUserId: 'serviceLink',
  email: 'erasure',
  displayName: 'erasure',
};

interface AccountUpdate {
  operation: AnyBulkWriteOperation<Doc>;
  /** Filtered on service fields being absent: may match nothing. */
  conditional: boolean;
}

/** The update of a changed account: only what differs from the version read, service fields untouched. */
export function accountUpdate(plan: PlannedWrite): AccountUpdate {
  const before: Record<string, unknown> = exportOwned(plan.stored) ?? {};
  const set: Record<string, unknown> = {};
  const unset: Record<string, ''> = {};
  const filter: Record<string, unknown> = { _id: plan.id };
  let conditional = false;
  for (const [key, value] of Object.entries(plan.doc)) {
    if (key === '_id' || isDeepStrictEqual(before[key], value)) continue;
    set[key] = value;
    const guard = GUARDED_ACCOUNT_FIELDS[key];
    // A guard already present at read time has been applied by keepServiceChanges and cannot go away again.
    if (guard !== undefined && plan.stored?.[guard] === undefined) {
      filter[guard] = { $exists: false };
      conditional = true;
    }
  }
  for (const key of Object.keys(before)) if (!(key in plan.doc)) unset[key] = '';
  const update = { ...(Object.keys(set).length > 0 ? { $set: set } : {}), ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) };
  return { operation: { updateOne: { filter: filter as Filter<Doc>, update } }, conditional };
}

export async function writeChanges(state: FileImport, writes: readonly PlannedWrite[]): Promise<WriteResult> {
  const { run, kind, collection } = state;
  const result: WriteResult = { failed: new Map(), unmatched: [] };
  if (writes.length === 0) return result;
  if (run.dryRun) {
    const overlay = run.overlayOf(kind.collection);
    for (const { id, doc, stored } of writes) overlay.set(id, { ...serviceFieldsOf(stored), ...doc });
    return result;
  }
  const accounts = kind.collection === 'accounts';
  // Inserts all in one bulkWrite; updates at most UPDATES_PER_BULK_WRITE at a time (see there), conditional ones apart.
  const inserts: Planned[] = [];
  const updates: Planned[] = [];
  const conditional: Planned[] = [];
  for (const plan of writes) {
    if (plan.outcome === 'inserted') {
      inserts.push({ plan, operation: { insertOne: { document: plan.doc } } });
    } else if (accounts) {
      const { operation, conditional: isConditional } = accountUpdate(plan);
      (isConditional ? conditional : updates).push({ plan, operation });
    } else {
      updates.push({ plan, operation: { replaceOne: { filter: { _id: plan.id }, replacement: plan.doc, upsert: true } } });
    }
  }
  const batches: { batch: Planned[]; conditional: boolean }[] = [{ batch: inserts, conditional: false }];
  for (const [list, isConditional] of [[updates, false], [conditional, true]] as const) {
    for (let start = 0; start < list.length; start += UPDATES_PER_BULK_WRITE) {
      batches.push({ batch: list.slice(start, start + UPDATES_PER_BULK_WRITE), conditional: isConditional });
    }
  }
  for (const { batch, conditional: isConditional } of batches) {
    if (batch.length === 0) continue;
    let matched = 0;
    const refused = new Set<number>();
    try {
      matched = (await collection.bulkWrite(batch.map((planned) => planned.operation), { ordered: false })).matchedCount;
    } catch (error) {
      const writeErrors = (error as MongoBulkWriteError).writeErrors;
      if (!writeErrors) throw error;
      for (const writeError of Array.isArray(writeErrors) ? writeErrors : [writeErrors]) {
        const target = batch[writeError.index];
        if (!target) continue;
        refused.add(writeError.index);
        result.failed.set(target.plan.id, { message: writeError.errmsg ?? `code ${writeError.code}`, duplicateKey: writeError.code === 11000 });
      }
      if (refused.size === 0) throw error;
      matched = (error as MongoBulkWriteError).result?.matchedCount ?? 0;
    }
    if (isConditional && matched < batch.length - refused.size) {
      result.unmatched.push(...(await findUnmatched(state, batch.filter((_, index) => !refused.has(index)))));
    }
  }
  return result;
}

interface Planned {
  plan: PlannedWrite;
  operation: AnyBulkWriteOperation<Doc>;
}

/**
 * Which conditional updates of a batch matched nothing: the accounts now
 * missing, or holding a service field that was absent when they were read.
 * Only runs when the batch matched fewer than it updated (rare).
 */
async function findUnmatched(state: FileImport, batch: readonly Planned[]): Promise<string[]> {
  const fresh = await state.run.findByIds(state.kind.collection, batch.map(({ plan }) => plan.id));
  return batch.flatMap(({ plan, operation }) => {
    const now = fresh.get(plan.id);
    const filter = 'updateOne' in operation ? (operation.updateOne.filter as Record<string, unknown>) : {};
    const stale = !now || (filter.serviceLink !== undefined && now.serviceLink !== undefined) || (filter.erasure !== undefined && now.erasure !== undefined);
    return stale ? [plan.id] : [];
  });
}

/**
 * After the file's last write: an erasure decided while the file was being
 * imported may have found its scrub done before this file wrote the
 * account's records (with the export's personal data). Such accounts are
 * scrubbed again here, in the same idempotent way the service does; the next
 * import keeps them erased by itself (serviceChanges.ts).
 */
export async function catchUpWithErasures(state: FileImport): Promise<number> {
  const { run, file, erasedAccounts, writtenAccounts, collection } = state;
  if (run.dryRun || erasedAccounts === undefined || writtenAccounts.size === 0) return 0;
  const scrub = SCRUBBED_FIELDS[file];
  if (scrub === undefined) return 0;
  const now = await run.findErasedAccounts();
  let scrubbed = 0;
  for (const accountId of now) {
    if (erasedAccounts.has(accountId) || !writtenAccounts.has(accountId)) continue;
    await collection.updateMany({ accountId } as Filter<Doc>, { $set: scrub });
    scrubbed += 1;
  }
  return scrubbed;
}

/** What an erasure sets in the records of the account (api.md "Erasure"). */
const SCRUBBED_FIELDS: Partial<Record<FileImport['file'], Record<string, null>>> = {
  orders: { shippingAddress: null },
  feedback: { title: null, body: null },
};
