/**
 * generateExport: deterministic bytes, every file and quirk of the format,
 * bad lines the importer must reject, and a manifest that agrees with the
 * files as an independent reading of them sees them (readExport.ts: the
 * format's rules applied to the files, not the manifest's own list).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPECTED_REJECT_REASONS, EXPORT_FILES, type ExportFile } from '../../src/seed/badLines';
import { generateExport, type SeedManifest } from '../../src/seed/generate';
import { QUIRKS } from '../../src/seed/render';
import { DEMO_USERS } from '../../src/seed/userBundle';
import {
  ID_FIELD,
  formatMinor,
  clockChangeHour,
  instantOfWallClock,
  minorUnits,
  readExportFile,
  signedPoints,
  storeCode,
  type ExportFileContent,
  type Json,
} from './readExport';

const USERS = 200;
const SEED = 7;

let root: string;
let dir: string;
let manifest: SeedManifest;
let content: Record<ExportFile, ExportFileContent>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'poco-seed-'));
  dir = join(root, 'main');
  manifest = await generateExport({ users: USERS, seed: SEED, outDir: dir });
  content = Object.fromEntries(EXPORT_FILES.map((file) => [file, readExportFile(dir, file)])) as Record<ExportFile, ExportFileContent>;
}, 60_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function digest(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}

async function digestsOf(users: number, seed: number, name: string): Promise<Record<string, string>> {
  const out = join(root, name);
  const m = await generateExport({ users, seed, outDir: out });
  return Object.fromEntries(EXPORT_FILES.map((file) => [file, digest(readExportFile(out, file).bytes)]));
}

const STORE_ZONES: Record<string, string> = {
  GLOBAL: 'UTC',
  UK: 'Europe/London',
  FR: 'Europe/Paris',
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  PL: 'Europe/Warsaw',
};
const WALL_CLOCK = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function instant(value: unknown, store: string): number {
  if (typeof value === 'number') return value;
  const text = String(value);
  return WALL_CLOCK.test(text) ? instantOfWallClock(text, STORE_ZONES[store] ?? 'UTC') : Date.parse(text);
}

/** Every timestamp value of the accepted records, with the store whose wall clock applies. */
function timestamps(): { value: unknown; store: string }[] {
  const accountStore = new Map([...content.accounts.latest].map(([id, a]) => [id, storeCode(a.store)]));
  const out: { value: unknown; store: string }[] = [];
  for (const { record } of content.accounts.accepted) out.push({ value: record.registered_at, store: storeCode(record.store) });
  for (const { record } of content.orders.accepted) {
    out.push({ value: record.placed_at, store: storeCode(record.store) });
    for (const shipment of (record.shipments as Json[] | undefined) ?? []) {
      for (const event of shipment.events as Json[]) out.push({ value: event.at, store: storeCode(record.store) });
    }
  }
  for (const { record } of content.coupons.accepted) out.push({ value: record.issued_at, store: storeCode(record.store) });
  for (const { record } of content.points_ledger.accepted) out.push({ value: record.at, store: accountStore.get(String(record.account_id)) ?? '?' });
  for (const { record } of content.feedback.accepted) out.push({ value: record.created_at, store: accountStore.get(String(record.account_id)) ?? '?' });
  return out;
}

function moneyValues(): unknown[] {
  return content.orders.accepted.flatMap(({ record }) => [record.subtotal, record.total, record.tax, ...(record.items as Json[]).map((item) => item.unit_price)]);
}

describe('determinism', () => {
  test('the same seed and user count write byte-identical files', async () => {
    const again = await digestsOf(USERS, SEED, 'again');
    expect(again).toEqual(Object.fromEntries(EXPORT_FILES.map((file) => [file, digest(content[file].bytes)])));
  });

  test('another seed writes different files', async () => {
    const other = await digestsOf(USERS, SEED + 1, 'other');
    for (const file of EXPORT_FILES) expect(other[file]).not.toBe(digest(content[file].bytes));
  });

  test('the demo users are the same records whatever the user count', async () => {
    const small = join(root, 'small');
    const m = await generateExport({ users: DEMO_USERS.length, seed: SEED, outDir: small });
    const demoAccounts = (c: ExportFileContent) =>
      [...c.latest.values()].filter((a) => String(a.xiaomi_user_id).startsWith('demo-user-')).map((a) => JSON.stringify(a));
    expect(demoAccounts(readExportFile(small, 'accounts'))).toEqual(demoAccounts(content.accounts));
  });
});

