/** The human-readable end of an import: a table per file, reconciliation sums and where the rejects went. */
import { EXPORT_FILES, type ImportReport } from './report';

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function counts(record: Partial<Record<string, number>>): string {
  return Object.entries(record)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}

export function formatSummary(report: ImportReport): string {
  const header = ['file', 'read', 'inserted', 'updated', 'unchanged', 'rejected', 'anomalies'];
  const rows: string[][] = [];
  for (const kind of EXPORT_FILES) {
    const file = report.files[kind];
    if (!file) continue;
    rows.push([
      kind,
      String(file.read),
      String(file.inserted),
      String(file.updated),
      String(file.unchanged),
      String(file.rejected),
      counts(file.anomalies) || '-',
    ]);
  }
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((cell, column) => pad(cell, widths[column] ?? 0, column > 0 && column < 6)).join('  ').trimEnd();

  const out: string[] = [];
  out.push(`${report.dryRun ? 'Dry run of' : 'Imported'} ${report.dir} in ${(report.durationMs / 1000).toFixed(1)} s (${report.recordsPerSecond} lines/s)`);
  if (rows.length === 0) out.push('No export files found in the directory.');
  else {
    out.push(line(header));
    for (const row of rows) out.push(line(row));
  }
  const totals = Object.entries(report.reconciliation.orderTotals)
    .map(([currency, amount]) => `${currency} ${amount}`)
    .join(', ');
  out.push(`Reconciliation: order totals ${totals || 'none'}; ledger points ${report.reconciliation.ledgerPoints}`);
  if (report.balancesRecomputed > 0) out.push(`Points balances recomputed for ${report.balancesRecomputed} accounts.`);
  const rejected = EXPORT_FILES.reduce((sum, kind) => sum + (report.files[kind]?.rejected ?? 0), 0);
  if (rejected > 0) {
    const reasons: Record<string, number> = {};
    for (const kind of EXPORT_FILES) {
      for (const [reason, count] of Object.entries(report.files[kind]?.rejectsByReason ?? {})) {
        reasons[reason] = (reasons[reason] ?? 0) + (count ?? 0);
      }
    }
    out.push(`Rejected ${rejected} lines (${counts(reasons)})${report.rejectsPath ? `: see ${report.rejectsPath}` : ''}`);
  } else {
    out.push('No line rejected.');
  }
  for (const kind of EXPORT_FILES) {
    const damaged = report.files[kind]?.damaged;
    if (damaged) out.push(`DAMAGED: ${damaged.file}: ${damaged.message}; lines before the damage were imported.`);
  }
  if (report.ignoredFiles.length > 0) out.push(`Ignored (not export files): ${report.ignoredFiles.join(', ')}`);
  return `${out.join('\n')}\n`;
}
