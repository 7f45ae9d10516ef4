/**
 * Changes made in the service win over an old export (poco-export-format.md):
 * links and unlinks made by support and erasures stand through every
 * re-import, the export's other fields still update, the overridden lines are
 * counted (link_override_kept, erased_data_kept) and read = inserted +
 * updated + unchanged + rejected holds; a change landing while an import runs
 * survives it; no erased value reaches the database, the rejects file or the
 * report again. The service's changes are made through its real mutations.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from 'mongodb';
import type { AccountDoc, FeedbackDoc, OrderDoc } from '../../../src/db/documents';
import { runImport, type ExportFile, type FileReport, type ImportOptions, type ImportReport } from '../../../src/importer/runImport';
import { startHarness, type Harness } from '../../resolvers/harness';
import { expectLinesAccountedFor, lineOf, readRejects, snapshot, TempDirs, writeExport } from '../exportFixtures';
import { eraseAccount, linkAccount, serviceFields, unlinkAccount } from '../serviceWrites';

const temp = new TempDirs();
const services: Harness[] = [];

/** The service's schema and resolvers on a fresh database, which the importer then imports into. */
async function freshService(label: string): Promise<{ service: Harness; db: Db }> {
  const service = await startHarness(label);
  services.push(service);
  return { service, db: service.database.db };
}

afterAll(async () => {
  await Promise.all(services.map((service) => service.close()));
  temp.cleanUp();
});

/** The personal data of acc-erase in every export below: none of it may come back once erased. */
const ERASED_TEXTS = ['erase.me@example.com', 'erika.new@example.com', 'Erika', 'Erasure Strasse', 'Erasedorf', 'secret review'];

const ERASED_ADDRESS = { name: 'Erika Erased', line1: '12 Erasure Strasse', city: 'Erasedorf', postcode: '10115', country: 'de' };

function account(id: string, store: string, extra: Record<string, unknown>): Record<string, unknown> {
  return { account_id: id, store, registered_at: '2021-01-01T00:00:00Z', migrated_at: '2024-12-01T00:00:00Z', ...extra };
}

function order(id: string, accountId: string, store: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    order_id: id,
    order_no: `NO-${id}`,
    account_id: accountId,
    store,
    placed_at: '2024-01-01T10:00:00Z',
    status: 'paid',
    currency: 'EUR',
    subtotal: '10.00',
    shipping_fee: '0',
    discount: '0',
    tax: '0',
    total: '10.00',
    items: [{ sku: 'S', name: 'Phone case', qty: 1, unit_price: '10.00' }],
    shipping_address: { name: `Customer of ${id}`, line1: '1 Main Street', city: 'Town', country: store === 'uk' ? 'gb' : store },
    ...extra,
  };
}

function review(id: string, accountId: string, orderId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { feedback_id: id, account_id: accountId, order_id: orderId, kind: 'product_review', rating: 4, created_at: '2024-02-01T00:00:00Z', ...extra };
}

/** The first export. */
const V1 = {
  'accounts.ndjson': [
    account('acc-link', 'uk', { email: 'link@example.com', display_name: 'Lena Link', xiaomi_user_id: 'mi-1' }),
    account('acc-unlink', 'fr', { email: 'unlink@example.com', display_name: 'Ugo Unlink', xiaomi_user_id: 'mi-2' }),
    account('acc-erase', 'de', { email: 'Erase.Me@example.com', display_name: 'Erika Erased', xiaomi_user_id: 'mi-3' }),
    account('acc-same', 'uk', { email: 'same@example.com', display_name: 'Sam Same', xiaomi_user_id: null }),
    account('acc-plain', 'pl', { email: 'plain@example.com', display_name: 'Pia Plain', xiaomi_user_id: null }),
  ],
  'orders.ndjson': [
    order('o-link', 'acc-link', 'uk'),
    order('o-unlink', 'acc-unlink', 'fr'),
    order('o-erase-1', 'acc-erase', 'de', { shipping_address: ERASED_ADDRESS }),
    // Also a total mismatch: that anomaly is counted again on every import.
    order('o-erase-2', 'acc-erase', 'de', { shipping_address: ERASED_ADDRESS, total: '99.00' }),
    order('o-plain', 'acc-plain', 'pl'),
  ],
  'feedback.ndjson': [
    review('f-erase', 'acc-erase', 'o-erase-1', { title: 'Erika secret review', body: 'My secret review text' }),
    review('f-plain', 'acc-plain', 'o-plain', { title: 'Fine', body: 'Works' }),
  ],
};

