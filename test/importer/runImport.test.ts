import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { runImport } from '../../src/importer/runImport';
import { ImportInputError, type ImportReport } from '../../src/importer/report';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { expectLinesAccountedFor, fixture, readRejects, snapshot, TempDirs, writeExport } from './exportFixtures';

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

/** The parts of a report that do not depend on timing or paths. */
function stable(report: ImportReport): Pick<ImportReport, 'files' | 'reconciliation' | 'complete' | 'balancesRecomputed'> {
  return { files: report.files, reconciliation: report.reconciliation, complete: report.complete, balancesRecomputed: report.balancesRecomputed };
}

describe('runImport of a complete batch (test/fixtures/exports/basic)', () => {
  let testDb: TestDatabase;
  let report: ImportReport;

  beforeAll(async () => {
    testDb = await freshDb('basic');
    report = await runImport({ dir: fixture('basic'), db: testDb.db });
  });

  it('writes accounts with store codes, emails and timestamps normalised', async () => {
    const accounts = await testDb.db.collection('accounts').find().sort({ _id: 1 }).toArray();
    expect(accounts).toEqual([
      {
        _id: 'acc-de-1',
        store: 'DE',
        email: 'carla@example.de',
        displayName: null,
        registeredAt: new Date('2022-07-01T10:00:00Z'),
        xiaomiUserId: 'mi-1',
        migratedAt: new Date('2024-12-01T00:00:00Z'),
      },
      {
        _id: 'acc-fr-1',
        store: 'FR',
        email: 'bob@example.fr',
        displayName: null,
        registeredAt: new Date(1614852000000),
        xiaomiUserId: null,
        migratedAt: new Date('2024-11-30T23:00:00Z'),
      },
      {
        _id: 'acc-uk-1',
        store: 'UK', // exported as "gb"
        email: 'alice@example.com', // exported as "  Alice@Example.COM "
        displayName: 'Alice',
        registeredAt: new Date('2021-03-04T10:00:00Z'),
        xiaomiUserId: 'mi-1',
        migratedAt: new Date('2024-12-01T00:00:00Z'),
      },
    ]);
  });

  it('writes orders in minor units, statuses mapped, DST wall-clock times resolved, tracking events oldest first', async () => {
    const order = await testDb.db.collection('orders').findOne({ _id: 'ord-1' as never });
    expect(order).toEqual({
      _id: 'ord-1',
      orderNo: 'UK-1001',
      accountId: 'acc-uk-1',
      store: 'UK',
      // "2023-10-29 01:30:00" happened twice in London: the earlier (BST) instant.
      placedAt: new Date('2023-10-29T00:30:00Z'),
      status: 'COMPLETED',
      currency: 'GBP',
      subtotal: 10000,
      shippingFee: 500,
      discount: 1000,
      tax: 1583,
      total: 9500,
      refunded: 0,
      pointsEarned: 95,
      pointsRedeemed: 0,
      couponCodes: ['WELCOME10'],
      items: [{ sku: 'P1', name: 'POCO F5', variant: 'black', qty: 2, unitPrice: 5000 }],
      shippingAddress: { name: 'Alice', line1: '1 High St', line2: null, city: 'London', postcode: 'N1 1AA', country: 'GB' },
      shipments: [
        {
          id: 's1',
          carrier: 'DPD',
          trackingNo: 'T1', // exported as "  T1 ": trimmed, as pocoOrdersByTrackingNumber matches it
          status: 'DELIVERED',
          shippedAt: new Date('2023-10-30T09:00:00Z'),
          deliveredAt: new Date('2023-10-31T12:00:00Z'),
          events: [
            { at: new Date('2023-10-30T09:00:00Z'), status: 'picked_up', location: null, desc: null },
            { at: new Date('2023-10-31T12:00:00Z'), status: 'delivered', location: 'London', desc: null },
          ],
        },
      ],
    });
    const french = await testDb.db.collection('orders').findOne({ _id: 'ord-2' as never });
    expect(french).toMatchObject({
      // "2024-03-31 02:30:00" does not exist in Paris: moved forward by the gap to 03:30 CEST.
      placedAt: new Date('2024-03-31T01:30:00Z'),
      status: 'CANCELLED', // "canceled"
      currency: 'EUR',
      subtotal: 1999, // "19,99"
      tax: 333,
      total: 1999,
      shippingAddress: null,
      shipments: [],
      couponCodes: [],
    });
  });

  it('writes coupons, reissues (in the coupon store clock), transfers and feedback', async () => {
    const [fixed, percent] = await testDb.db.collection('coupons').find().sort({ _id: 1 }).toArray();
    expect(fixed).toMatchObject({ kind: 'FIXED_AMOUNT', amountOff: 1000, percentOff: null, currency: 'GBP', minSpend: 5000, exportStatus: 'USED', usedOrderId: 'ord-1' });
    expect(percent).toMatchObject({ kind: 'PERCENTAGE', amountOff: null, percentOff: '12.5', currency: null, minSpend: null, usedOrderId: null });
    expect(percent?.issuedAt).toEqual(new Date('2023-12-31T23:00:00Z'));
    expect(await testDb.db.collection('coupon_reissues').findOne({ _id: 'cpn-2' as never })).toEqual({
      _id: 'cpn-2',
      xiaomiCouponId: 'xm-9',
      xiaomiCouponCode: 'XM-PCT15',
      reissuedAt: new Date('2024-12-15T09:00:00Z'), // FR coupon: Paris wall clock
      validUntil: null,
    });
    expect(await testDb.db.collection('points_transfers').findOne({ _id: 'acc-uk-1' as never })).toEqual({
      _id: 'acc-uk-1',
      store: 'UK',
      pocoPoints: 75,
      miPoints: 750,
      rate: '10',
      transferredAt: new Date('2024-12-01T10:00:00Z'),
      miLoyaltyAccountId: 'loy-1',
    });
    const feedback = await testDb.db.collection('feedback').find().sort({ _id: 1 }).toArray();
    expect(feedback).toEqual([
      {
        _id: 'fb-1',
        accountId: 'acc-uk-1',
        orderId: 'ord-1',
        kind: 'PRODUCT_REVIEW',
        rating: 5,
        title: 'Great',
        body: 'Love it',
        sku: 'P1',
        createdAt: new Date('2023-11-01T10:00:00Z'),
        reply: { body: 'Thanks!', at: new Date('2023-11-02T10:00:00Z') },
      },
      {
        _id: 'fb-2',
        accountId: 'acc-fr-1',
        orderId: 'ord-2',
        kind: 'SERVICE_TICKET',
        rating: null,
        title: null,
        body: null,
        sku: null,
        createdAt: new Date('2024-04-01T08:00:00Z'), // no store field: the account's (FR) clock
        reply: null,
      },
    ]);
  });

  it('writes ledger entries sign-corrected in the account store clock, and the derived points balances', async () => {
    const entries = await testDb.db.collection('points_ledger').find().sort({ _id: 1 }).toArray();
    expect(entries.map((e) => [e._id, e.store, e.type, e.points, e.balanceAfter, e.orderId, e.at.toISOString()])).toEqual([
      ['e1', 'UK', 'EARNED', 95, 95, 'ord-1', '2023-10-29T00:30:00.000Z'],
      ['e2', 'UK', 'REDEEMED', -20, 75, null, '2023-11-05T10:00:00.000Z'], // exported as +20
      ['e3', 'UK', 'TRANSFERRED', -75, 0, null, '2024-12-01T10:00:00.000Z'],
      ['e4', 'FR', 'ADJUSTED', 10, 12, null, '2024-02-01T09:00:00.000Z'], // named a missing order: link dropped
    ]);
    const balances = await testDb.db.collection('points_balances').find().sort({ _id: 1 }).toArray();
    expect(balances).toEqual([
      { _id: 'acc-fr-1', balance: 12, earned: 0, redeemed: 0, expired: 0 },
      { _id: 'acc-uk-1', balance: 0, earned: 95, redeemed: 20, expired: 0 },
    ]);
  });

  it('imports files in dependency order whatever their names sort as, and reports counts, anomalies and reconciliation', () => {
    expectLinesAccountedFor(report);
    expect(Object.keys(report.files)).toEqual(['accounts', 'orders', 'coupons', 'coupon_reissues', 'points_ledger', 'points_transfers', 'feedback']);
    for (const file of Object.values(report.files)) expect(file).toMatchObject({ rejected: 0, updated: 0, unchanged: 0 });
    expect(report.files.feedback?.inserted).toBe(2);
    expect(report.files.coupons?.anomalies).toEqual({ unknown_order_link: 1 });
    expect(report.files.points_ledger?.anomalies).toEqual({ unknown_order_link: 1, balance_mismatch: 1 });
    expect(report.reconciliation).toEqual({ orderTotals: { EUR: '19.99', GBP: '95.00' }, ledgerPoints: 10 });
    expect(report).toMatchObject({ complete: true, dryRun: false, balancesRecomputed: 2, rejectsPath: null, ignoredFiles: [] });
  });

  it('changes nothing when the same directory is imported again, and reports every line unchanged', async () => {
    const before = await snapshot(testDb.db);
    const again = await runImport({ dir: fixture('basic'), db: testDb.db });
    expect(await snapshot(testDb.db)).toEqual(before);
    expect(Object.keys(again.files)).toEqual(Object.keys(report.files));
    for (const [name, file] of Object.entries(again.files)) {
      expect({ name, ...file }).toMatchObject({ name, inserted: 0, updated: 0, rejected: 0, unchanged: report.files[name as 'orders']?.read });
    }
    expect(again.reconciliation).toEqual(report.reconciliation);
    expect(again.files.points_ledger?.anomalies).toEqual(report.files.points_ledger?.anomalies);
  });
});

