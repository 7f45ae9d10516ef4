/**
 * The public surface of the importer besides runImport: its options, its
 * progress events and its report (poco-export-format.md "Rejects, anomalies
 * and the report"). The seed and the CLI code against exactly these types.
 */
import type { Db } from 'mongodb';

/** The export files, in the order they are imported (references point backwards only). */
export const EXPORT_FILES = [
  'accounts',
  'orders',
  'coupons',
  'coupon_reissues',
  'points_ledger',
  'points_transfers',
  'feedback',
] as const;
export type ExportFile = (typeof EXPORT_FILES)[number];

/** Why a line was rejected: stable, machine-readable. */
export const REJECT_REASONS = [
  /** Not parseable as JSON. */
  'invalid_json',
  /** Valid JSON but not an object (an array, a string, null, ...). */
  'not_an_object',
  /** The bytes of the line are not UTF-8. */
  'invalid_utf8',
  /** The line is longer than the importer's limit (ImportOptions.maxLineBytes). */
  'line_too_long',
  /** The last line of a damaged (e.g. truncated gzip) file: it may be cut short. */
  'truncated_line',
  /** A required field is absent, null or "". */
  'missing_field',
  /** A field's value cannot be read (wrong type, not a date, not an amount, unknown code). */
  'invalid_value',
  /** A field's value is readable but not allowed (negative earn, qty 0, year 1970). */
  'out_of_range',
  'unknown_account',
  'unknown_order',
  'unknown_coupon',
  'duplicate_order_no',
  'duplicate_coupon_code',
  /** The database refused the write of an otherwise valid record. */
  'write_failed',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Records kept but counted because they look wrong. */
export const ANOMALY_KINDS = [
  /** total ≠ subtotal + shipping_fee − discount. */
  'total_mismatch',
  /** Σ qty × unit_price of the items ≠ subtotal. */
  'subtotal_mismatch',
  /** balance_after ≠ the previous entry's balance_after + points (first entry from 0). */
  'balance_mismatch',
  /** A ledger entry or coupon named an order that does not exist: the link is dropped. */
  'unknown_order_link',
  /** A coupon reissue dated before Xiaomi's reissue programme started (2024-12-12). */
  'reissue_before_programme',
  /**
   * An account support linked or unlinked in the service, whose line names another Xiaomi user
   * (or none): the service's link is kept. Counted per line.
   */
  'link_override_kept',
  /**
   * A line of an erased account (accounts, orders, feedback) that would bring an erased value
   * back: the erased value stays erased. Counted once per line.
   */
  'erased_data_kept',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export interface ImportProgress {
  /** The file being read (its name in the directory). */
  file: string;
  kind: ExportFile;
  /** 'scan' = first pass (finding repeated ids), 'import' = second pass, 'balances' = recomputing points balances. */
  phase: 'scan' | 'import' | 'balances';
  /** Lines of this file handled so far in this phase (blank lines included). */
  lines: number;
  /** Non-blank lines imported or rejected so far over the whole run. */
  totalRecords: number;
  /** Milliseconds since the import started. */
  elapsedMs: number;
}

export interface ImportOptions {
  /** The export directory. */
  dir: string;
  db: Db;
  /** Where rejected lines go (NDJSON); omitted = counted in the report only. */
  rejectsPath?: string;
  /** Where the JSON report goes; omitted = returned only. */
  reportPath?: string;
  /** Read, check and count everything, write nothing to the database. */
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Longest accepted line in bytes; default 1 MiB. */
  maxLineBytes?: number;
  /** Lines per database round trip; default 1000. */
  chunkSize?: number;
  /**
   * Test hook: called after each chunk is written; throwing from it aborts the
   * import there (to prove that a killed import resumes cleanly).
   */
  afterChunk?: (file: ExportFile, chunkNumber: number) => void | Promise<void>;
  /**
   * Test hook: called after a chunk was compared with the database and before
   * its writes, so a test can land a service change exactly in that window.
   */
  beforeWrite?: (file: ExportFile, chunkNumber: number) => void | Promise<void>;
}

export interface FileReport {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  anomalies: Partial<Record<AnomalyKind, number>>;
  rejectsByReason: Partial<Record<RejectReason, number>>;
  /** The file names in the directory that fed this entry. */
  sources: string[];
  /** Set when a file could not be read to its end (e.g. a truncated gzip): lines before the damage were imported. */
  damaged?: { file: string; message: string };
}

export interface ImportReport {
  /** Keyed by the file's base name, only for files present in the batch. */
  files: Partial<Record<ExportFile, FileReport>>;
  reconciliation: {
    /** Σ total of the accepted orders per currency, as decimal strings ("1234.50"). */
    orderTotals: Partial<Record<string, string>>;
    /** Σ sign-corrected points of the accepted ledger entries. */
    ledgerPoints: number;
  };
  dir: string;
  dryRun: boolean;
  /** False when any file was damaged: see files.*.damaged. */
  complete: boolean;
  /** The rejects file, or null when no line was rejected (an empty rejects file is not left behind). */
  rejectsPath: string | null;
  /** Files in the directory that are not export files (left alone). */
  ignoredFiles: string[];
  /** Points balances recomputed for this many accounts. */
  balancesRecomputed: number;
  startedAt: string;
  durationMs: number;
  /** Non-blank lines handled per second over the whole run. */
  recordsPerSecond: number;
}

/** Why an import could not run at all (directory missing, a file unreadable). */
export class ImportInputError extends Error {
  override readonly name = 'ImportInputError';
}
