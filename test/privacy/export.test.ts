/**
 * The personal data export's JSON writer (src/privacy/export.ts) on a real
 * database: everything stored about the user's linked accounts, in the API's
 * field names, money as Money objects; erased values hidden; empty lists for a
 * user without accounts; and written incrementally, one database batch at a
 * time as the reader pulls.
 */
import type { CommandStartedEvent } from 'mongodb';
import { newAuditEntry } from '../../src/privacy/audit';
import { decideErasure } from '../../src/privacy/data';
import { personalDataExportChunks, personalDataExportStream } from '../../src/privacy/export';
import { EXPORT_BATCH_SIZE } from '../../src/privacy/exportData';
import { account, at, balance, coupon, entry, feedback, order, reissue, transfer } from '../resolvers/fixtures';
import { startHarness, type Harness } from '../resolvers/harness';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const ADDRESS = { name: 'Ines Varga', line1: '12 Hill St', line2: null, city: 'Leeds', postcode: 'LS1 4AB', country: 'GB' };
let harness: Harness;
const commands: CommandStartedEvent[] = [];

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

beforeAll(async () => {
  harness = await startHarness('privacy_export', { monitorCommands: true });
  harness.database.client.on('commandStarted', (event: CommandStartedEvent) => commands.push(event));
  const c = harness.collections;
  await c.accounts.insertMany([
    account('acc-uk', { store: 'UK', xiaomiUserId: 'user-x', email: 'ines@mail.example', displayName: 'Ines V', registeredAt: at('2019-01-01T00:00:00.000Z') }),
    account('acc-fr', { store: 'FR', xiaomiUserId: 'user-x', email: 'ines.fr@mail.example', displayName: 'Inès', registeredAt: at('2020-01-01T00:00:00.000Z') }),
    account('acc-other', { xiaomiUserId: 'user-other', email: 'other@mail.example' }),
  ]);
  await c.orders.insertMany([
    order('o-uk-1', 'acc-uk', {
      store: 'UK', currency: 'GBP', orderNo: 'UK-1', total: 31749, subtotal: 31749, shippingAddress: ADDRESS, couponCodes: ['UKSAVE'],
      items: [{ sku: 'X5', name: 'POCO X5 Pro', variant: '8/256', qty: 2, unitPrice: 15000 }],
      shipments: [{ id: 'sh-1', carrier: 'DPD', trackingNo: 'TRK1', status: 'DELIVERED', shippedAt: at('2023-01-02T00:00:00.000Z'), deliveredAt: at('2023-01-04T00:00:00.000Z'),
        events: [{ at: at('2023-01-02T00:00:00.000Z'), status: 'picked up', location: 'Hub', desc: null }] }],
    }),
    order('o-fr-1', 'acc-fr', { store: 'FR', orderNo: 'FR-1', placedAt: at('2024-01-01T00:00:00.000Z'), shippingAddress: { ...ADDRESS, city: 'Paris', country: 'FR' } }),
    order('o-other', 'acc-other', { orderNo: 'OT-1' }),
  ]);
  await c.feedback.insertMany([
    feedback('f-uk', 'o-uk-1', 'acc-uk', { title: 'Lovely phone', body: 'Ines says hi', reply: { body: 'Thanks!', at: at('2023-02-03T00:00:00.000Z') } }),
    feedback('f-fr', 'o-fr-1', 'acc-fr', { title: 'Colis abîmé', body: 'Texte de Inès' }),
  ]);
  await c.pointsLedger.insertMany([
    entry('le-1', 'acc-uk', { store: 'UK', orderId: 'o-uk-1' }),
    entry('le-2', 'acc-fr', { store: 'FR', type: 'TRANSFERRED', points: -100, balanceAfter: 0, at: at('2024-12-12T00:00:00.000Z') }),
    entry('le-other', 'acc-other'),
  ]);
  await c.pointsBalances.insertMany([balance('acc-uk', { balance: 100, earned: 100 }), balance('acc-fr', { earned: 100 })]);
  await c.pointsTransfers.insertMany([transfer('acc-fr', { store: 'FR', rate: '0.50' })]);
  await c.coupons.insertMany([
    coupon('cp-uk', 'acc-uk', { code: 'UKSAVE', store: 'UK', currency: 'GBP', exportStatus: 'USED', usedAt: at('2023-01-01T00:00:00.000Z'), usedOrderId: 'o-uk-1' }),
    coupon('cp-fr', 'acc-fr', { code: 'FRWELCOME', store: 'FR', kind: 'PERCENTAGE', amountOff: null, percentOff: '10.0', issuedAt: at('2024-02-01T00:00:00.000Z') }),
    coupon('cp-other', 'acc-other', { code: 'OTHER' }),
  ]);
  await c.couponReissues.insertMany([reissue('cp-fr')]);
  await c.accounts.updateOne({ _id: 'acc-uk' }, { $push: { audit: newAuditEntry({ userId: 'agent-1', requestId: 'r-1' }, 'ACCOUNT_LINKED', 'ticket 5', at('2025-01-01T00:00:00.000Z')) } });
});