/** A later export changing other fields of the same accounts, orders and feedback (and what the service decided). */
const V2 = {
  'accounts.ndjson': [
    account('acc-link', 'uk', { email: 'link@example.com', display_name: 'Lena Link-Lee', xiaomi_user_id: 'mi-1' }),
    account('acc-unlink', 'fr', {
      email: 'ugo.new@example.com',
      display_name: 'Ugo Unlink',
      xiaomi_user_id: 'mi-2',
      migrated_at: '2024-12-02T00:00:00Z',
    }),
    account('acc-erase', 'de', {
      email: 'erika.new@example.com',
      display_name: 'Erika Neu',
      xiaomi_user_id: 'mi-3',
      registered_at: '2021-06-01T00:00:00Z',
    }),
    // Names the very user support linked it to.
    account('acc-same', 'uk', { email: 'same@example.com', display_name: 'Sam Same', xiaomi_user_id: 'mi-4' }),
    account('acc-plain', 'pl', { email: 'plain@example.com', display_name: 'Pia Plain', xiaomi_user_id: 'mi-5' }),
  ],
  'orders.ndjson': [
    order('o-link', 'acc-link', 'uk', { status: 'delivered' }),
    order('o-unlink', 'acc-unlink', 'fr'),
    order('o-erase-1', 'acc-erase', 'de', { shipping_address: { ...ERASED_ADDRESS, line1: '13 Erasure Strasse' }, status: 'completed' }),
    order('o-erase-2', 'acc-erase', 'de', { shipping_address: ERASED_ADDRESS, total: '99.00' }),
    order('o-plain', 'acc-plain', 'pl', { shipping_address: { name: 'Pia Plain', line1: '2 New Road', city: 'Krakow', country: 'pl' } }),
  ],
  'feedback.ndjson': [
    review('f-erase', 'acc-erase', 'o-erase-1', { title: 'Erika secret review', body: 'My secret review text, edited', rating: 2 }),
    review('f-plain', 'acc-plain', 'o-plain', { title: 'Fine', body: 'Works' }),
  ],
};

async function importDir(db: Db, dir: string, options: Partial<ImportOptions> = {}): Promise<ImportReport> {
  const report = await runImport({ dir, db, ...options });
  expectLinesAccountedFor(report);
  return report;
}

/** A file's counts and anomalies, to compare exactly. */
function counts(report: ImportReport, file: ExportFile): Pick<FileReport, 'read' | 'inserted' | 'updated' | 'unchanged' | 'rejected' | 'anomalies'> | undefined {
  const entry = report.files[file];
  if (!entry) return undefined;
  const { read, inserted, updated, unchanged, rejected, anomalies } = entry;
  return { read, inserted, updated, unchanged, rejected, anomalies };
}

async function accountsById(db: Db): Promise<Map<string, AccountDoc>> {
  return new Map((await db.collection<AccountDoc>('accounts').find({}).toArray()).map((a) => [a._id, a]));
}

async function ordersById(db: Db): Promise<Map<string, OrderDoc>> {
  return new Map((await db.collection<OrderDoc>('orders').find({}).toArray()).map((o) => [o._id, o]));
}

async function feedbackById(db: Db): Promise<Map<string, FeedbackDoc>> {
  return new Map((await db.collection<FeedbackDoc>('feedback').find({}).toArray()).map((f) => [f._id, f]));
}

/** Every collection as text, to search for erased values. */
async function databaseText(db: Db): Promise<string> {
  return JSON.stringify(await snapshot(db));
}

function expectNoErasedText(text: string): void {
  for (const erased of ERASED_TEXTS) expect({ erased, found: text.toLowerCase().includes(erased.toLowerCase()) }).toEqual({ erased, found: false });
}

