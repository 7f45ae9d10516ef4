import type { PointsEntryDoc } from '../../src/db/documents';
import { runImport } from '../../src/importer/runImport';
import { recomputePointsBalances, summariseAccount } from '../../src/importer/pointsBalances';
import { ImportRun } from '../../src/importer/importRun';
import { discardRejects } from '../../src/importer/rejects';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { TempDirs, writeExport } from './exportFixtures';

function entry(id: string, at: string, type: PointsEntryDoc['type'], points: number, balanceAfter: number): PointsEntryDoc {
  return { _id: id, accountId: 'a', store: 'UK', at: new Date(at), type, points, balanceAfter, orderId: null, note: null };
}

describe('summariseAccount', () => {
  it('takes the balance of the newest entry by (at, id) and sums earned, redeemed and expired as positive figures', () => {
    const entries = [
      entry('e3', '2024-03-01T00:00:00Z', 'EXPIRED', -5, 70),
      entry('e1', '2024-01-01T00:00:00Z', 'EARNED', 100, 100),
      entry('e2b', '2024-02-01T00:00:00Z', 'ADJUSTED', 5, 75),
      entry('e2a', '2024-02-01T00:00:00Z', 'REDEEMED', -30, 70),
    ];
    expect(summariseAccount('a', entries)).toEqual({
      balance: { _id: 'a', balance: 70, earned: 100, redeemed: 30, expired: 5 },
      mismatches: 0,
    });
  });

  it('counts each entry whose balance_after does not follow from the previous one, the first from 0', () => {
    const entries = [
      entry('e1', '2024-01-01T00:00:00Z', 'EARNED', 100, 90), // 0 + 100 ≠ 90
      entry('e2', '2024-02-01T00:00:00Z', 'REDEEMED', -10, 80), // 90 - 10 = 80: follows the recorded balance
      entry('e3', '2024-03-01T00:00:00Z', 'TRANSFERRED', -80, 1), // ≠ 0
    ];
    expect(summariseAccount('a', entries).mismatches).toBe(2);
  });

  it('gives zeros for an account without entries', () => {
    expect(summariseAccount('a', [])).toEqual({ balance: { _id: 'a', balance: 0, earned: 0, redeemed: 0, expired: 0 }, mismatches: 0 });
  });
});

describe('points balances in the database', () => {
  const temp = new TempDirs();
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await openTestDatabase('balances');
  });
  afterAll(async () => {
    await testDb.drop();
    temp.cleanUp();
  });

  const account = (id: string) => ({ account_id: id, store: 'pl', email: `${id}@x.pl`, registered_at: '2021-01-01 00:00:00', migrated_at: '2024-12-01 00:00:00' });

  it('checks a batch entry against the entries already stored and follows an entry that moves to another account', async () => {
    await runImport({
      dir: writeExport(temp.make('bal1'), {
        'accounts.ndjson': [account('p1'), account('p2')],
        'points_ledger.ndjson': [
          { entry_id: 'x1', account_id: 'p1', at: '2024-01-01 10:00:00', type: 'earn', points: 50, balance_after: 50 },
          { entry_id: 'x2', account_id: 'p1', at: '2024-02-01 10:00:00', type: 'earn', points: 20, balance_after: 70 },
        ],
      }),
      db: testDb.db,
    });
    // A late entry between x1 and x2 breaks x2's stored chain; x2 itself moves to p2.
    const report = await runImport({
      dir: writeExport(temp.make('bal2'), {
        'points_ledger.ndjson': [
          { entry_id: 'x1b', account_id: 'p1', at: '2024-01-15 10:00:00', type: 'expire', points: 10, balance_after: 40 },
          { entry_id: 'x2', account_id: 'p2', at: '2024-02-01 10:00:00', type: 'earn', points: 20, balance_after: 20 },
        ],
      }),
      db: testDb.db,
    });
    expect(report.files.points_ledger).toMatchObject({ inserted: 1, updated: 1, anomalies: {} });
    expect(report.balancesRecomputed).toBe(2);
    const balances = await testDb.db.collection('points_balances').find().sort({ _id: 1 }).toArray();
    expect(balances).toEqual([
      { _id: 'p1', balance: 40, earned: 50, redeemed: 0, expired: 10 },
      { _id: 'p2', balance: 20, earned: 20, redeemed: 0, expired: 0 },
    ]);

    const breaking = await runImport({
      dir: writeExport(temp.make('bal3'), {
        'points_ledger.ndjson': [{ entry_id: 'x0', account_id: 'p1', at: '2023-12-01 10:00:00', type: 'earn', points: 5, balance_after: 5 }],
      }),
      db: testDb.db,
    });
    // x0 now starts p1's chain: x1 (0+... 5+50 ≠ 50) no longer follows.
    expect(breaking.files.points_ledger?.anomalies).toEqual({ balance_mismatch: 1 });
  });
});

describe('recomputePointsBalances', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await openTestDatabase('recompute');
    const entries: PointsEntryDoc[] = [];
    for (let account = 0; account < 6; account++) {
      for (let n = 0; n < 4; n++) {
        entries.push({
          ...entry(`k${account}-${n}`, `2024-0${n + 1}-01T00:00:00Z`, n === 3 ? 'REDEEMED' : 'EARNED', n === 3 ? -5 : 10, n === 3 ? 25 : 10 * (n + 1) + (account === 2 && n === 1 ? 1 : 0)),
          accountId: `k${account}`,
        });
      }
    }
    await testDb.db.collection<PointsEntryDoc>('points_ledger').insertMany(entries);
  });
  afterAll(async () => testDb.drop());

  it('gives the same balances and mismatches by account groups and by one sorted pass over the ledger', async () => {
    const results = [];
    for (const fullScanAbove of [1000, 0]) {
      await testDb.db.collection('points_balances').deleteMany({});
      const run = new ImportRun({ dir: '.', db: testDb.db }, discardRejects());
      for (const id of ['k1', 'k2', 'k4', 'k-without-entries']) run.ledgerAccounts.add(id);
      const result = await recomputePointsBalances(run, () => {}, fullScanAbove);
      results.push({ result, balances: await testDb.db.collection('points_balances').find().sort({ _id: 1 }).toArray() });
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]?.result).toEqual({ accounts: 4, mismatches: 2 }); // k2's second entry breaks, and so its third follows a wrong balance
    expect(results[0]?.balances.map((b) => b._id)).toEqual(['k-without-entries', 'k1', 'k2', 'k4']);
    expect(results[0]?.balances[1]).toEqual({ _id: 'k1', balance: 25, earned: 30, redeemed: 5, expired: 0 });
  });
});