describe('the files', () => {
  test('are exactly the seven export files, orders gzip-compressed', () => {
    expect(readdirSync(dir).sort()).toEqual(EXPORT_FILES.map((file) => manifest.files[file].fileName).sort());
    expect(EXPORT_FILES.map((file) => content[file].fileName)).toEqual(EXPORT_FILES.map((file) => manifest.files[file].fileName));
    expect(manifest.files.orders.fileName).toBe('orders.ndjson.gz');
    expect(content.orders.bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  test.each(EXPORT_FILES)('%s: the manifest lists exactly the lines the format rejects', (file) => {
    const listed = manifest.rejects.filter((reject) => reject.file === file).map((reject) => reject.line).sort((a, b) => a - b);
    expect(content[file].rejected.length).toBeGreaterThan(0);
    expect(listed).toEqual(content[file].rejected);
  });

  test.each(EXPORT_FILES)('%s: the manifest counts its lines, blank lines, rejects and distinct accepted ids', (file) => {
    const c = content[file];
    const m = manifest.files[file];
    const blank = c.lines.filter((line) => line === '').length;
    expect(m.lines).toBe(c.lines.length);
    expect(m.blankLines).toBe(blank);
    expect(m.read).toBe(c.lines.length - blank);
    expect(m.rejected).toBe(c.rejected.length);
    expect(m.accepted).toBe(c.accepted.length);
    expect(m.records).toBe(c.latest.size);
    expect(m.freshImport.inserted).toBe(c.latest.size);
    expect(m.freshImport.updated + m.freshImport.unchanged).toBe(c.accepted.length - c.latest.size);
    const byReason: Record<string, number> = {};
    for (const reject of manifest.rejects.filter((r) => r.file === file)) byReason[reject.reason] = (byReason[reject.reason] ?? 0) + 1;
    expect(m.rejectsByReason).toEqual(byReason);
  });

  test('the reconciliation sums of the manifest are those of the last version of each accepted record', () => {
    const totals: Record<string, number> = {};
    for (const order of content.orders.latest.values()) {
      const currency = String(order.currency).toUpperCase();
      totals[currency] = (totals[currency] ?? 0) + minorUnits(order.total);
    }
    expect(manifest.reconciliation.orderTotals).toEqual(Object.fromEntries(Object.entries(totals).map(([c, minor]) => [c, formatMinor(minor)])));
    const points = [...content.points_ledger.latest.values()].reduce((sum, entry) => sum + signedPoints(entry), 0);
    expect(manifest.reconciliation.ledgerPoints).toBe(points);
  });

  test('ids, order numbers and coupon codes within a store are unique among accepted records', () => {
    const orderNos = [...content.orders.latest.values()].map((o) => o.order_no);
    expect(new Set(orderNos).size).toBe(orderNos.length);
    const codes = [...content.coupons.latest.values()].map((c) => `${storeCode(c.store)}/${String(c.code)}`);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('consistent data', () => {
  test('orders add up (subtotal = items, total = subtotal + shipping - discount) except the expected anomalies', () => {
    let subtotalMismatch = 0;
    let totalMismatch = 0;
    for (const order of content.orders.latest.values()) {
      const items = (order.items as Json[]).reduce((sum, item) => sum + Number(item.qty) * minorUnits(item.unit_price), 0);
      const subtotal = minorUnits(order.subtotal);
      if (items !== subtotal) subtotalMismatch += 1;
      if (minorUnits(order.total) !== subtotal + minorUnits(order.shipping_fee) - minorUnits(order.discount)) totalMismatch += 1;
    }
    expect(subtotalMismatch).toBe(manifest.files.orders.anomalies.subtotal_mismatch ?? 0);
    expect(totalMismatch).toBe(manifest.files.orders.anomalies.total_mismatch ?? 0);
  });

  test('each account ledger is a balance chain from 0 in (at, entry_id) order except the expected anomalies', () => {
    const accountStore = new Map([...content.accounts.latest].map(([id, a]) => [id, storeCode(a.store)]));
    const byAccount = new Map<string, Json[]>();
    for (const entry of content.points_ledger.latest.values()) {
      const list = byAccount.get(String(entry.account_id)) ?? [];
      list.push(entry);
      byAccount.set(String(entry.account_id), list);
    }
    let mismatches = 0;
    for (const [accountId, entries] of byAccount) {
      const store = accountStore.get(accountId) ?? 'GLOBAL';
      entries.sort((a, b) => instant(a.at, store) - instant(b.at, store) || String(a.entry_id).localeCompare(String(b.entry_id)));
      let balance = 0;
      for (const entry of entries) {
        if (balance + signedPoints(entry) !== Number(entry.balance_after)) mismatches += 1;
        balance = Number(entry.balance_after);
      }
    }
    expect(byAccount.size).toBeGreaterThan(0);
    expect(mismatches).toBe(manifest.files.points_ledger.anomalies.balance_mismatch ?? 0);
    // Accepted earn entries are positive (a negative earn is a reject).
    const earns = [...content.points_ledger.latest.values()].filter((entry) => String(entry.type).toLowerCase() === 'earn');
    expect(earns.length).toBeGreaterThan(0);
    expect(earns.filter((entry) => !(Number(entry.points) > 0))).toEqual([]);
  });

  test('linked accounts end with a transfer whose points are the balance moved', () => {
    const transfers = [...content.points_transfers.latest.values()];
    expect(transfers.length).toBeGreaterThan(manifest.population.xiaomiUsers / 2);
    const ledger = [...content.points_ledger.latest.values()];
    for (const transfer of transfers) {
      const entry = ledger.find((e) => e.account_id === transfer.account_id && String(e.type).toLowerCase() === 'transfer');
      expect(entry).toBeDefined();
      expect(-signedPoints(entry as Json)).toBe(transfer.poco_points);
      expect(content.accounts.latest.get(String(transfer.account_id))?.xiaomi_user_id).not.toBeNull();
      expect(['1', '0.5', '0.25']).toContain(transfer.rate);
    }
  });

  test('the population is realistic: every store, status, kind and type; multi-store, unlinked and heavy buyers', () => {
    const accounts = [...content.accounts.latest.values()];
    expect(new Set(accounts.map((a) => storeCode(a.store)))).toEqual(new Set(Object.keys(STORE_ZONES)));
    expect(accounts.some((a) => a.xiaomi_user_id === null)).toBe(true);
    expect(manifest.population.multiStoreUsers).toBeGreaterThan(0);
    expect(manifest.population.heavyBuyers).toBeGreaterThan(0);
    const statuses = new Set([...content.orders.latest.values()].map((o) => String(o.status).toLowerCase()));
    for (const status of ['unpaid', 'paid', 'processing', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded', 'partially_refunded', 'returned']) {
      expect(statuses).toContain(status);
    }
    const lower = (file: ExportFile, field: string) => new Set([...content[file].latest.values()].map((r) => String(r[field]).toLowerCase()));
    expect(lower('feedback', 'kind')).toEqual(new Set(['product_review', 'delivery_rating', 'service_ticket']));
    expect(lower('points_ledger', 'type')).toEqual(new Set(['earn', 'redeem', 'expire', 'adjust', 'transfer']));
    expect(lower('coupons', 'type')).toEqual(new Set(['fixed', 'percent', 'free_shipping']));
    expect(lower('coupons', 'status')).toEqual(new Set(['unused', 'used', 'expired', 'void']));
    const tickets = [...content.feedback.latest.values()].filter((f) => String(f.kind).toLowerCase() === 'service_ticket');
    expect(tickets.length).toBeGreaterThan(0);
    expect(tickets.filter((ticket) => ticket.rating !== null)).toEqual([]);
    const phonePrices = [...content.orders.latest.values()]
      .filter((o) => String(o.currency).toUpperCase() === 'EUR')
      .flatMap((o) => (o.items as Json[]).filter((i) => String(i.sku).startsWith('POCO-')).map((i) => minorUnits(i.unit_price)));
    expect(Math.min(...phonePrices)).toBeGreaterThanOrEqual(19_800);
    expect(Math.max(...phonePrices)).toBeLessThanOrEqual(69_900);
  });

  test('the demo users own the multi-store accounts, orders, points and coupons the demo relies on', () => {
    const accounts = [...content.accounts.latest.values()].filter((a) => a.xiaomi_user_id === 'demo-user-1');
    expect(accounts.map((a) => storeCode(a.store)).sort()).toEqual(['DE', 'FR', 'GLOBAL']);
    const ids = new Set(accounts.map((a) => String(a.account_id)));
    const owned = (file: ExportFile) => [...content[file].latest.values()].filter((r) => ids.has(String(r.account_id)));
    expect(owned('orders')).toHaveLength(16);
    expect(owned('points_ledger').length).toBeGreaterThan(0);
    expect(owned('coupons').length).toBeGreaterThanOrEqual(9);
    const heavy = [...content.accounts.latest.values()].find((a) => a.xiaomi_user_id === 'demo-user-2');
    expect([...content.orders.latest.values()].filter((o) => o.account_id === heavy?.account_id)).toHaveLength(60);
  });
});

describe('every quirk of the format, at least once', () => {
  test('timestamps as ISO Z, ISO offset, store wall-clock and epoch milliseconds', () => {
    const values = timestamps().map((t) => t.value);
    expect(values.some((v) => typeof v === 'string' && /T.*Z$/.test(v))).toBe(true);
    expect(values.some((v) => typeof v === 'string' && /T.*[+-]\d{2}:\d{2}$/.test(v))).toBe(true);
    expect(values.some((v) => typeof v === 'string' && WALL_CLOCK.test(v))).toBe(true);
    expect(values.some((v) => typeof v === 'number' && Number.isInteger(v) && v > Date.UTC(2018, 0, 1))).toBe(true);
  });

  test('wall-clock times in the hour a DST change repeats and in the hour it skips', () => {
    const dst = (kind: 'repeated' | 'skipped') =>
      timestamps().filter(({ value, store }) => {
        if (typeof value !== 'string' || !WALL_CLOCK.test(value) || store === 'GLOBAL') return false;
        const hour = clockChangeHour(Number(value.slice(0, 4)), kind === 'repeated' ? 10 : 3, STORE_ZONES[store] ?? 'UTC');
        return hour !== undefined && value.startsWith(`${hour}:`);
      });
    expect(dst('repeated').length).toBeGreaterThan(0);
    expect(dst('skipped').length).toBeGreaterThan(0);
  });

  test('money as JSON numbers, as strings, and with a decimal comma', () => {
    const values = moneyValues();
    expect(values.some((v) => typeof v === 'number')).toBe(true);
    expect(values.some((v) => typeof v === 'string' && v.includes('.'))).toBe(true);
    expect(values.some((v) => typeof v === 'string' && v.includes(','))).toBe(true);
  });

  test('codes in mixed case, gb for the UK store, and the status synonyms closed and canceled', () => {
    const stores = [...content.accounts.accepted, ...content.orders.accepted, ...content.coupons.accepted].map(({ record }) => String(record.store));
    expect(stores.some((s) => s !== s.toUpperCase())).toBe(true);
    expect(stores.some((s) => s.toLowerCase() === 'gb')).toBe(true);
    const statuses = content.orders.accepted.map(({ record }) => String(record.status));
    expect(statuses).toContain('closed');
    expect(statuses).toContain('canceled');
    expect(statuses.some((s) => s !== s.toLowerCase())).toBe(true);
    expect(content.orders.accepted.some(({ record }) => String(record.currency) !== String(record.currency).toUpperCase())).toBe(true);
    expect(content.points_ledger.accepted.some(({ record }) => String(record.type) !== String(record.type).toLowerCase())).toBe(true);
  });

  test('emails with surrounding spaces or capitals', () => {
    const emails = content.accounts.accepted.map(({ record }) => String(record.email));
    expect(emails.some((e) => e !== e.trim())).toBe(true);
    expect(emails.some((e) => e.trim() !== e.trim().toLowerCase())).toBe(true);
  });

  test('redeem, expire and transfer points exported positive', () => {
    const positive = new Set(
      content.points_ledger.accepted.filter(({ record }) => record.type !== 'earn' && record.type !== 'adjust' && Number(record.points) > 0).map(({ record }) => String(record.type).toLowerCase()),
    );
    expect(positive.size).toBeGreaterThan(0);
  });

  test('records repeated later in their file, re-rendered or changed', () => {
    for (const file of ['accounts', 'orders', 'points_ledger'] as const) {
      expect(content[file].accepted.length).toBeGreaterThan(content[file].latest.size);
    }
    const totals = EXPORT_FILES.map((file) => manifest.files[file].freshImport);
    expect(totals.reduce((sum, t) => sum + t.updated, 0)).toBeGreaterThan(0);
    expect(totals.reduce((sum, t) => sum + t.unchanged, 0)).toBeGreaterThan(0);
  });

  test('blank lines, tracking events out of order, optional fields left out', () => {
    for (const file of EXPORT_FILES) expect(content[file].lines).toContain('');
    const shuffled = content.orders.accepted.some(({ record }) =>
      ((record.shipments as Json[] | undefined) ?? []).some((s) => {
        const times = (s.events as Json[]).map((e) => instant(e.at, storeCode(record.store)));
        return times.some((t, i) => i > 0 && t < (times[i - 1] ?? 0));
      }),
    );
    expect(shuffled).toBe(true);
    expect(content.orders.accepted.some(({ record }) => !('refunded' in record))).toBe(true);
  });

  test('the manifest counts every quirk it wrote', () => {
    for (const quirk of QUIRKS) expect({ quirk, count: manifest.quirks[quirk] > 0 }).toEqual({ quirk, count: true });
  });
});

describe('lines the importer must reject', () => {
  test('cover every reject reason of the format', () => {
    expect(new Set(manifest.rejects.map((r) => r.reason))).toEqual(new Set(EXPECTED_REJECT_REASONS));
    expect(manifest.rejects.some((r) => r.case === 'negative_earn')).toBe(true);
  });

  test('are broken in the way their reason says, and in no other', () => {
    const lineOf = (file: ExportFile, line: number) => content[file].lines[line - 1] ?? '';
    const accountIds = new Set(content.accounts.latest.keys());
    const orderIds = new Set(content.orders.latest.keys());
    const couponIds = new Set(content.coupons.latest.keys());
    expect(manifest.rejects.length).toBeGreaterThan(0);
    for (const reject of manifest.rejects) {
      const text = lineOf(reject.file, reject.line);
      expect(text).not.toBe('');
      if (reject.reason === 'invalid_json') {
        expect(() => JSON.parse(text)).toThrow();
        continue;
      }
      const record = JSON.parse(text) as Json;
      const id = String(record[ID_FIELD[reject.file]]);
      // A fresh id: a wrongly accepted bad line would never overwrite a good record's first version.
      if (reject.file !== 'points_transfers' && reject.file !== 'coupon_reissues') expect(id).toMatch(/-(bad|unknown)-/);
      const what = `${reject.file}:${reject.line} ${reject.case}`;
      switch (reject.reason) {
        case 'missing_field':
          expect({ what, value: [undefined, null, ''].includes(record[reject.field ?? ''] as never) }).toEqual({ what, value: true });
          break;
        case 'unknown_account':
          expect(accountIds.has(String(record.account_id))).toBe(false);
          break;
        case 'unknown_order':
          expect(orderIds.has(String(record.order_id))).toBe(false);
          break;
        case 'unknown_coupon':
          expect(couponIds.has(String(record.coupon_id))).toBe(false);
          break;
        case 'duplicate_order_no':
          expect([...content.orders.latest.values()].some((o) => o.order_no === record.order_no && o.order_id !== record.order_id)).toBe(true);
          break;
        case 'duplicate_coupon_code':
          expect(
            [...content.coupons.latest.values()].some((c) => c.code === record.code && storeCode(c.store) === storeCode(record.store) && c.coupon_id !== record.coupon_id),
          ).toBe(true);
          break;
        case 'invalid_value':
        case 'out_of_range':
          expect(reject.field).toBeDefined();
          if (reject.file === 'orders' || reject.file === 'coupons' || reject.file === 'points_ledger') {
            expect(accountIds.has(String(record.account_id))).toBe(true);
          }
          break;
        default:
          throw new Error(`unexpected reason ${reject.reason}`);
      }
    }
  });
});

describe('the output directory', () => {
  test('replaces a previous export in place', async () => {
    const out = join(root, 'replace');
    await generateExport({ users: 4, seed: 1, outDir: out });
    const m = await generateExport({ users: 4, seed: 2, outDir: out });
    expect(readdirSync(out).sort()).toEqual(EXPORT_FILES.map((file) => m.files[file].fileName).sort());
  });

  test('is never emptied when it holds anything but export files', async () => {
    const out = join(root, 'foreign');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    await expect(generateExport({ users: 4, seed: 1, outDir: out })).rejects.toThrow(/refusing to write the export into .*notes\.txt/);
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });
});
