/**
 * Every reject reason of the format, each asserted with its file, line,
 * reason, field and raw text (test/fixtures/exports/rejects holds one line per case).
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { runImport } from '../../src/importer/runImport';
import type { ImportReport } from '../../src/importer/report';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { expectLinesAccountedFor, lineOf, readRejects, TempDirs } from './exportFixtures';

const temp = new TempDirs();
let testDb: TestDatabase;
let dir: string;
let rejectsPath: string;
let report: ImportReport;

beforeAll(async () => {
  testDb = await openTestDatabase('rejects');
  dir = temp.copyOf('rejects');
  // Bytes a text fixture cannot hold: a line that is not UTF-8 and one over the line limit.
  appendFileSync(join(dir, 'feedback.ndjson'), Buffer.concat([Buffer.from('{"feedback_id":"fb-4","body":"caf'), Buffer.from([0xe9, 0x0a])]));
  appendFileSync(join(dir, 'feedback.ndjson'), `{"feedback_id":"fb-5","body":"${'x'.repeat(5000)}"}\n`);
  rejectsPath = join(temp.make('rejects-out'), 'rejects.ndjson');
  report = await runImport({ dir, db: testDb.db, rejectsPath, maxLineBytes: 4096 });
});

afterAll(async () => {
  await testDb.drop();
  temp.cleanUp();
});

const EXPECTED: [file: string, line: number, reason: string, field: string | undefined][] = [
  ['accounts.ndjson', 3, 'invalid_value', 'store'],
  ['accounts.ndjson', 4, 'invalid_json', undefined],
  ['accounts.ndjson', 5, 'not_an_object', undefined],
  ['accounts.ndjson', 6, 'missing_field', 'email'],
  ['accounts.ndjson', 7, 'missing_field', 'account_id'],
  ['accounts.ndjson', 8, 'out_of_range', 'registered_at'],
  ['accounts.ndjson', 10, 'not_an_object', undefined],
  ['accounts.ndjson', 11, 'not_an_object', undefined],
  ['orders.ndjson', 2, 'unknown_account', 'account_id'],
  ['orders.ndjson', 3, 'duplicate_order_no', 'order_no'],
  ['orders.ndjson', 4, 'invalid_value', 'subtotal'],
  ['orders.ndjson', 5, 'invalid_value', 'total'],
  ['orders.ndjson', 6, 'out_of_range', 'items[0].qty'],
  ['orders.ndjson', 7, 'invalid_value', 'discount'],
  ['orders.ndjson', 8, 'invalid_value', 'currency'],
  ['orders.ndjson', 9, 'invalid_value', 'shipping_address.country'],
  ['orders.ndjson', 10, 'missing_field', 'items'],
  ['orders.ndjson', 11, 'invalid_value', 'placed_at'],
  ['orders.ndjson', 12, 'missing_field', 'shipments[0].events[0].at'],
  ['coupons.ndjson', 2, 'duplicate_coupon_code', 'code'],
  ['coupons.ndjson', 4, 'missing_field', 'currency'],
  ['coupons.ndjson', 5, 'out_of_range', 'value'],
  ['coupons.ndjson', 6, 'unknown_account', 'account_id'],
  ['coupon_reissues.ndjson', 1, 'unknown_coupon', 'coupon_id'],
  ['points_ledger.ndjson', 1, 'out_of_range', 'points'],
  ['points_ledger.ndjson', 3, 'invalid_value', 'points'],
  ['points_ledger.ndjson', 4, 'invalid_value', 'type'],
  ['points_ledger.ndjson', 5, 'unknown_account', 'account_id'],
  ['points_transfers.ndjson', 1, 'invalid_value', 'rate'],
  ['points_transfers.ndjson', 2, 'unknown_account', 'account_id'],
  ['feedback.ndjson', 1, 'unknown_order', 'order_id'],
  ['feedback.ndjson', 2, 'out_of_range', 'rating'],
  ['feedback.ndjson', 4, 'invalid_utf8', undefined],
  ['feedback.ndjson', 5, 'line_too_long', undefined],
];

describe('rejected lines', () => {
  it('are exactly the bad lines, each with file, 1-based line (blank lines counted), reason and field', () => {
    const rejects = readRejects(rejectsPath);
    expect(rejects.map((r) => [r.file, r.line, r.reason, r.field])).toEqual(EXPECTED);
  });

  it('carry the original line text unchanged and a human message', () => {
    const rejects = readRejects(rejectsPath);
    expect(rejects).toHaveLength(EXPECTED.length);
    for (const reject of rejects) {
      expect(reject.message).toEqual(expect.any(String));
      expect(reject.message.length).toBeGreaterThan(5);
    }
    // The raw text of every line that is valid text and not cut (the other two keep bytes and a prefix: next test).
    const textual = rejects.filter((reject) => reject.reason !== 'invalid_utf8' && reject.reason !== 'line_too_long');
    expect(textual.length).toBeGreaterThan(0);
    expect(textual.map((reject) => reject.raw)).toEqual(textual.map((reject) => lineOf(join(dir, reject.file), reject.line)));
  });

  it('keep the exact bytes of a line that is not UTF-8, and the start and size of a line over the limit', () => {
    const rejects = readRejects(rejectsPath);
    const notUtf8 = rejects.find((r) => r.reason === 'invalid_utf8');
    expect(Buffer.from(notUtf8?.rawBase64 ?? '', 'base64').toString('latin1')).toBe('{"feedback_id":"fb-4","body":"caf\u00e9');
    const tooLong = rejects.find((r) => r.reason === 'line_too_long');
    expect(tooLong).toMatchObject({ rawTruncated: true, rawBytes: 5000 + '{"feedback_id":"fb-5","body":""}'.length });
    expect(tooLong?.raw.startsWith('{"feedback_id":"fb-5"')).toBe(true);
  });

  it('are counted per file and reason, and every line is accounted for', () => {
    expectLinesAccountedFor(report);
    expect(report.files.accounts).toMatchObject({ read: 10, inserted: 2, rejected: 8 });
    expect(report.files.orders).toMatchObject({ read: 12, inserted: 1, rejected: 11 });
    expect(report.files.coupons).toMatchObject({ read: 6, inserted: 2, rejected: 4 });
    expect(report.files.orders?.rejectsByReason).toEqual({
      unknown_account: 1,
      duplicate_order_no: 1,
      invalid_value: 6,
      out_of_range: 1,
      missing_field: 2,
    });
    expect(report.files.feedback).toMatchObject({ read: 5, inserted: 1, rejected: 4 });
  });

  it('leave the accepted records of the same files imported', async () => {
    const accounts = await testDb.db.collection('accounts').find().sort({ _id: 1 }).toArray();
    expect(accounts.map((a) => a._id)).toEqual(['acc-1', 'acc-5']);
    const coupons = await testDb.db.collection('coupons').find().sort({ _id: 1 }).toArray();
    expect(coupons.map((c) => [c._id, c.code, c.store])).toEqual([
      ['cpn-1', 'C1', 'UK'],
      ['cpn-3', 'C1', 'FR'],
    ]);
    expect(report.files.coupon_reissues?.anomalies).toEqual({ reissue_before_programme: 1 });
  });
});
