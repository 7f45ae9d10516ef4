/**
 * How one file's records become documents: repeated ids (the later record
 * replaces the earlier, written once), unique order numbers and coupon codes,
 * and an import that dies half-way and is run again.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runImport } from '../../src/importer/runImport';
import type { ImportReport } from '../../src/importer/report';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { expectLinesAccountedFor, readRejects, snapshot, TempDirs, writeExport } from './exportFixtures';

const temp = new TempDirs();
const databases: TestDatabase[] = [];

async function freshDb(label: string): Promise<TestDatabase> {
  const database = await openTestDatabase(label);
  databases.push(database);
  return database;
}

afterAll(async () => {
  await Promise.all(databases.map((database) => database.drop()));
  temp.cleanUp();
});

function account(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { account_id: id, store: 'uk', email: `${id}@example.com`, registered_at: '2021-01-01T00:00:00Z', migrated_at: '2024-12-01T00:00:00Z', ...extra };
}

function order(id: string, orderNo: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    order_id: id,
    order_no: orderNo,
    account_id: 'a1',
    store: 'uk',
    placed_at: '2024-01-01T10:00:00Z',
    status: 'paid',
    currency: 'GBP',
    subtotal: '10.00',
    shipping_fee: '0',
    discount: '0',
    tax: '0',
    total: '10.00',
    items: [{ sku: 'S', name: 'n', qty: 1, unit_price: '10.00' }],
    ...extra,
  };
}

describe('an id that appears again', () => {
  const lines = [
    JSON.stringify(account('a1', { email: 'first@example.com' })), // 1
    JSON.stringify(account('a2')), // 2
    JSON.stringify(account('a3')), // 3
    JSON.stringify(account('a1', { email: 'second@example.com' })), // 4
    '', // 5
    JSON.stringify(account('a1', { store: 'xx', email: 'third@example.com' })), // 6: rejected
  ].join('\n');

  it.each([1, 2, 1000])(
    'is written once with its last accepted version, counted first inserted then updated, whatever the chunk size (%p)',
    async (chunkSize) => {
      const testDb = await freshDb('repeat');
      const dir = writeExport(temp.make('repeat'), { 'accounts.ndjson': `${lines}\n` });
      const rejectsPath = join(temp.make('repeat-out'), 'rejects.ndjson');
      const report = await runImport({ dir, db: testDb.db, chunkSize, rejectsPath });
      expectLinesAccountedFor(report);
      expect(report.files.accounts).toMatchObject({ read: 5, inserted: 3, updated: 1, unchanged: 0, rejected: 1 });
      expect(readRejects(rejectsPath).map((r) => [r.line, r.reason, r.field])).toEqual([[6, 'invalid_value', 'store']]);
      const a1 = await testDb.db.collection('accounts').findOne({ _id: 'a1' as never });
      expect(a1?.email).toBe('second@example.com');

      const again = await runImport({ dir, db: testDb.db, chunkSize });
      expect(again.files.accounts).toMatchObject({ read: 5, inserted: 0, updated: 0, unchanged: 4, rejected: 1 });
    },
  );

  it('in the same file counts an identical repeat as unchanged and a changed one as updated (normalised records compared)', async () => {
    const testDb = await freshDb('same-file');
    const dir = writeExport(temp.make('same-file'), {
      'accounts.ndjson': [
        account('a1'),
        account('a1', { email: ' A1@Example.COM ' }), // the same once normalised
        account('a1', { display_name: 'Changed' }),
        account('a1', { display_name: 'Changed' }),
      ],
    });
    const report = await runImport({ dir, db: testDb.db });
    expectLinesAccountedFor(report);
    expect(report.files.accounts).toMatchObject({ read: 4, inserted: 1, unchanged: 2, updated: 1, rejected: 0 });
    expect(await testDb.db.collection('accounts').findOne({ _id: 'a1' as never })).toMatchObject({ displayName: 'Changed' });

    const again = await runImport({ dir, db: testDb.db });
    expect(again.files.accounts).toMatchObject({ read: 4, inserted: 0, updated: 0, unchanged: 4 });
  });

  it('in a later batch replaces the stored version and counts as updated; the same record again is unchanged', async () => {
    const testDb = await freshDb('later');
    await runImport({ dir: writeExport(temp.make('b1'), { 'accounts.ndjson': [account('a1'), account('a2')] }), db: testDb.db });
    const report = await runImport({
      dir: writeExport(temp.make('b2'), { 'accounts.ndjson': [account('a1', { display_name: 'New' }), account('a2', { email: ' A2@EXAMPLE.com ' })] }),
      db: testDb.db,
    });
    // a2 differs only in raw text: the normalised record is the same.
    expect(report.files.accounts).toMatchObject({ read: 2, updated: 1, unchanged: 1 });
    expect(await testDb.db.collection('accounts').findOne({ _id: 'a1' as never })).toMatchObject({ displayName: 'New' });
  });
});

describe('a batch that changes many stored records', () => {
  it('replaces them all, more than one bulkWrite of replacements per chunk', async () => {
    const testDb = await freshDb('many-updates');
    const ids = Array.from({ length: 130 }, (_, i) => `m${i}`);
    await runImport({ dir: writeExport(temp.make('m1'), { 'accounts.ndjson': ids.map((id) => account(id)) }), db: testDb.db });
    const report = await runImport({
      dir: writeExport(temp.make('m2'), { 'accounts.ndjson': ids.map((id) => account(id, { display_name: `renamed ${id}` })) }),
      db: testDb.db,
    });
    expect(report.files.accounts).toMatchObject({ read: 130, updated: 130, rejected: 0 });
    expect(await testDb.db.collection('accounts').countDocuments({ displayName: { $regex: '^renamed ' } })).toBe(130);
  });
});

describe('unique order numbers and coupon codes', () => {
  it('reject a second id claiming an order_no, in the batch or in the database, and let an order renumber itself', async () => {
    const testDb = await freshDb('orderno');
    const accounts = [account('a1')];
    const first = await runImport({
      dir: writeExport(temp.make('o1'), { 'accounts.ndjson': accounts, 'orders.ndjson': [order('o1', 'N1'), order('o2', 'N1'), order('o3', 'N3')] }),
      db: testDb.db,
    });
    expect(first.files.orders).toMatchObject({ inserted: 2, rejected: 1, rejectsByReason: { duplicate_order_no: 1 } });

    for (const chunkSize of [1, 1000]) {
      // o1 gives N1 up for N9 and o4 takes N1 in the same batch; o5 wants N3, still o3's.
      const dir = writeExport(temp.make('o2'), { 'orders.ndjson': [order('o1', 'N9'), order('o4', 'N1'), order('o5', 'N3')] });
      const rejectsPath = join(temp.make('o2-out'), 'rejects.ndjson');
      const report = await runImport({ dir, db: testDb.db, chunkSize, rejectsPath });
      expectLinesAccountedFor(report);
      expect(readRejects(rejectsPath).map((r) => [r.line, r.reason, r.field])).toEqual([[3, 'duplicate_order_no', 'order_no']]);
    }
    const orders = await testDb.db.collection('orders').find().sort({ _id: 1 }).toArray();
    expect(orders.map((o) => [o._id, o.orderNo])).toEqual([
      ['o1', 'N9'],
      ['o3', 'N3'],
      ['o4', 'N1'],
    ]);
  });

  it.each([1, 1000])('reject a duplicate order_no in a first import into an empty collection (chunk size %p)', async (chunkSize) => {
    const testDb = await freshDb('orderno-empty');
    const rejectsPath = join(temp.make('o0-out'), 'rejects.ndjson');
    const report = await runImport({
      dir: writeExport(temp.make('o0'), { 'accounts.ndjson': [account('a1')], 'orders.ndjson': [order('o1', 'N1'), order('o2', 'N2'), order('o3', 'N1')] }),
      db: testDb.db,
      chunkSize,
      rejectsPath,
    });
    expectLinesAccountedFor(report);
    expect(report.files.orders).toMatchObject({ read: 3, inserted: 2, rejected: 1 });
    expect(readRejects(rejectsPath).map((r) => [r.line, r.reason, r.field])).toEqual([[3, 'duplicate_order_no', 'order_no']]);
    expect(await testDb.db.collection('orders').findOne({ orderNo: 'N1' })).toMatchObject({ _id: 'o1' });
  });

  it('reject a coupon code already used by another coupon of the same store only', async () => {
    const testDb = await freshDb('codes');
    const coupon = (id: string, code: string, store: string): Record<string, unknown> => ({
      coupon_id: id,
      code,
      account_id: 'a1',
      store,
      title: 't',
      type: 'free_shipping',
      issued_at: '2024-01-01T00:00:00Z',
      valid_from: '2024-01-01T00:00:00Z',
      valid_until: '2025-01-01T00:00:00Z',
      status: 'unused',
    });
    await runImport({ dir: writeExport(temp.make('c1'), { 'accounts.ndjson': [account('a1')], 'coupons.ndjson': [coupon('c1', 'SAVE', 'uk')] }), db: testDb.db });
    const report = await runImport({
      dir: writeExport(temp.make('c2'), { 'coupons.ndjson': [coupon('c2', 'SAVE', 'GB'), coupon('c3', 'SAVE', 'fr'), coupon('c1', 'SAVE', 'uk')] }),
      db: testDb.db,
    });
    expect(report.files.coupons).toMatchObject({ read: 3, inserted: 1, unchanged: 1, rejected: 1, rejectsByReason: { duplicate_coupon_code: 1 } });
  });
});

describe('an import that dies half-way', () => {
  const records = {
    'accounts.ndjson': Array.from({ length: 30 }, (_, i) => account(`a${i}`)),
    'orders.ndjson': Array.from({ length: 90 }, (_, i) => order(`o${i}`, `N${i}`, { account_id: `a${i % 30}`, total: i % 7 === 0 ? '9.00' : '10.00' })),
    'points_ledger.ndjson': Array.from({ length: 120 }, (_, i) => ({
      entry_id: `e${String(i).padStart(3, '0')}`,
      account_id: `a${i % 30}`,
      at: 1700000000000 + i * 60_000,
      type: i % 4 === 3 ? 'redeem' : 'earn',
      points: 10,
      balance_after: i % 11 === 0 ? 999 : 10 * (Math.floor(i / 30) + 1),
    })),
  };
  let dir: string;
  let clean: { report: ImportReport; state: Awaited<ReturnType<typeof snapshot>> };

  beforeAll(async () => {
    dir = writeExport(temp.make('resume'), records);
    const cleanDb = await freshDb('clean');
    const report = await runImport({ dir, db: cleanDb.db, chunkSize: 20 });
    clean = { report, state: await snapshot(cleanDb.db) };
  });

  it.each([
    ['orders', 2],
    ['points_ledger', 3],
  ])('ends, when run again, in the state of one clean run (aborted after %s chunk %p)', async (file, chunk) => {
    const testDb = await freshDb('aborted');
    await expect(
      runImport({
        dir,
        db: testDb.db,
        chunkSize: 20,
        afterChunk: (current, number) => {
          if (current === file && number === chunk) throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    expect(await snapshot(testDb.db)).not.toEqual(clean.state);

    const resumed = await runImport({ dir, db: testDb.db, chunkSize: 20 });
    expect(await snapshot(testDb.db)).toEqual(clean.state);
    expectLinesAccountedFor(resumed);
    expect(resumed.reconciliation).toEqual(clean.report.reconciliation);
    expect(resumed.files.points_ledger?.anomalies).toEqual(clean.report.files.points_ledger?.anomalies);
    expect(resumed.files.orders?.anomalies).toEqual(clean.report.files.orders?.anomalies);
    expect(resumed.files.accounts).toMatchObject({ unchanged: 30 });
  });

  it('ends in the state of one clean run after the process was SIGKILLed in the ledger', async () => {
    const testDb = await freshDb('sigkill');
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'killAfterChunk.ts'), dir, testDb.name, 'points_ledger', '2'],
      { env: { ...process.env, MONGODB_URI: testDb.uri }, encoding: 'utf8', timeout: 60_000 },
    );
    expect({ signal: child.signal, stderr: child.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
    expect(await testDb.db.collection('points_balances').countDocuments()).toBe(0);

    await runImport({ dir, db: testDb.db, chunkSize: 20 });
    expect(await snapshot(testDb.db)).toEqual(clean.state);
  });
});