describe('runImport --dry-run', () => {
  it('writes nothing and reports what the real import then does', async () => {
    const testDb = await freshDb('dryrun');
    const dry = await runImport({ dir: fixture('basic'), db: testDb.db, dryRun: true });
    expect(await testDb.db.listCollections().toArray()).toEqual([]);
    const real = await runImport({ dir: fixture('basic'), db: testDb.db });
    expect(stable(dry)).toEqual(stable(real));
    expect(dry.dryRun).toBe(true);
  });
});

describe('a correction batch', () => {
  it('resolves references against the database and recomputes the balance of the accounts it touches', async () => {
    const testDb = await freshDb('correction');
    await runImport({ dir: fixture('basic'), db: testDb.db });
    const dir = writeExport(temp.make('correction'), {
      'feedback.ndjson': [{ feedback_id: 'fb-9', account_id: 'acc-uk-1', order_id: 'ord-1', kind: 'delivery_rating', rating: 3, created_at: '2024-01-01T00:00:00Z' }],
      'points_ledger.ndjson': [{ entry_id: 'e9', account_id: 'acc-uk-1', at: '2025-01-01T00:00:00Z', type: 'earn', points: 5, balance_after: 5 }],
      'orders.ndjson': [
        JSON.parse(readFileSync(fixture('basic/orders.ndjson'), 'utf8').split('\n')[1] ?? '{}'),
      ].map((order: Record<string, unknown>) => ({ ...order, status: 'refunded', refunded: '19,99' })),
    });
    const report = await runImport({ dir, db: testDb.db });
    expectLinesAccountedFor(report);
    expect(Object.keys(report.files)).toEqual(['orders', 'points_ledger', 'feedback']);
    expect(report.files.orders).toMatchObject({ read: 1, updated: 1 });
    expect(report.files.feedback).toMatchObject({ read: 1, inserted: 1 });
    // e9 follows e3 (balance 0) in the stored chain: no mismatch, and only acc-uk-1 was recomputed.
    expect(report.files.points_ledger).toMatchObject({ read: 1, inserted: 1, anomalies: {} });
    expect(report.balancesRecomputed).toBe(1);
    expect(await testDb.db.collection('points_balances').findOne({ _id: 'acc-uk-1' as never })).toEqual({
      _id: 'acc-uk-1',
      balance: 5,
      earned: 100,
      redeemed: 20,
      expired: 0,
    });
    expect(await testDb.db.collection('orders').findOne({ _id: 'ord-2' as never })).toMatchObject({ status: 'REFUNDED', refunded: 1999 });
  });
});

