/**
 * seedDemoData: what `npm start` loads into an empty database. The demo users
 * must come out linked to their store accounts with orders, points and
 * coupons, so a demo token for `sub: demo-user-1` shows data.
 */
import { collectionsOf } from '../../src/db/collections';
import { seedDemoData, type DemoDataResult } from '../../src/seed/demo';
import { DEMO_USERS } from '../../src/seed/userBundle';
import { openTestDatabase, type TestDatabase } from '../support/database';

let testDb: TestDatabase;
let result: DemoDataResult;

beforeAll(async () => {
  testDb = await openTestDatabase('seed_demo');
  result = await seedDemoData(testDb.db, { users: 1 });
}, 300_000);

afterAll(async () => {
  await testDb?.drop();
});

test('loads at least every demo user, even when asked for fewer users', () => {
  expect(result.manifest.users).toBe(DEMO_USERS.length);
  expect(result.manifest.demoUsers).toEqual(DEMO_USERS.map((demo) => demo.xiaomiUserId));
});

test.each(DEMO_USERS.map((demo) => [demo.xiaomiUserId, demo] as const))('%s owns its store accounts, with their orders', async (userId, demo) => {
  const c = collectionsOf(testDb.db);
  const accounts = await c.accounts.find({ xiaomiUserId: userId }).toArray();
  expect(accounts.map((account) => account.store).sort()).toEqual(demo.accounts.map((account) => account.store).sort());
  const orders = await c.orders.countDocuments({ accountId: { $in: accounts.map((account) => account._id) } });
  expect(orders).toBe(demo.accounts.reduce((sum, account) => sum + account.orders, 0));
});

test('demo-user-1 has points history, a transfer, coupons and a Xiaomi reissue', async () => {
  const c = collectionsOf(testDb.db);
  const ids = (await c.accounts.find({ xiaomiUserId: 'demo-user-1' }).toArray()).map((account) => account._id);
  expect(await c.pointsLedger.countDocuments({ accountId: { $in: ids } })).toBeGreaterThan(0);
  expect(await c.pointsTransfers.countDocuments({ _id: { $in: ids } })).toBeGreaterThan(0);
  const coupons = await c.coupons.find({ accountId: { $in: ids } }).toArray();
  expect(coupons.length).toBeGreaterThan(0);
  expect(await c.couponReissues.countDocuments({ _id: { $in: coupons.map((coupon) => coupon._id) } })).toBeGreaterThan(0);
});

test('the import of the demo data rejects only the lines generated to be rejected', () => {
  // Every file of the export was imported, and some lines were rejected (so the comparison below compares something).
  expect(Object.keys(result.report.files).sort()).toEqual(Object.keys(result.manifest.files).sort());
  expect(Object.values(result.report.files).reduce((sum, report) => sum + (report?.rejected ?? 0), 0)).toBeGreaterThan(0);
  for (const [file, report] of Object.entries(result.report.files)) {
    expect({ file, rejected: report?.rejected }).toEqual({ file, rejected: result.manifest.files[file as keyof typeof result.manifest.files].rejected });
  }
});
