/**
 * What one import run shares across its files: the collections, the dry-run
 * overlay, the rejects sink, the report being built, the accounts whose
 * points balances need recomputing.
 *
 * Dry run: nothing is written, so what the batch "would have written" lives
 * in an in-memory overlay that every look-up consults before the database.
 * That makes a dry run's memory grow with the batch; a real run keeps only
 * the current chunk.
 */
import type { Document } from 'mongodb';
import { collectionsOf, type Collections } from '../db/collections';
import { formatMinorUnits } from '../shared/money';
import type { RejectRecord, RejectsSink } from './rejects';
import type { AnomalyKind, ExportFile, FileReport, ImportOptions, ImportProgress, ImportReport } from './report';

export type Doc = Document & { _id: string };

/** About 100 bytes each: at most ~200 MB for the biggest exports, far less for usual ones. */
const REFERENCE_CACHE_LIMIT = 2_000_000;

export class ImportRun {
  readonly collections: Collections;
  readonly dryRun: boolean;
  readonly maxLineBytes: number;
  readonly chunkSize: number;
  /** Dry run only: the documents the run would have written, per collection. */
  readonly overlay = new Map<keyof Collections, Map<string, Doc>>();
  /**
   * References this run has written or confirmed (accounts and coupons with
   * their store, orders), so later files resolve them without a query. A
   * query per chunk is cheap on MongoDB (indexed `$in`) but a collection scan
   * on FerretDB 1.24. Bounded: past REFERENCE_CACHE_LIMIT entries nothing more
   * is remembered and misses simply go to the database.
   */
  private readonly known = {
    accounts: new Map<string, string>(),
    orders: new Map<string, string>(),
    coupons: new Map<string, string>(),
  };
  private knownCount = 0;
  /**
   * Referenced collections that were empty when their file started: every
   * document in them was written by this run and remembered, so a reference
   * the run does not know does not exist, and needs no query. Void once the
   * cache stops remembering (REFERENCE_CACHE_LIMIT).
   */
  private readonly knownCompletely = new Set<keyof Collections>();
  private cacheFull = false;
  /** Accounts whose ledger entries this run wrote or confirmed: their balances are recomputed. */
  readonly ledgerAccounts = new Set<string>();
  readonly files: Partial<Record<ExportFile, FileReport>> = {};
  private readonly orderTotals = new Map<string, number>();
  private ledgerPoints = 0;
  totalRecords = 0;
  readonly startedAt = Date.now();

  constructor(
    readonly options: ImportOptions,
    readonly rejects: RejectsSink,
  ) {
    this.collections = collectionsOf(options.db);
    this.dryRun = options.dryRun ?? false;
    this.maxLineBytes = options.maxLineBytes ?? 1024 * 1024;
    this.chunkSize = Math.max(1, options.chunkSize ?? 1000);
  }