describe('a re-import after support linked, unlinked and erased accounts in the service', () => {
  let db: Db;
  let v1: string;
  let v2: string;
  let first: ImportReport;
  let again: ImportReport;
  let changed: ImportReport;
  let later: ImportReport;
  let serviceBefore: Awaited<ReturnType<typeof serviceFields>>;

  beforeAll(async () => {
    const { service, db: database } = await freshService('service_wins');
    db = database;
    v1 = writeExport(temp.make('v1'), V1);
    v2 = writeExport(temp.make('v2'), V2);
    first = await importDir(db, v1);
    await linkAccount(service, 'acc-link', 'mi-new');
    await unlinkAccount(service, 'acc-unlink');
    await eraseAccount(service, 'acc-erase');
    await linkAccount(service, 'acc-same', 'mi-4');
    serviceBefore = await serviceFields(db);
    again = await importDir(db, v1);
    changed = await importDir(db, v2);
    // Every later import too: acc-same's export names another user again.
    later = await importDir(
      db,
      writeExport(temp.make('v3'), {
        'accounts.ndjson': [account('acc-same', 'uk', { email: 'same@example.com', display_name: 'Sam Same', xiaomi_user_id: 'mi-other' })],
      }),
    );
  });

  it('first imports everything as new', () => {
    expect(counts(first, 'accounts')).toEqual({ read: 5, inserted: 5, updated: 0, unchanged: 0, rejected: 0, anomalies: {} });
    expect(counts(first, 'orders')).toEqual({ read: 5, inserted: 5, updated: 0, unchanged: 0, rejected: 0, anomalies: { total_mismatch: 1 } });
    expect(counts(first, 'feedback')).toEqual({ read: 2, inserted: 2, updated: 0, unchanged: 0, rejected: 0, anomalies: {} });
  });

  it('counts the same export again as unchanged, each overridden line under its anomaly, the others again as on the first import', () => {
    expect(counts(again, 'accounts')).toEqual({
      read: 5,
      inserted: 0,
      updated: 0,
      unchanged: 5,
      rejected: 0,
      // acc-link (export mi-1, link mi-new), acc-unlink (export mi-2, unlinked), acc-same (export none, link mi-4).
      anomalies: { link_override_kept: 3, erased_data_kept: 1 },
    });
    expect(counts(again, 'orders')).toEqual({ read: 5, inserted: 0, updated: 0, unchanged: 5, rejected: 0, anomalies: { erased_data_kept: 2, total_mismatch: 1 } });
    expect(counts(again, 'feedback')).toEqual({ read: 2, inserted: 0, updated: 0, unchanged: 2, rejected: 0, anomalies: { erased_data_kept: 1 } });
  });

  it('updates the other fields from a changed export and counts what it kept', () => {
    expect(counts(changed, 'accounts')).toEqual({
      read: 5,
      inserted: 0,
      rejected: 0,
      // acc-link (display name), acc-unlink (email, migratedAt), acc-erase (registeredAt), acc-plain (export link)
      updated: 4,
      // acc-same: only its export link changed, to the user support linked it to (no anomaly)
      unchanged: 1,
      anomalies: { link_override_kept: 2, erased_data_kept: 1 },
    });
    expect(counts(changed, 'orders')).toEqual({ read: 5, inserted: 0, updated: 3, unchanged: 2, rejected: 0, anomalies: { erased_data_kept: 2, total_mismatch: 1 } });
    expect(counts(changed, 'feedback')).toEqual({ read: 2, inserted: 0, updated: 1, unchanged: 1, rejected: 0, anomalies: { erased_data_kept: 1 } });
  });

  it('keeps a link in every later import, also after an export named the linked user', async () => {
    expect(counts(later, 'accounts')).toEqual({ read: 1, inserted: 0, updated: 0, unchanged: 1, rejected: 0, anomalies: { link_override_kept: 1 } });
    expect((await accountsById(db)).get('acc-same')).toMatchObject({ xiaomiUserId: 'mi-4', serviceLink: { xiaomiUserId: 'mi-4' } });
  });

  it('keeps every link and unlink made by support, and updates the export links of the others', async () => {
    const accounts = await accountsById(db);
    expect(accounts.get('acc-link')).toMatchObject({ xiaomiUserId: 'mi-new', displayName: 'Lena Link-Lee' });
    expect(accounts.get('acc-unlink')).toMatchObject({
      xiaomiUserId: null,
      email: 'ugo.new@example.com',
      migratedAt: new Date('2024-12-02T00:00:00Z'),
    });
    expect(accounts.get('acc-same')).toMatchObject({ xiaomiUserId: 'mi-4' });
    expect(accounts.get('acc-plain')).toMatchObject({ xiaomiUserId: 'mi-5' });
    expect(accounts.get('acc-plain')?.serviceLink).toBeUndefined();
  });

  it('keeps the erased fields erased and updates the erased account’s other fields', async () => {
    const erased = (await accountsById(db)).get('acc-erase');
    expect(erased).toMatchObject({
      email: 'erased-acc-erase@invalid',
      displayName: null,
      xiaomiUserId: 'mi-3',
      registeredAt: new Date('2021-06-01T00:00:00Z'),
    });
    const orders = await ordersById(db);
    expect(orders.get('o-erase-1')).toMatchObject({ shippingAddress: null, status: 'COMPLETED' });
    expect(orders.get('o-erase-2')).toMatchObject({ shippingAddress: null, total: 9900 });
    expect(orders.get('o-link')).toMatchObject({ status: 'DELIVERED' });
    expect(orders.get('o-plain')?.shippingAddress).toMatchObject({ line1: '2 New Road' });
    const feedback = await feedbackById(db);
    expect(feedback.get('f-erase')).toMatchObject({ title: null, body: null, rating: 2 });
    expect(feedback.get('f-plain')).toMatchObject({ title: 'Fine', body: 'Works' });
    expectNoErasedText(await databaseText(db));
  });

  it('never writes, replaces or removes the service-owned fields', async () => {
    expect(Object.keys(serviceBefore).sort()).toEqual(['acc-erase', 'acc-link', 'acc-same', 'acc-unlink']);
    expect(await serviceFields(db)).toEqual(serviceBefore);
  });

  it('reports the same in a dry run as in the real run', async () => {
    const dry = await importDir(db, v2, { dryRun: true });
    for (const file of ['accounts', 'orders', 'feedback'] as const) {
      const { read, inserted, updated, unchanged, rejected, anomalies } = dry.files[file] ?? {};
      // The database holds v2 now: everything unchanged, the same anomalies as the real run.
      expect({ file, read, inserted, updated, unchanged, rejected, anomalies }).toEqual({
        file,
        read: changed.files[file]?.read,
        inserted: 0,
        updated: 0,
        unchanged: changed.files[file]?.read,
        rejected: 0,
        anomalies: changed.files[file]?.anomalies,
      });
    }
  });
});

