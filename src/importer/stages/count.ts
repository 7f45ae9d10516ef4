/**
 * Stage 6, count: every accepted line of a written (or confirmed) id goes into
 * the report, with its anomalies and its share of the reconciliation sums;
 * an id the database refused has its lines rejected instead. Kind anomalies
 * count once per id (its final version), service-change anomalies once per line. Ids written are
 * remembered so later files resolve references to them without a query.
 */
import type { PointsEntryDoc } from '../../db/documents';
import { countLines, type PlannedWrite } from './compare';
import { rejectLine, type FileImport } from './fileImport';
import { exportOwned } from './serviceChanges';
import type { WriteFailure } from './write';

export async function countWrites(state: FileImport, writes: readonly PlannedWrite[], failed: ReadonlyMap<string, WriteFailure>): Promise<void> {
  const { run, kind, file, report } = state;
  const unique = kind.unique;
  for (const { id, record, outcome, stored, lineDocs, serviceAnomalies, doc } of writes) {
    const failure = failed.get(id);
    if (failure !== undefined) {
      for (const line of record.lines) {
        if (failure.duplicateKey && unique) {
          // The unique index saw the key taken by a document written in an earlier chunk.
          await rejectLine(state, {
            entry: line,
            reason: unique.reason,
            message: `${unique.describe(record.doc)} already belongs to another ${kind.idField}`,
            field: unique.field,
          });
        } else {
          await rejectLine(state, { entry: line, reason: 'write_failed', message: `the database refused the record: ${failure.message}` });
        }
      }
      continue;
    }
    report.read += record.lines.length;
    countLines(report, outcome, exportOwned(stored), lineDocs);
    run.countAnomalies(report, record.anomalies);
    run.countAnomalies(report, serviceAnomalies);
    if (outcome !== 'unchanged' && (file === 'orders' || file === 'feedback')) state.writtenAccounts.add(String(doc.accountId));
    if (file === 'accounts' || file === 'orders' || file === 'coupons') run.remember(file, id, String(record.doc.store));
    if (file === 'orders') run.addOrderTotal(String(record.doc.currency), Number(record.doc.total));
    if (file === 'points_ledger') run.addLedgerPoints(Number(record.doc.points));
  }
}

/** Ledger entries written or confirmed: their accounts' balances are recomputed after the file (also the account an entry moved from). */
export function noteLedgerAccounts(state: FileImport, writes: readonly PlannedWrite[]): void {
  if (state.file !== 'points_ledger') return;
  for (const { record, stored } of writes) {
    state.run.ledgerAccounts.add((record.doc as unknown as PointsEntryDoc).accountId);
    if (stored) state.run.ledgerAccounts.add((stored as unknown as PointsEntryDoc).accountId);
  }
}