afterAll(async () => {
  await harness.close();
});

describe('the personal data export', () => {
  it("holds every stored record of the user's linked accounts, and nothing of anybody else's", async () => {
    const doc = JSON.parse(await readAll(personalDataExportStream(harness.collections, 'user-x', NOW)));
    expect(Object.keys(doc)).toEqual(['format', 'userId', 'generatedAt', 'accounts', 'orders', 'pointsAccounts', 'pointsHistory', 'pointsTransfers', 'coupons', 'auditLog']);
    expect(doc).toMatchObject({ format: 'poco-personal-data-export/1', userId: 'user-x', generatedAt: '2025-06-01T12:00:00.000Z' });
    expect(doc.accounts).toEqual([
      { id: 'acc-uk', store: 'UK', email: 'ines@mail.example', displayName: 'Ines V', registeredAt: '2019-01-01T00:00:00.000Z', migratedAt: '2024-12-01T00:00:00.000Z', user: { id: 'user-x' }, erasedAt: null },
      { id: 'acc-fr', store: 'FR', email: 'ines.fr@mail.example', displayName: 'Inès', registeredAt: '2020-01-01T00:00:00.000Z', migratedAt: '2024-12-01T00:00:00.000Z', user: { id: 'user-x' }, erasedAt: null },
    ]);
    expect(doc.orders.map((o: { id: string }) => o.id)).toEqual(['o-fr-1', 'o-uk-1']);
    const uk = doc.orders[1];
    expect(uk).toMatchObject({
      orderNumber: 'UK-1', currencyCode: 'GBP', total: { amount: '317.49', currencyCode: 'GBP' }, couponsApplied: [{ code: 'UKSAVE' }],
      lineItems: [{ sku: 'X5', productName: 'POCO X5 Pro', variant: '8/256', quantity: 2, unitPrice: { amount: '150.00', currencyCode: 'GBP' }, lineTotal: { amount: '300.00', currencyCode: 'GBP' } }],
      shipments: [{ id: 'sh-1', carrier: 'DPD', trackingNumber: 'TRK1', status: 'DELIVERED', deliveredAt: '2023-01-04T00:00:00.000Z',
        events: [{ occurredAt: '2023-01-02T00:00:00.000Z', status: 'picked up', location: 'Hub', description: null }] }],
      feedback: [{ id: 'f-uk', title: 'Lovely phone', body: 'Ines says hi', reply: { body: 'Thanks!', repliedAt: '2023-02-03T00:00:00.000Z' } }],
      shippingAddress: { name: 'Ines Varga', line1: '12 Hill St', line2: null, city: 'Leeds', postalCode: 'LS1 4AB', countryCode: 'GB' },
    });
    expect(doc.pointsAccounts).toEqual([
      { accountId: 'acc-fr', balance: 0, lifetimeEarned: 100, lifetimeRedeemed: 0, lifetimeExpired: 0 },
      { accountId: 'acc-uk', balance: 100, lifetimeEarned: 100, lifetimeRedeemed: 0, lifetimeExpired: 0 },
    ]);
    expect(doc.pointsHistory.map((e: { id: string; points: number }) => [e.id, e.points])).toEqual([['le-2', -100], ['le-1', 100]]);
    expect(doc.pointsTransfers).toEqual([expect.objectContaining({ accountId: 'acc-fr', rate: '0.5', xiaomiPoints: 50 })]);
    expect(doc.coupons.map((cp: { id: string; status: string }) => [cp.id, cp.status])).toEqual([['cp-fr', 'REISSUED'], ['cp-uk', 'REDEEMED']]);
    expect(doc.coupons[0]).toMatchObject({ percentOff: '10', amountOff: null, reissue: { xiaomiCouponCode: 'MICODE-cp-fr' } });
    expect(doc.auditLog).toEqual([expect.objectContaining({ accountId: 'acc-uk', action: 'ACCOUNT_LINKED', actor: 'agent-1', reason: 'ticket 5', requestId: 'r-1' })]);
    expect(JSON.stringify(doc)).not.toMatch(/acc-other|o-other|le-other|cp-other|other@mail/);
  });

  it('gives a user without linked accounts a document whose lists are empty', async () => {
    const doc = JSON.parse(await readAll(personalDataExportStream(harness.collections, 'nobody', NOW)));
    expect(doc).toEqual({
      format: 'poco-personal-data-export/1', userId: 'nobody', generatedAt: '2025-06-01T12:00:00.000Z',
      accounts: [], orders: [], pointsAccounts: [], pointsHistory: [], pointsTransfers: [], coupons: [], auditLog: [],
    });
  });

  it('shows an erased account without its erased values, even before the scrub ran', async () => {
    await decideErasure(harness.collections, 'acc-fr', newAuditEntry({ userId: 'officer', requestId: 'r-2' }, 'PERSONAL_DATA_ERASED', 'DSR 1', at('2025-05-01T00:00:00.000Z')));
    const text = await readAll(personalDataExportStream(harness.collections, 'user-x', NOW));
    const doc = JSON.parse(text);
    expect(doc.accounts[1]).toMatchObject({ id: 'acc-fr', email: 'erased-acc-fr@invalid', displayName: null, erasedAt: '2025-05-01T00:00:00.000Z' });
    expect(doc.orders[0]).toMatchObject({ id: 'o-fr-1', shippingAddress: null, feedback: [expect.objectContaining({ title: null, body: null })] });
    expect(text).not.toMatch(/ines\.fr@mail|Inès|Paris|Colis|Texte de/);
    // The other account's data is not erased.
    expect(doc.orders[1].shippingAddress.city).toBe('Leeds');
    expect(doc.auditLog.map((e: { action: string }) => e.action)).toEqual(['ACCOUNT_LINKED', 'PERSONAL_DATA_ERASED']);
  });
});

