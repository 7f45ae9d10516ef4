/**
 * generateExport: writes a synthetic, deterministic POCO export directory
 * (poco-export-format.md) and returns a manifest of what it wrote, so the
 * importer's report can be checked against the generator's own truth.
 *
 * - Deterministic: the same seed and user count give byte-identical files
 *   (one Rng stream per user, ids from shared counters, fixed gzip settings).
 * - Streaming: users are generated one at a time and their lines written with
 *   backpressure; memory stays flat whatever the size (only a small queue of
 *   lines to repeat later is held).
 * - `orders` is always written gzip-compressed, as `orders.ndjson.gz`; the
 *   other files are plain `.ndjson`.
 * - Every quirk of the format appears (see render.ts QUIRKS, counted in the
 *   manifest), plus lines that must be rejected (badLines.ts), records
 *   repeated later in the file (same id; changed or only re-rendered), blank
 *   lines, and records that must be counted as anomalies.
 * - The first users are the well-known demo users (DEMO_USERS).
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BAD_CASES, buildBadLine, EXPORT_FILES, type ExpectedRejectReason, type ExportFile } from './badLines';
import {
  renderAccount,
  renderCoupon,
  renderCouponReissue,
  renderFeedback,
  renderLedgerEntry,
  renderOrder,
  renderPointsTransfer,
  type ExportRecord,
} from './exportRecords';
import { NdjsonFileWriter } from './ndjsonWriter';
import { Rng } from './random';
import { emptyQuirkCounts, Renderer, type QuirkCounts } from './render';
import type { UserBundle } from './specs';
import { DEFAULT_HEAVY_USER_SIZE, heavyUserChunks, type HeavyUserSize } from './heavyUser';
import { DEMO_USERS, generateUser, IdSequences } from './userBundle';

export const DEFAULT_SEED = 42;

/** Files written gzip-compressed. */
export const GZIPPED_FILES: ReadonlySet<ExportFile> = new Set<ExportFile>(['orders']);

export function fileNameOf(file: ExportFile): string {
  return GZIPPED_FILES.has(file) ? `${file}.ndjson.gz` : `${file}.ndjson`;
}

export const EXPECTED_ANOMALIES = ['total_mismatch', 'subtotal_mismatch', 'balance_mismatch', 'unknown_order_link'] as const;
export type ExpectedAnomaly = (typeof EXPECTED_ANOMALIES)[number];

export interface GenerateOptions {
  users: number;
  seed?: number;
  outDir: string;
  /** Chance per user of one extra bad line beyond the guaranteed set; default 0.03. */
  badLineRate?: number;
  /** Chance per record of being repeated later in its file; default 0.02. */
  repeatRate?: number;
  /** Heavy users (issue 9) written after the others, generated in chunks; default 0. */
  heavyUsers?: number;
  /** Their size; default DEFAULT_HEAVY_USER_SIZE (20,000 orders, 100,000 ledger entries across two stores). */
  heavyUserSize?: HeavyUserSize;
}

export interface FileManifest {
  /** Name in the directory, e.g. `orders.ndjson.gz`. */
  fileName: string;
  /** Physical lines, blank ones included (line numbers run 1..lines). */
  lines: number;
  blankLines: number;
  /** Non-blank lines: what the importer's report calls `read`. */
  read: number;
  rejected: number;
  rejectsByReason: Partial<Record<ExpectedRejectReason, number>>;
  /** Lines that must be accepted (read − rejected). */
  accepted: number;
  /** Distinct ids among the accepted lines. */
  records: number;
  /** What an import into an empty database must report. */
  freshImport: { inserted: number; updated: number; unchanged: number };
  anomalies: Partial<Record<ExpectedAnomaly, number>>;
}

export interface ExpectedReject {
  /** Base name, as in the report (`orders`). */
  file: ExportFile;
  /** 1-based physical line number (decompressed text for `.gz`). */
  line: number;
  reason: ExpectedRejectReason;
  field?: string;
  /** The generator's name for the broken case, e.g. `negative_earn`. */
  case: string;
}

export interface SeedManifest {
  generator: 'poco-seed/1';
  seed: number;
  users: number;
  dir: string;
  files: Record<ExportFile, FileManifest>;
  /** Every line that must be rejected, in file order. */
  rejects: ExpectedReject[];
  /** What the importer's report must say over the accepted records (last version of each id). */
  reconciliation: { orderTotals: Record<string, string>; ledgerPoints: number };
  population: {
    xiaomiUsers: number;
    accounts: number;
    unlinkedAccounts: number;
    multiStoreUsers: number;
    orders: number;
    heavyBuyers: number;
    /** Heavy users (--heavy-users), with their orders and ledger entries counted above. */
    heavyUsers: number;
    pointsTransfers: number;
  };
  demoUsers: string[];
  quirks: QuirkCounts;
  /** Bad-line cases written, by `file/case`. */
  badCases: Record<string, number>;
  durationMs: number;
}

