/**
 * The derived `points_balances` documents and the ledger's balance check,
 * recomputed from the stored ledger (plus, in a dry run, the overlay) for
 * every account the batch's ledger touched. Recomputing from what is stored,
 * rather than adding up the batch, is what makes a re-run after a killed
 * import end in the same state as one clean run.
 *
 * balance_mismatch policy: the whole chain of each touched account is
 * checked, entries in (at, entry_id) order, the first following from 0, so an
 * entry already in the database that a batch entry now follows is part of the
 * check. The count is of entries whose balance_after breaks the chain.
 */
import type { AnyBulkWriteOperation } from 'mongodb';
import type { PointsBalanceDoc, PointsEntryDoc } from '../db/documents';
import { UPDATES_PER_BULK_WRITE } from './importFile';
import type { ImportRun } from './importRun';

const ACCOUNTS_PER_QUERY = 500;

export interface BalanceResult {
  accounts: number;
  mismatches: number;
}

export function compareEntries(a: PointsEntryDoc, b: PointsEntryDoc): number {
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) return byTime;
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}

/** Folds one account's entries (any order) into its balance figures and the number of chain breaks. */
export function summariseAccount(accountId: string, entries: PointsEntryDoc[]): { balance: PointsBalanceDoc; mismatches: number } {
  const sorted = [...entries].sort(compareEntries);
  const balance: PointsBalanceDoc = { _id: accountId, balance: 0, earned: 0, redeemed: 0, expired: 0 };
  let previous = 0;
  let mismatches = 0;
  for (const entry of sorted) {
    if (entry.balanceAfter !== previous + entry.points) mismatches += 1;
    previous = entry.balanceAfter;
    switch (entry.type) {
      case 'EARNED':
        balance.earned += entry.points;
        break;
      case 'REDEEMED':
        balance.redeemed += Math.abs(entry.points);
        break;
      case 'EXPIRED':
        balance.expired += Math.abs(entry.points);
        break;
      case 'ADJUSTED':
      case 'TRANSFERRED':
        break;
      default: {
        const unknown: never = entry.type;
        throw new Error(`unhandled ledger type ${String(unknown)}`);
      }
    }
  }
  balance.balance = sorted.length > 0 ? (sorted[sorted.length - 1] as PointsEntryDoc).balanceAfter : 0;
  return { balance, mismatches };
}

/**
 * Above this many touched accounts one pass over the whole ledger, sorted by
 * account (the by_account_newest index order on MongoDB), beats `$in` queries
 * by groups of accounts: on FerretDB 1.24 each such query scans the whole
 * ledger, at a cost growing with the number of ids it names.
 */
const FULL_SCAN_ABOVE_ACCOUNTS = 1000;

export async function recomputePointsBalances(
  run: ImportRun,
  onProgress: (done: number) => void,
  fullScanAboveAccounts = FULL_SCAN_ABOVE_ACCOUNTS,
): Promise<BalanceResult> {
  const touched = run.ledgerAccounts;
  const overlay = run.dryRun ? (run.overlay.get('pointsLedger') as Map<string, PointsEntryDoc> | undefined) : undefined;
  const overlayByAccount = new Map<string, PointsEntryDoc[]>();
  for (const entry of overlay?.values() ?? []) {
    const list = overlayByAccount.get(entry.accountId) ?? [];
    list.push(entry);
    overlayByAccount.set(entry.accountId, list);
  }

  let mismatches = 0;
  let done = 0;
  let operations: AnyBulkWriteOperation<PointsBalanceDoc>[] = [];
  const flush = async (): Promise<void> => {
    if (!run.dryRun && operations.length > 0) await run.collections.pointsBalances.bulkWrite(operations, { ordered: false });
    operations = [];
    onProgress(done);
  };
  const account = async (accountId: string, stored: PointsEntryDoc[]): Promise<void> => {
    // In a dry run the overlay's version of an entry wins (it may even have moved to another account).
    const entries = overlay ? stored.filter((entry) => !overlay.has(entry._id)) : stored;
    entries.push(...(overlayByAccount.get(accountId) ?? []));
    const summary = summariseAccount(accountId, entries);
    mismatches += summary.mismatches;
    operations.push({ replaceOne: { filter: { _id: accountId }, replacement: summary.balance, upsert: true } });
    done += 1;
    if (operations.length >= UPDATES_PER_BULK_WRITE) await flush();
  };

  if (touched.size > fullScanAboveAccounts) {
    const seen = new Set<string>();
    let currentId: string | undefined;
    let current: PointsEntryDoc[] = [];
    const cursor = run.collections.pointsLedger.find({}).sort({ accountId: 1, at: -1, _id: -1 });
    for await (const entry of cursor) {
      if (entry.accountId !== currentId) {
        if (currentId !== undefined && touched.has(currentId)) await account(currentId, current);
        if (currentId !== undefined) seen.add(currentId);
        currentId = entry.accountId;
        current = [];
      }
      if (touched.has(entry.accountId)) current.push(entry);
    }
    if (currentId !== undefined && touched.has(currentId)) await account(currentId, current);
    if (currentId !== undefined) seen.add(currentId);
    for (const accountId of [...touched].sort()) if (!seen.has(accountId)) await account(accountId, []);
  } else {
    const accountIds = [...touched].sort();
    for (let start = 0; start < accountIds.length; start += ACCOUNTS_PER_QUERY) {
      const group = accountIds.slice(start, start + ACCOUNTS_PER_QUERY);
      const stored = await run.collections.pointsLedger.find({ accountId: { $in: group } }).toArray();
      const byAccount = new Map<string, PointsEntryDoc[]>(group.map((id) => [id, []]));
      for (const entry of stored) byAccount.get(entry.accountId)?.push(entry);
      for (const [accountId, entries] of byAccount) await account(accountId, entries);
    }
  }
  await flush();
  return { accounts: touched.size, mismatches };
}