describe('streaming', () => {
  const MANY = EXPORT_BATCH_SIZE * 5 + 17;

  beforeAll(async () => {
    await harness.collections.accounts.insertOne(account('acc-big', { xiaomiUserId: 'user-big' }));
    const orders = Array.from({ length: MANY }, (_, i) =>
      order(`big-${String(i).padStart(5, '0')}`, 'acc-big', { orderNo: `BIG-${i}`, placedAt: new Date(Date.UTC(2022, 0, 1) + i * 60_000) }),
    );
    for (let i = 0; i < orders.length; i += 1000) await harness.collections.orders.insertMany(orders.slice(i, i + 1000));
  });

  it('reads the orders one batch at a time, only as the reader asks for more', async () => {
    const orderReads = () =>
      commands.filter((event) => (event.commandName === 'find' && event.command.find === 'orders') || (event.commandName === 'getMore' && event.command.collection === 'orders')).length;
    commands.length = 0;
    const chunks = personalDataExportChunks(harness.collections, 'user-big', NOW);
    let text = '';
    // Pull until the first batch of orders was written, then stop reading for a moment.
    while (!text.includes('"orderNumber"')) text += (await chunks.next()).value as string;
    const readsAfterFirstBatch = orderReads();
    const written = (text.match(/"orderNumber"/g) ?? []).length;
    expect(written).toBe(EXPORT_BATCH_SIZE);
    // A paused reader holds the database cursor: no more orders were fetched than were written.
    expect(readsAfterFirstBatch).toBe(1);
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) text += next.value;
    const doc = JSON.parse(text);
    expect(doc.orders).toHaveLength(MANY);
    expect(doc.orders[0].id).toBe(`big-${String(MANY - 1).padStart(5, '0')}`);
    // find + getMores: one per batch of EXPORT_BATCH_SIZE (the last may be empty).
    expect(orderReads()).toBeGreaterThanOrEqual(Math.ceil(MANY / EXPORT_BATCH_SIZE));
    console.log(`[figures] export of ${MANY} orders: ${orderReads()} order reads of at most ${EXPORT_BATCH_SIZE} documents, ${text.length} bytes`);
  });
});
