/**
 * Issue 9: `--heavy-users` adds reseller-like users (two stores, a long order
 * history and a long ledger) that the importer takes like any other user, and
 * that the API pages at the cost of a page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectionsOf } from '../../src/db/collections';
import { runImport } from '../../src/importer/runImport';
import { compareWithManifest } from '../../src/seed/cli';
import { generateExport, type SeedManifest } from '../../src/seed/generate';
import { heavyUserChunks } from '../../src/seed/heavyUser';
import { Rng } from '../../src/seed/random';
import { IdSequences } from '../../src/seed/userBundle';
import { openTestDatabase, type TestDatabase } from '../support/database';

const SIZE = { orders: 1_300, ledgerEntries: 3_100 };
let root: string;
let manifest: SeedManifest;
let testDb: TestDatabase;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'poco-heavy-'));
  manifest = await generateExport({ users: 4, heavyUsers: 2, heavyUserSize: SIZE, seed: 3, outDir: join(root, 'export') });
  testDb = await openTestDatabase('heavy_seed');
}, 60_000);

afterAll(async () => {
  await testDb?.drop();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('a heavy user comes in chunks of a few hundred orders, its balance chain running on across them', () => {
  const chunks = [...heavyUserChunks(Rng.stream(1, 0), new IdSequences(), 0, SIZE)];
  expect(chunks.length).toBeGreaterThan(2);
  for (const chunk of chunks) expect(chunk.orders.length + chunk.pointsLedger.length).toBeLessThanOrEqual(3_000);
  expect(chunks[0]!.accounts.map((account) => account.store)).toEqual(['GLOBAL', 'UK']);
  expect(chunks.slice(1).every((chunk) => chunk.accounts.length === 0)).toBe(true);
  const orders = chunks.flatMap((chunk) => chunk.orders);
  const entries = chunks.flatMap((chunk) => chunk.pointsLedger);
  expect(orders).toHaveLength(SIZE.orders);
  expect(entries).toHaveLength(SIZE.ledgerEntries);
  for (const accountId of chunks[0]!.accounts.map((account) => account.id)) {
    let balance = 0;
    let at = 0;
    for (const entry of entries.filter((e) => e.accountId === accountId)) {
      expect(entry.at.ms).toBeGreaterThan(at);
      at = entry.at.ms;
      balance += entry.points;
      expect(entry.balanceAfter).toBe(balance);
    }
  }
});

test('imports like any other user: the report matches the manifest and each heavy user has two long accounts', async () => {
  expect(manifest.population.heavyUsers).toBe(2);
  const report = await runImport({ dir: join(root, 'export'), db: testDb.db, rejectsPath: join(root, 'rejects.ndjson') });
  expect(compareWithManifest(report, manifest)).toEqual([]);
  const collections = collectionsOf(testDb.db);
  for (const userId of ['5900000000', '5900000001']) {
    const accounts = await collections.accounts.find({ xiaomiUserId: userId }).toArray();
    expect(accounts.map((account) => account.store).sort()).toEqual(['GLOBAL', 'UK']);
    const ids = accounts.map((account) => account._id);
    expect(await collections.orders.countDocuments({ accountId: { $in: ids } })).toBe(SIZE.orders);
    expect(await collections.pointsLedger.countDocuments({ accountId: { $in: ids } })).toBe(SIZE.ledgerEntries);
  }
}, 300_000);