describe('gzip files', () => {
  it('imports orders.ndjson.gz like orders.ndjson', async () => {
    const dir = temp.copyOf('basic');
    writeFileSync(join(dir, 'orders.ndjson.gz'), gzipSync(readFileSync(join(dir, 'orders.ndjson'))));
    rmSync(join(dir, 'orders.ndjson'));
    const plainDb = await freshDb('plain');
    const gzDb = await freshDb('gz');
    await runImport({ dir: fixture('basic'), db: plainDb.db });
    const report = await runImport({ dir, db: gzDb.db });
    expect(report.files.orders).toMatchObject({ read: 2, inserted: 2, sources: ['orders.ndjson.gz'] });
    expect(await snapshot(gzDb.db)).toEqual(await snapshot(plainDb.db));
  });

  it('imports the lines before the damage of a truncated gzip, rejects the cut line and reports the file damaged', async () => {
    const testDb = await freshDb('truncated');
    const dir = temp.make('truncated');
    writeExport(dir, { 'accounts.ndjson': [{ account_id: 'a', store: 'uk', email: 'a@b.c', registered_at: '2020-01-01T00:00:00Z', migrated_at: '2024-01-01T00:00:00Z' }] });
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({
        order_id: `o${i}`,
        order_no: `N${i}`,
        account_id: 'a',
        store: 'uk',
        placed_at: 1700000000000 + i * 7919,
        status: 'paid',
        currency: 'GBP',
        subtotal: '1.00',
        shipping_fee: '0',
        discount: '0',
        tax: '0',
        total: '1.00',
        items: [{ sku: `S${(i * 31) % 97}`, name: 'n', qty: 1, unit_price: '1.00' }],
      }),
    );
    const gz = gzipSync(lines.join('\n'));
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
    writeFileSync(join(dir, 'orders.ndjson.gz'), cut);
    // What can be read out of the cut file (zlib's own reading, flushed as far as it goes): it ends inside a line.
    const readable = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
    const completeLines = readable.split('\n').length - 1;
    const tail = readable.slice(readable.lastIndexOf('\n') + 1);
    expect(tail.length).toBeGreaterThan(0);
    expect(tail).not.toBe(lines[completeLines]);
    const rejectsPath = join(temp.make('truncated-out'), 'rejects.ndjson');
    const report = await runImport({ dir, db: testDb.db, rejectsPath });
    expectLinesAccountedFor(report);
    expect(report.complete).toBe(false);
    expect(report.files.orders?.damaged).toEqual({ file: 'orders.ndjson.gz', message: expect.stringMatching(/truncated|corrupt/) });
    const imported = report.files.orders?.inserted ?? 0;
    expect(imported).toBe(completeLines);
    expect(imported).toBeGreaterThan(500);
    expect(await testDb.db.collection('orders').countDocuments()).toBe(imported);
    // Exactly the first lines are in, in order: nothing before the damage was lost.
    const ids = (await testDb.db.collection('orders').find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id));
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: imported }, (_, i) => `o${i}`)));
    // The cut line is in the rejects, as truncated, with the text that could be read.
    const rejects = readRejects(rejectsPath);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ file: 'orders.ndjson.gz', reason: 'truncated_line', line: imported + 1, raw: tail });
    expect(lines[imported]?.startsWith(tail)).toBe(true);
    expect(report.files.orders).toMatchObject({ rejected: 1, rejectsByReason: { truncated_line: 1 } });
  });
});