describe('a service change while an import runs', () => {
  it('survives when it lands between the importer’s read of a chunk and its write', async () => {
    const { service, db } = await freshService('race_write');
    await importDir(db, writeExport(temp.make('race-v1'), V1));
    const landed: string[] = [];
    const report = await importDir(db, writeExport(temp.make('race-v2'), V2), {
      beforeWrite: async (file, chunk) => {
        if (file !== 'accounts' || chunk !== 1) return;
        // Each account below is read without service fields, and V2 changes it.
        await linkAccount(service, 'acc-plain', 'mi-support'); // V2 sets another xiaomi_user_id: the conditional write misses
        await linkAccount(service, 'acc-link', 'mi-race'); // V2 changes its display name only
        await eraseAccount(service, 'acc-unlink'); // V2 changes its email: the conditional write misses
        landed.push(file);
      },
    });
    expect(landed).toEqual(['accounts']);
    const accounts = await accountsById(db);
    expect(accounts.get('acc-plain')).toMatchObject({ xiaomiUserId: 'mi-support', serviceLink: { xiaomiUserId: 'mi-support' } });
    expect(accounts.get('acc-link')).toMatchObject({ xiaomiUserId: 'mi-race', displayName: 'Lena Link-Lee', serviceLink: { xiaomiUserId: 'mi-race' } });
    expect(accounts.get('acc-unlink')).toMatchObject({
      email: 'erased-acc-unlink@invalid',
      displayName: null,
      migratedAt: new Date('2024-12-02T00:00:00Z'),
    });
    for (const id of ['acc-plain', 'acc-link', 'acc-unlink']) expect(accounts.get(id)?.audit).toHaveLength(1);
    expect(counts(report, 'accounts')).toEqual({
      read: 5,
      inserted: 0,
      // acc-plain was read again and decided anew: only its link differed, and that is support's now.
      unchanged: 1,
      updated: 4,
      rejected: 0,
      anomalies: { link_override_kept: 1, erased_data_kept: 1 },
    });
  });

  it('survives when it lands between chunks, before the importer reads the account', async () => {
    const { service, db } = await freshService('race_chunks');
    await importDir(db, writeExport(temp.make('chunks-v1'), V1));
    const report = await importDir(db, writeExport(temp.make('chunks-v2'), V2), {
      chunkSize: 1,
      afterChunk: async (file, chunk) => {
        // acc-plain is the fifth line: linked after the first chunk, read in the fifth.
        if (file === 'accounts' && chunk === 1) await linkAccount(service, 'acc-plain', 'mi-between');
      },
    });
    expect((await accountsById(db)).get('acc-plain')).toMatchObject({ xiaomiUserId: 'mi-between' });
    expect(counts(report, 'accounts')).toEqual({ read: 5, inserted: 0, unchanged: 1, updated: 4, rejected: 0, anomalies: { link_override_kept: 1 } });
  });

  it('leaves no erased value behind when an erasure lands while the orders file is imported', async () => {
    const { service, db } = await freshService('race_erasure');
    await importDir(db, writeExport(temp.make('erasure-v1'), V1));
    const report = await importDir(db, writeExport(temp.make('erasure-v2'), V2), {
      beforeWrite: async (file, chunk) => {
        // The service's scrub runs before the importer writes o-plain's new address.
        if (file === 'orders' && chunk === 1) await eraseAccount(service, 'acc-plain');
      },
    });
    const orders = await ordersById(db);
    expect(orders.get('o-plain')).toMatchObject({ shippingAddress: null, accountId: 'acc-plain' });
    expect(orders.get('o-link')?.shippingAddress).not.toBeNull();
    // The feedback file started after the erasure: it knows the account is erased.
    expect((await feedbackById(db)).get('f-plain')).toMatchObject({ title: null, body: null });
    expect(report.files.feedback?.anomalies).toEqual({ erased_data_kept: 1 });
    const text = await databaseText(db);
    for (const value of ['2 New Road', 'Pia Plain', 'plain@example.com']) expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
  });
});

