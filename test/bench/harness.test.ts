/**
 * Smoke tests of the benchmark's pieces (bench/): the generated dataset, the
 * floor's capture-and-replay, and the report's ratios. The load itself is
 * `npm run bench`; these only prove the parts it is built from.
 */
import { openTestDatabase, type TestDatabase } from '../support/database';
import { generateUser, writeDataset } from '../../bench/dataset';
import { replayable, replayRequest, wavesOf } from '../../bench/floor';
import type { CapturedCommand } from '../../bench/protocol';
import { figuresOf, markdownTable, latencySvg, ratiosOf, type BenchResults } from '../../bench/report';
import { newLatencyHistogram } from '../../bench/floor';
import { collectionsOf } from '../../src/db/collections';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await openTestDatabase('bench');
});

afterAll(async () => {
  await testDb.drop();
});

describe('dataset', () => {
  it('gives a user the same documents for the same seed and different ones for another seed', () => {
    expect(generateUser(42, 17)).toEqual(generateUser(42, 17));
    expect(generateUser(43, 17)).not.toEqual(generateUser(42, 17));
  });

  it('writes every generated document, with balances that match each account ledger', async () => {
    const counts = await writeDataset(testDb.db, 42, 30);
    const collections = collectionsOf(testDb.db);
    expect(await collections.orders.countDocuments()).toBe(counts.orders);
    expect(await collections.accounts.countDocuments()).toBe(counts.accounts);
    expect(counts.orders).toBeGreaterThan(30);
    // Written in a scattered order, but every user exactly once.
    const linkedUsers = await collections.accounts.distinct('xiaomiUserId', { xiaomiUserId: { $ne: null } });
    expect(linkedUsers.sort()).toEqual(Array.from({ length: 30 }, (_, index) => `mi-${String(index).padStart(7, '0')}`));

    const ledger = await collections.pointsLedger.find().toArray();
    const balances = await collections.pointsBalances.find().toArray();
    expect(balances).toHaveLength(counts.accounts);
    for (const balance of balances) {
      const entries = ledger
        .filter((entry) => entry.accountId === balance._id)
        .sort((x, y) => x.at.getTime() - y.at.getTime() || (x._id < y._id ? -1 : 1));
      expect(balance.balance).toBe(entries.at(-1)?.balanceAfter ?? 0);
      let running = 0;
      for (const entry of entries) {
        running += entry.points;
        expect(entry.balanceAfter).toBe(running);
      }
    }
    // Every used coupon names an order of its own account.
    const orders = new Map((await collections.orders.find().toArray()).map((order) => [order._id, order]));
    const used = await collections.coupons.find({ exportStatus: 'USED' }).toArray();
    expect(used.length).toBeGreaterThan(0);
    for (const coupon of used) {
      expect(orders.get(coupon.usedOrderId!)?.accountId).toBe(coupon.accountId);
    }
  });
});

function captured(name: string, command: Record<string, unknown>, startedAt: number, finishedAt: number): CapturedCommand {
  return { name, command, startedAt, finishedAt };
}

describe('floor', () => {
  it('groups commands into waves by what had finished before each started, and drops cursor follow-ups', () => {
    const waves = wavesOf([
      captured('find', { find: 'accounts', filter: {} }, 0, 10),
      captured('find', { find: 'orders', filter: {} }, 11, 20),
      captured('find', { find: 'coupons', filter: {} }, 12, 30),
      captured('getMore', { getMore: 1, collection: 'orders' }, 21, 25),
      captured('find', { find: 'feedback', filter: {} }, 31, 40),
    ]);
    expect(waves.map((wave) => wave.map((command) => command.find))).toEqual([['accounts'], ['orders', 'coupons'], ['feedback']]);
  });

  it('strips the session and routing fields the driver adds', () => {
    expect(replayable({ find: 'orders', filter: { a: 1 }, lsid: { id: 'x' }, $db: 'poco', $clusterTime: {} })).toEqual({
      find: 'orders',
      filter: { a: 1 },
    });
  });

  it('replays a captured find through the driver and drains its cursor', async () => {
    const collection = testDb.db.collection<{ _id: string; k: number }>('replay');
    await collection.insertMany([1, 2, 3, 4, 5].map((k) => ({ _id: `d${k}`, k })));
    const waves = wavesOf([captured('find', { find: 'replay', filter: { k: { $gte: 1 } }, batchSize: 2, $db: testDb.name }, 0, 1)]);
    // One find and two getMore commands for five documents in batches of two.
    expect(await replayRequest(testDb.db, waves)).toEqual({ issued: 3, documents: 5 });
  });
});

describe('report', () => {
  it('computes ours/floor, naive/ours and the large/small p50 ratio', () => {
    const histogram = (ms: number) => {
      const h = newLatencyHistogram();
      for (let i = 0; i < 100; i++) h.recordValue(ms * 1000);
      return h;
    };
    const run = (variant: 'ours' | 'floor' | 'naive', ms: number, requests: number, cpuMs?: number) =>
      figuresOf(variant, histogram(ms), {
        requests,
        errors: 0,
        graphqlErrors: 0,
        durationMs: 1000,
        commands: requests * 2,
        dbMs: requests,
        ...(cpuMs !== undefined ? { cpuMs, documents: requests * 7 } : {}),
      });
    const results: BenchResults = {
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:01:00.000Z',
      database: 'test',
      node: '20',
      cpus: 2,
      seed: 42,
      connections: 2,
      durationSeconds: 1,
      warmupSeconds: 0,
      sizes: [10, 100],
      dataset: {},
      notes: [],
      scenarios: [
        { scenario: 'b', title: 'batch', users: 10, runs: { ours: run('ours', 20, 50) } },
        { scenario: 'b', title: 'batch', users: 100, runs: { ours: run('ours', 22, 50, 150), floor: run('floor', 10, 100, 100), naive: run('naive', 200, 5) } },
      ],
    };
    const ratios = ratiosOf(results, results.scenarios[1]!);
    expect(ratios.oursOverFloorP50).toBeCloseTo(2.2, 2);
    expect(ratios.naiveOverOursRps).toBeCloseTo(10, 5);
    expect(ratios.p50LargeOverSmall).toBeCloseTo(1.1, 2);
    // CPU per request: ours 150 ms / 50, floor 100 ms / 100.
    expect(ratios.oursOverFloorCpu).toBeCloseTo(3, 5);
    const table = markdownTable(results);
    expect(table).toContain('| b | 100 | ours | 50 | 50.00 | 22.0 |');
    expect(table).toContain('| 2.0 | 7 | 1.0 | 3.0 |');
    expect(table).toContain('| 2.20 | 3.0 | 10.0 | 1.10 |');
    expect(latencySvg(results)).toMatch(/^<svg[\s\S]*<polyline[\s\S]*<\/svg>$/);
  });
});