describe('a 10 MB line', () => {
  it('is rejected as line_too_long with its size and first 64 KiB, and the lines around it are imported', async () => {
    const testDb = await freshDb('hugeline');
    const account = (id: string, extra = '') =>
      `{"account_id":"${id}","store":"uk","email":"${id}@x.com","registered_at":"2021-01-01T00:00:00Z","migrated_at":"2024-12-01T00:00:00Z"${extra}}`;
    const huge = account('big', `,"display_name":"${'n'.repeat(10 * 1024 * 1024)}"`);
    const dir = writeExport(temp.make('huge'), { 'accounts.ndjson': `${account('a1')}\n${huge}\n${account('a2')}\n` });
    const rejectsPath = join(temp.make('huge-out'), 'rejects.ndjson');
    const report = await runImport({ dir, db: testDb.db, rejectsPath });
    expect(report.files.accounts).toMatchObject({ read: 3, inserted: 2, rejected: 1, rejectsByReason: { line_too_long: 1 } });
    const [reject] = readRejects(rejectsPath);
    expect(reject).toMatchObject({ file: 'accounts.ndjson', line: 2, reason: 'line_too_long', rawBytes: huge.length, rawTruncated: true });
    expect(reject?.raw).toBe(huge.slice(0, 64 * 1024));
  });
});

describe('a directory that cannot be imported', () => {
  async function expectRefused(dir: string, message: RegExp): Promise<void> {
    const testDb = await freshDb('refused');
    await expect(runImport({ dir, db: testDb.db })).rejects.toThrow(ImportInputError);
    await expect(runImport({ dir, db: testDb.db })).rejects.toThrow(message);
    expect(await testDb.db.listCollections().toArray()).toEqual([]);
  }

  it('is refused when it does not exist or is a file', async () => {
    await expectRefused(join(temp.make('missing'), 'nope'), /does not exist/);
    await expectRefused(join(fixture('basic'), 'accounts.ndjson'), /not a directory/);
  });

  it('is refused, before anything is written, when an export file is not a readable regular file', async () => {
    // Tests run as root, who can read a chmod 000 file: a directory and a FIFO really cannot be read as a file.
    const withDirectory = temp.copyOf('basic');
    mkdirSync(join(withDirectory, 'orders.ndjson.gz'));
    await expectRefused(withDirectory, /both orders.ndjson and orders.ndjson.gz/);
    rmSync(join(withDirectory, 'orders.ndjson'));
    await expectRefused(withDirectory, /orders.ndjson.gz is not a regular file/);

    const withFifo = temp.copyOf('basic');
    rmSync(join(withFifo, 'feedback.ndjson'));
    execFileSync('mkfifo', [join(withFifo, 'feedback.ndjson')]);
    await expectRefused(withFifo, /feedback.ndjson is not a regular file/);
  });

  it('leaves other files alone and lists them', async () => {
    const dir = temp.copyOf('basic');
    writeFileSync(join(dir, 'README.txt'), 'hello');
    writeFileSync(join(dir, 'orders.csv'), 'a,b');
    const testDb = await freshDb('ignored');
    const report = await runImport({ dir, db: testDb.db });
    expect(report.ignoredFiles).toEqual(['README.txt', 'orders.csv']);
    expect(report.files.orders?.inserted).toBe(2);
  });
});