describe('the rejects file and the report after an erasure', () => {
  it('hold no erased value, and keep the other lines exactly as exported', async () => {
    const { service, db } = await freshService('erased_rejects');
    await importDir(db, writeExport(temp.make('rejects-v1'), V1));
    await eraseAccount(service, 'acc-erase');
    const dir = writeExport(temp.make('rejects-v3'), {
      'accounts.ndjson': [
        JSON.stringify(account('acc-erase', 'de', { email: 'erase.me@example.com', display_name: 'Erika Erased', registered_at: 'not a date' })),
        JSON.stringify(account('acc-plain', 'pl', { email: 'plain@example.com', registered_at: 'not a date' })),
        '{"account_id": "acc-erase", "email": "erase.me@example.com", "display_name": "Erika',
        // An email the parser quotes in its message.
        JSON.stringify(account('acc-erase', 'de', { email: 'Erika at Erasedorf' })),
      ].join('\n'),
      'orders.ndjson': [
        order('o-erase-1', 'acc-erase', 'de', { shipping_address: ERASED_ADDRESS, total: 'ten' }),
        order('o-erase-3', 'acc-erase', 'de', { shipping_address: { ...ERASED_ADDRESS, country: 'Erasedorf' } }),
        order('o-erase-2', 'acc-erase', 'de', { shipping_address: ERASED_ADDRESS, total: '99.00' }),
      ],
      'feedback.ndjson': [review('f-erase', 'acc-erase', 'o-erase-1', { title: 'Erika secret review', body: 'My secret review text', rating: 9 })],
    });
    const rejectsPath = join(temp.make('rejects-out'), 'rejects.ndjson');
    const reportPath = join(temp.make('report-out'), 'report.json');
    const report = await importDir(db, dir, { rejectsPath, reportPath });

    expect(counts(report, 'accounts')).toEqual({ read: 4, inserted: 0, updated: 0, unchanged: 0, rejected: 4, anomalies: {} });
    expect(counts(report, 'orders')).toEqual({ read: 3, inserted: 0, updated: 0, unchanged: 1, rejected: 2, anomalies: { erased_data_kept: 1, total_mismatch: 1 } });
    expect(counts(report, 'feedback')).toEqual({ read: 1, inserted: 0, updated: 0, unchanged: 0, rejected: 1, anomalies: {} });
    const rejects = readRejects(rejectsPath);
    expect(rejects.map((r) => [r.file, r.line, r.reason, r.field, (r as { redacted?: string }).redacted])).toEqual([
      ['accounts.ndjson', 1, 'invalid_value', 'registered_at', 'erased_account'],
      ['accounts.ndjson', 2, 'invalid_value', 'registered_at', undefined],
      ['accounts.ndjson', 3, 'invalid_json', undefined, 'erased_account'],
      ['accounts.ndjson', 4, 'invalid_value', 'email', 'erased_account'],
      ['orders.ndjson', 1, 'invalid_value', 'total', 'erased_account'],
      ['orders.ndjson', 2, 'invalid_value', 'shipping_address.country', 'erased_account'],
      ['feedback.ndjson', 1, 'out_of_range', 'rating', 'erased_account'],
    ]);
    // A line of another account is kept exactly as exported; an erased account's line keeps its other fields.
    expect(rejects[1]?.raw).toBe(lineOf(join(dir, 'accounts.ndjson'), 2));
    expect(JSON.parse(rejects[4]?.raw ?? '{}')).toMatchObject({ order_id: 'o-erase-1', total: 'ten', shipping_address: null });
    expectNoErasedText(readFileSync(rejectsPath, 'utf8'));
    expectNoErasedText(readFileSync(reportPath, 'utf8'));
    expectNoErasedText(await databaseText(db));
  });
});