interface PendingRepeat {
  dueUser: number;
  file: ExportFile;
  text: string;
  changed: boolean;
}

function formatMinor(minor: number): string {
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function emptyFileManifest(file: ExportFile): FileManifest {
  return {
    fileName: fileNameOf(file),
    lines: 0,
    blankLines: 0,
    read: 0,
    rejected: 0,
    rejectsByReason: {},
    accepted: 0,
    records: 0,
    freshImport: { inserted: 0, updated: 0, unchanged: 0 },
    anomalies: {},
  };
}

/** Writes the records of one export file and keeps its manifest entry. */
class ExportFileSink {
  readonly manifest: FileManifest;

  constructor(
    readonly file: ExportFile,
    readonly writer: NdjsonFileWriter,
  ) {
    this.manifest = emptyFileManifest(file);
  }

  record(record: ExportRecord, anomaly?: ExpectedAnomaly): void {
    this.writer.line(JSON.stringify(record));
    this.manifest.read += 1;
    this.manifest.accepted += 1;
    this.manifest.records += 1;
    this.manifest.freshImport.inserted += 1;
    if (anomaly) this.manifest.anomalies[anomaly] = (this.manifest.anomalies[anomaly] ?? 0) + 1;
  }

  repeat(text: string, changed: boolean): void {
    this.writer.line(text);
    this.manifest.read += 1;
    this.manifest.accepted += 1;
    if (changed) this.manifest.freshImport.updated += 1;
    else this.manifest.freshImport.unchanged += 1;
  }

  reject(text: string, reason: ExpectedRejectReason): number {
    const line = this.writer.line(text);
    this.manifest.read += 1;
    this.manifest.rejected += 1;
    this.manifest.rejectsByReason[reason] = (this.manifest.rejectsByReason[reason] ?? 0) + 1;
    return line;
  }

  blank(): void {
    this.writer.line('');
  }

  finish(): FileManifest {
    this.manifest.lines = this.writer.lines;
    this.manifest.blankLines = this.writer.blankLines;
    return this.manifest;
  }
}

/**
 * Makes `outDir` an empty export directory. A previous export there is
 * replaced; anything else is never deleted: a mistyped --out must not wipe a
 * folder of the user's.
 */
async function prepareOutDir(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const exportNames = new Set(EXPORT_FILES.flatMap((file) => [`${file}.ndjson`, `${file}.ndjson.gz`]));
  const entries = await readdir(outDir);
  const foreign = entries.filter((name) => !exportNames.has(name));
  if (foreign.length > 0) {
    throw new Error(`refusing to write the export into ${outDir}: it holds files that are not export files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''})`);
  }
  await Promise.all(entries.map((name) => rm(join(outDir, name), { force: true })));
}

export async function generateExport(options: GenerateOptions): Promise<SeedManifest> {
  const started = Date.now();
  const { users, outDir } = options;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(users) || users < 1) throw new RangeError(`users must be a positive integer, got ${users}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const badLineRate = options.badLineRate ?? 0.03;
  const repeatRate = options.repeatRate ?? 0.02;

  await prepareOutDir(outDir);
  const sinks = Object.fromEntries(
    EXPORT_FILES.map((file) => [file, new ExportFileSink(file, new NdjsonFileWriter(join(outDir, fileNameOf(file)), { gzip: GZIPPED_FILES.has(file) }))]),
  ) as Record<ExportFile, ExportFileSink>;

  const seq = new IdSequences();
  const quirks = emptyQuirkCounts();
  const rejects: ExpectedReject[] = [];
  const badCases: Record<string, number> = {};
  const orderTotals = new Map<string, number>();
  let ledgerPoints = 0;
  let badIds = 0;
  const population = { xiaomiUsers: 0, accounts: 0, unlinkedAccounts: 0, multiStoreUsers: 0, orders: 0, heavyBuyers: 0, heavyUsers: 0, pointsTransfers: 0 };
  /** The guaranteed bad cases not yet written (each is written once, as soon as a user has a record to copy). */
  const outstandingCases = new Set(BAD_CASES);
  let repeats: PendingRepeat[] = [];

  const flushRepeats = (dueBy: number): void => {
    const due = repeats.filter((repeat) => repeat.dueUser <= dueBy);
    if (due.length === 0) return;
    repeats = repeats.filter((repeat) => repeat.dueUser > dueBy);
    for (const repeat of due) sinks[repeat.file].repeat(repeat.text, repeat.changed);
  };

  try {
    for (let index = 0; index < users; index++) {
      const bundle = generateUser(Rng.stream(seed, index), seq, { index, demo: DEMO_USERS[index] });
      // The export's noise (quirks, repeats, bad lines) has its own stream: the records stay the same if it changes.
      const noise = Rng.stream(seed ^ 0x5eed, index);
      const r = new Renderer(noise, quirks);
      flushRepeats(index);
      tally(bundle);
      if (noise.chance(0.01) || index === 0) {
        for (const file of EXPORT_FILES) {
          if (index === 0 || noise.chance(0.2)) {
            sinks[file].blank();
            quirks.blank_line += 1;
          }
        }
      }
      writeBundle(bundle, r, noise, index);

      for (const badCase of [...outstandingCases]) {
        const bad = buildBadLine(badCase, bundle, r, ++badIds);
        if (!bad) continue;
        outstandingCases.delete(badCase);
        writeBad(bad);
      }
      if (index >= DEMO_USERS.length && noise.chance(badLineRate)) {
        const bad = buildBadLine(noise.pick(BAD_CASES), bundle, r, ++badIds);
        if (bad) writeBad(bad);
      }
      await Promise.all(EXPORT_FILES.map((file) => sinks[file].writer.flush()));
    }
    const heavyUsers = options.heavyUsers ?? 0;
    if (!Number.isSafeInteger(heavyUsers) || heavyUsers < 0) throw new RangeError(`heavyUsers must be a non-negative integer, got ${heavyUsers}`);
    for (let h = 0; h < heavyUsers; h++) {
      const index = users + h;
      flushRepeats(index);
      const noise = Rng.stream(seed ^ 0x5eed, index);
      const r = new Renderer(noise, quirks);
      population.heavyUsers += 1;
      // One chunk at a time: rendered, written and flushed before the next is generated.
      for (const chunk of heavyUserChunks(Rng.stream(seed ^ 0x4ea7, h), seq, h, options.heavyUserSize ?? DEFAULT_HEAVY_USER_SIZE)) {
        tally(chunk, true);
        writeBundle(chunk, r, noise, index);
        await Promise.all(EXPORT_FILES.map((file) => sinks[file].writer.flush()));
      }
    }
    flushRepeats(Number.POSITIVE_INFINITY);
  } finally {
    await Promise.all(EXPORT_FILES.map((file) => sinks[file].writer.close()));
  }
  quirks.gzip_file = GZIPPED_FILES.size;

  function writeBad(bad: NonNullable<ReturnType<typeof buildBadLine>>): void {
    const line = sinks[bad.file].reject(bad.text, bad.reason);
    rejects.push({ file: bad.file, line, reason: bad.reason, ...(bad.field ? { field: bad.field } : {}), case: bad.case });
    const key = `${bad.file}/${bad.case}`;
    badCases[key] = (badCases[key] ?? 0) + 1;
  }

  /** `chunk`: one piece of a heavy user (its accounts come in the first piece only). */
  function tally(bundle: UserBundle, chunk = false): void {
    if (bundle.xiaomiUserId !== null && (!chunk || bundle.accounts.length > 0)) population.xiaomiUsers += 1;
    else population.unlinkedAccounts += bundle.accounts.length;
    if (bundle.accounts.length > 1) population.multiStoreUsers += 1;
    population.accounts += bundle.accounts.length;
    population.orders += bundle.orders.length;
    population.pointsTransfers += bundle.pointsTransfers.length;
    const perAccount = new Map<string, number>();
    for (const order of bundle.orders) perAccount.set(order.accountId, (perAccount.get(order.accountId) ?? 0) + 1);
    if (!chunk) for (const count of perAccount.values()) if (count >= 50) population.heavyBuyers += 1;
  }

  /**
   * Writes a user's records, each possibly queued to appear again later in its
   * file: re-rendered (different quirks, same normalised record: "unchanged")
   * or with one field really changed ("updated").
   */
  function writeBundle(bundle: UserBundle, r: Renderer, noise: Rng, index: number): void {
    const later = (file: ExportFile, render: (changed: boolean) => ExportRecord, repeatable = true): void => {
      if (!repeatable || !noise.chance(repeatRate)) return;
      const changed = noise.chance(0.5);
      repeats.push({ dueUser: index + noise.int(0, 25), file, text: JSON.stringify(render(changed)), changed });
      quirks[changed ? 'repeated_changed' : 'repeated_unchanged'] += 1;
    };

    for (const account of bundle.accounts) {
      sinks.accounts.record(renderAccount(account, r));
      later('accounts', (changed) => renderAccount(changed ? { ...account, displayName: account.displayName === null ? 'POCO Fan' : `${account.displayName} Jr.` } : account, r));
    }

    for (const order of bundle.orders) {
      const synonym = r.rollQuirk() || r.rollQuirk();
      sinks.orders.record(renderOrder(order, r, { synonym }), order.anomaly);
      orderTotals.set(order.currency, (orderTotals.get(order.currency) ?? 0) + order.total);
      later(
        'orders',
        (changed) =>
          renderOrder(
            changed
              ? {
                  ...order,
                  // A later batch knew where the parcel went: a different address line.
                  address: order.address && { ...order.address, line2: order.address.line2 === null ? 'Reception' : null },
                }
              : order,
            r,
            { synonym: !synonym },
          ),
        order.anomaly === undefined && order.address !== null,
      );
    }

    for (const coupon of bundle.coupons) {
      sinks.coupons.record(renderCoupon(coupon, r), coupon.anomaly === 'unknown_order' ? 'unknown_order_link' : undefined);
      later('coupons', (changed) => renderCoupon(changed ? { ...coupon, title: `${coupon.title} (2024)` } : coupon, r), coupon.anomaly === undefined);
    }

    for (const reissue of bundle.couponReissues) {
      sinks.coupon_reissues.record(renderCouponReissue(reissue, r));
      later('coupon_reissues', (changed) =>
        renderCouponReissue(changed ? { ...reissue, validUntil: { ms: (reissue.validUntil?.ms ?? reissue.reissuedAt.ms) + 30 * 86_400_000 } } : reissue, r),
      );
    }

    const ledgerAnomalyAccounts = new Set(bundle.pointsLedger.filter((e) => e.anomaly !== undefined).map((e) => e.accountId));
    const entries = bundle.pointsLedger.map((entry) => ({ entry, record: renderLedgerEntry(entry, r) }));
    // Some ledger systems exported an account's entries out of order; the importer orders them by (at, entry_id).
    const byAccount = new Map<string, typeof entries>();
    for (const item of entries) {
      const items = byAccount.get(item.entry.accountId);
      if (items) items.push(item);
      else byAccount.set(item.entry.accountId, [item]);
    }
    for (const items of byAccount.values()) {
      const shuffle = items.length > 2 && r.rollQuirk();
      if (shuffle) r.count('ledger_lines_shuffled');
      for (const { entry, record } of shuffle ? noise.shuffled(items) : items) {
        sinks.points_ledger.record(record, entry.anomaly === 'unknown_order' ? 'unknown_order_link' : entry.anomaly);
        ledgerPoints += entry.points;
        later('points_ledger', (changed) => renderLedgerEntry(changed ? { ...entry, note: 'Corrected by support' } : entry, r), !ledgerAnomalyAccounts.has(entry.accountId));
      }
    }

    for (const transfer of bundle.pointsTransfers) {
      sinks.points_transfers.record(renderPointsTransfer(transfer, r));
      later('points_transfers', (changed) => renderPointsTransfer(changed ? { ...transfer, miLoyaltyAccountId: `mil-${noise.digits(10)}` } : transfer, r));
    }

    for (const feedback of bundle.feedback) {
      sinks.feedback.record(renderFeedback(feedback, r));
      later('feedback', (changed) =>
        renderFeedback(changed ? { ...feedback, reply: { body: 'Sorry for the trouble: a replacement is on its way.', at: { ms: feedback.createdAt.ms + 86_400_000 } } } : feedback, r),
      );
    }
  }

  const files = Object.fromEntries(EXPORT_FILES.map((file) => [file, sinks[file].finish()])) as Record<ExportFile, FileManifest>;
  return {
    generator: 'poco-seed/1',
    seed,
    users,
    dir: outDir,
    files,
    rejects,
    reconciliation: {
      orderTotals: Object.fromEntries([...orderTotals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => [currency, formatMinor(minor)])),
      ledgerPoints,
    },
    population,
    demoUsers: DEMO_USERS.slice(0, users).map((demo) => demo.xiaomiUserId),
    quirks,
    badCases,
    durationMs: Date.now() - started,
  };
}