  fileReport(kind: ExportFile, source: string): FileReport {
    let report = this.files[kind];
    if (!report) {
      report = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, anomalies: {}, rejectsByReason: {}, sources: [] };
      this.files[kind] = report;
    }
    if (!report.sources.includes(source)) report.sources.push(source);
    return report;
  }

  overlayOf(collection: keyof Collections): Map<string, Doc> {
    let map = this.overlay.get(collection);
    if (!map) {
      map = new Map();
      this.overlay.set(collection, map);
    }
    return map;
  }

  /** The collection held no document as its file started (see knownCompletely). */
  startsEmpty(collection: keyof Collections): void {
    this.knownCompletely.add(collection);
  }

  remember(collection: 'accounts' | 'orders' | 'coupons', id: string, store: string): void {
    const map = this.known[collection];
    if (!map.has(id)) {
      if (this.knownCount >= REFERENCE_CACHE_LIMIT) {
        this.cacheFull = true;
        return;
      }
      this.knownCount += 1;
    }
    map.set(id, store);
  }

  /** Referenced documents' stores (orders: their id) by id: what this run knows, then one `$in` query for the rest. */
  async findReferences(collection: 'accounts' | 'orders' | 'coupons', ids: Iterable<string>): Promise<Map<string, string>> {
    const map = this.known[collection];
    const found = new Map<string, string>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const store = map.get(id);
      if (store !== undefined) found.set(id, store);
      else missing.push(id);
    }
    // Unknown to a run that wrote everything in the collection: it does not exist.
    if (missing.length > 0 && !(this.knownCompletely.has(collection) && !this.cacheFull)) {
      const docs = await this.findByIds(collection, missing, collection === 'orders' ? { _id: 1 } : { store: 1 });
      for (const [id, doc] of docs) found.set(id, collection === 'orders' ? id : String(doc.store));
    }
    return found;
  }

  /** Documents by id: the dry-run overlay first, then the database (one `$in` query). */
  async findByIds(
    collection: keyof Collections,
    ids: Iterable<string>,
    projection?: Document,
    { overlayOnly = false } = {},
  ): Promise<Map<string, Doc>> {
    const found = new Map<string, Doc>();
    const overlay = this.dryRun ? this.overlay.get(collection) : undefined;
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const doc = overlay?.get(id);
      if (doc) found.set(id, doc);
      else missing.push(id);
    }
    if (missing.length > 0 && !overlayOnly) {
      const docs = await (this.collections[collection] as unknown as import('mongodb').Collection<Doc>)
        .find({ _id: { $in: missing } }, projection ? { projection } : {})
        .toArray();
      for (const doc of docs) found.set(doc._id, doc);
    }
    return found;
  }

  /**
   * Ids of the accounts erased in the service. A collection scan on FerretDB
   * 1.24 (no index pushdown), so it is read once per file that needs it, not
   * per chunk; erased accounts are few.
   */
  async findErasedAccounts(): Promise<Set<string>> {
    const docs = await this.collections.accounts.find({ erasure: { $exists: true } }, { projection: { _id: 1 } }).toArray();
    return new Set(docs.map((doc) => doc._id));
  }

  async reject(report: FileReport, record: RejectRecord): Promise<void> {
    report.rejected += 1;
    report.rejectsByReason[record.reason] = (report.rejectsByReason[record.reason] ?? 0) + 1;
    await this.rejects.write(record);
  }

  countAnomalies(report: FileReport, anomalies: readonly AnomalyKind[]): void {
    for (const anomaly of anomalies) report.anomalies[anomaly] = (report.anomalies[anomaly] ?? 0) + 1;
  }

  addOrderTotal(currency: string, total: number): void {
    this.orderTotals.set(currency, (this.orderTotals.get(currency) ?? 0) + total);
  }

  addLedgerPoints(points: number): void {
    this.ledgerPoints += points;
  }

  progress(update: Omit<ImportProgress, 'totalRecords' | 'elapsedMs'>): void {
    this.options.onProgress?.({ ...update, totalRecords: this.totalRecords, elapsedMs: Date.now() - this.startedAt });
  }

  buildReport(extra: { dir: string; rejectsPath: string | null; ignoredFiles: string[]; balancesRecomputed: number }): ImportReport {
    const durationMs = Date.now() - this.startedAt;
    const orderTotals: Record<string, string> = {};
    for (const currency of [...this.orderTotals.keys()].sort()) {
      orderTotals[currency] = formatMinorUnits(this.orderTotals.get(currency) ?? 0);
    }
    return {
      files: this.files,
      reconciliation: { orderTotals, ledgerPoints: this.ledgerPoints },
      dir: extra.dir,
      dryRun: this.dryRun,
      complete: Object.values(this.files).every((file) => !file?.damaged),
      rejectsPath: extra.rejectsPath,
      ignoredFiles: extra.ignoredFiles,
      balancesRecomputed: extra.balancesRecomputed,
      startedAt: new Date(this.startedAt).toISOString(),
      durationMs,
      recordsPerSecond: durationMs > 0 ? Math.round((this.totalRecords * 1000) / durationMs) : this.totalRecords,
    };
  }
}
