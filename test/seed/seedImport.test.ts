/**
 * The generator's truth against the importer: a seeded export imported into a
 * fresh database must produce exactly the report the manifest predicts
 * (per-file counts, reject reasons and lines, anomalies, reconciliation sums),
 * and importing it again must change nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runImport, type ImportReport } from '../../src/importer/runImport';
import { EXPORT_FILES } from '../../src/seed/badLines';
import { generateExport, type SeedManifest } from '../../src/seed/generate';
import { collectionsOf } from '../../src/db/collections';
import { openTestDatabase, type TestDatabase } from '../support/database';

/** Big enough for every reject reason, quirk and anomaly; small enough for a loaded 2-core machine. */
const USERS = 120;
const SEED = 20_241_130;

let dir: string;
let testDb: TestDatabase;
let manifest: SeedManifest;
let first: ImportReport;
let second: ImportReport;
let rejectsPath: string;
let secondRejectsPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'poco-seed-import-'));
  manifest = await generateExport({ users: USERS, seed: SEED, outDir: join(dir, 'export') });
  testDb = await openTestDatabase('seed_import');
  rejectsPath = join(dir, 'rejects-1.ndjson');
  secondRejectsPath = join(dir, 'rejects-2.ndjson');
  first = await runImport({ dir: join(dir, 'export'), db: testDb.db, rejectsPath });
}, 240_000);

afterAll(async () => {
  await testDb?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function readRejects(path: string): { file: string; line: number; reason: string }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { file: string; line: number; reason: string });
}

describe('a first import of a seeded export into an empty database', () => {
  test.each(EXPORT_FILES)('reads every non-blank line of %s and counts each once: read = inserted + updated + unchanged + rejected', (file) => {
    const expected = manifest.files[file];
    const report = first.files[file];
    expect(report).toBeDefined();
    expect(report?.read).toBe(expected.read);
    expect(report?.read).toBe((report?.inserted ?? 0) + (report?.updated ?? 0) + (report?.unchanged ?? 0) + (report?.rejected ?? 0));
  });

  test.each(EXPORT_FILES)('inserts each distinct id of %s once and counts its repeated lines as updated or unchanged', (file) => {
    const expected = manifest.files[file];
    const report = first.files[file];
    expect(report?.inserted).toBe(expected.freshImport.inserted);
    expect(report?.rejected).toBe(expected.rejected);
    expect((report?.updated ?? 0) + (report?.unchanged ?? 0)).toBe(expected.freshImport.updated + expected.freshImport.unchanged);
  });

  test.each(EXPORT_FILES)(
    'counts a repeat of %s whose normalised record is the same as unchanged, and a changed one as updated',
    (file) => {
      const expected = manifest.files[file];
      const report = first.files[file];
      expect({ updated: report?.updated, unchanged: report?.unchanged }).toEqual({
        updated: expected.freshImport.updated,
        unchanged: expected.freshImport.unchanged,
      });
    },
  );

  test.each(EXPORT_FILES)('rejects the lines of %s for the reasons the manifest predicts', (file) => {
    expect(first.files[file]?.rejectsByReason ?? {}).toEqual(manifest.files[file].rejectsByReason);
  });

  test.each(EXPORT_FILES)('counts the anomalies of %s the manifest predicts', (file) => {
    const anomalies = Object.fromEntries(Object.entries(first.files[file]?.anomalies ?? {}).filter(([, count]) => count !== 0));
    expect(anomalies).toEqual(manifest.files[file].anomalies);
  });

  test('writes every expected reject, at its line, with its reason, to the rejects file', () => {
    const fileNames = new Map(EXPORT_FILES.map((file) => [manifest.files[file].fileName, file]));
    const actual = readRejects(rejectsPath)
      .map((reject) => `${fileNames.get(reject.file) ?? reject.file}:${reject.line}:${reject.reason}`)
      .sort();
    const expected = manifest.rejects.map((reject) => `${reject.file}:${reject.line}:${reject.reason}`).sort();
    expect(actual).toEqual(expected);
  });

  test('reconciles order totals per currency and ledger points with the generator', () => {
    expect(first.reconciliation.orderTotals).toEqual(manifest.reconciliation.orderTotals);
    expect(first.reconciliation.ledgerPoints).toBe(manifest.reconciliation.ledgerPoints);
  });

  test('stores one document per distinct accepted id', async () => {
    const c = collectionsOf(testDb.db);
    expect(await c.accounts.countDocuments()).toBe(manifest.files.accounts.records);
    expect(await c.orders.countDocuments()).toBe(manifest.files.orders.records);
    expect(await c.coupons.countDocuments()).toBe(manifest.files.coupons.records);
    expect(await c.couponReissues.countDocuments()).toBe(manifest.files.coupon_reissues.records);
    expect(await c.pointsLedger.countDocuments()).toBe(manifest.files.points_ledger.records);
    expect(await c.pointsTransfers.countDocuments()).toBe(manifest.files.points_transfers.records);
    expect(await c.feedback.countDocuments()).toBe(manifest.files.feedback.records);
  });

  test('links the demo user to its three store accounts', async () => {
    const accounts = await collectionsOf(testDb.db).accounts.find({ xiaomiUserId: 'demo-user-1' }).toArray();
    expect(accounts.map((account) => account.store).sort()).toEqual(['DE', 'FR', 'GLOBAL']);
  });
});

describe('importing the same export a second time', () => {
  beforeAll(async () => {
    second = await runImport({ dir: join(dir, 'export'), db: testDb.db, rejectsPath: secondRejectsPath });
  }, 240_000);

  test.each(EXPORT_FILES)('inserts and updates nothing in %s: every line unchanged or rejected again', (file) => {
    const expected = manifest.files[file];
    const report = second.files[file];
    expect({ inserted: report?.inserted, updated: report?.updated, unchanged: report?.unchanged, rejected: report?.rejected }).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: expected.accepted,
      rejected: expected.rejected,
    });
  });

  test('reports the same reconciliation sums', () => {
    expect(second.reconciliation).toEqual(first.reconciliation);
  });

  test('rejects the same lines again', () => {
    expect(readRejects(secondRejectsPath).map((r) => `${r.file}:${r.line}:${r.reason}`)).toEqual(
      readRejects(rejectsPath).map((r) => `${r.file}:${r.line}:${r.reason}`),
    );
  });
});
