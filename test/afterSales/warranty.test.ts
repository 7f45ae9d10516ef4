/**
 * PocoOrderLineItem.warranty (api.md "Warranty") on hand-written orders,
 * through the real schema and resolvers over the test database.
 */
import { loadConfig } from '../../src/config';
import type { ShipmentDoc } from '../../src/db/documents';
import { addCalendarMonthsUtc } from '../../src/afterSales/warranty';
import type { OrderStatus } from '../../src/shared/codes';
import { account, at, order } from '../resolvers/fixtures';
import { expectNoErrors, startHarness, userViewer, type Harness } from '../resolvers/harness';

function shipment(id: string, deliveredAt: string | null, overrides: Partial<ShipmentDoc> = {}): ShipmentDoc {
  return {
    id,
    carrier: 'DPD',
    trackingNo: `TRK-${id}`,
    status: deliveredAt === null ? 'IN_TRANSIT' : 'DELIVERED',
    shippedAt: at('2024-01-02T08:00:00.000Z'),
    deliveredAt: deliveredAt === null ? null : at(deliveredAt),
    events: [],
    ...overrides,
  };
}

const QUERY = `query ($id: ID!) { pocoOrder(id: $id) { lineItems { sku warranty { startsAt endsAt months status } } } }`;
const owner = userViewer('user-w');

describe('PocoOrderLineItem.warranty', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness('warranty');
    await harness.collections.accounts.insertMany([
      account('ACC-W', { xiaomiUserId: 'user-w' }),
      account('ACC-W-UK', { xiaomiUserId: 'user-w', store: 'UK' }),
    ]);
    const twoItems = [
      { sku: 'SKU-A', name: 'POCO F6', variant: null, qty: 1, unitPrice: 39900 },
      { sku: 'SKU-B', name: 'POCO Buds', variant: 'white', qty: 2, unitPrice: 2900 },
    ];
    await harness.collections.orders.insertMany([
      order('O-DELIVERED', 'ACC-W', { status: 'DELIVERED', items: twoItems, shipments: [shipment('s1', '2024-01-05T14:30:00.000Z')] }),
      order('O-NEVER', 'ACC-W', { status: 'SHIPPED', shipments: [shipment('s2', null)] }),
      order('O-NO-SHIPMENT', 'ACC-W', { status: 'PAID', shipments: [] }),
      order('O-STALE-STATUS', 'ACC-W', { status: 'SHIPPED', shipments: [shipment('s3', '2024-03-10T09:00:00.000Z')] }),
      order('O-SEVERAL', 'ACC-W', {
        status: 'COMPLETED',
        shipments: [
          shipment('s4', '2024-04-20T10:00:00.000Z'),
          shipment('s5', null),
          shipment('s6', '2024-04-18T16:45:12.345Z'),
          shipment('s7', '2024-04-19T10:00:00.000Z'),
        ],
      }),
      order('O-LEAP', 'ACC-W', { status: 'COMPLETED', shipments: [shipment('s8', '2024-02-29T23:59:59.999Z')] }),
      order('O-UK', 'ACC-W-UK', { store: 'UK', currency: 'GBP', status: 'COMPLETED', shipments: [shipment('s9', '2024-01-31T12:00:00.000Z')] }),
      order('O-PARTIAL-REFUND', 'ACC-W', { status: 'PARTIALLY_REFUNDED', shipments: [shipment('s10', '2024-01-05T14:30:00.000Z')] }),
      ...(['CANCELLED', 'REFUNDED', 'RETURNED'] as OrderStatus[]).map((status) =>
        order(`O-${status}`, 'ACC-W', { status, shipments: [shipment(`s-${status}`, '2024-01-05T14:30:00.000Z')] }),
      ),
    ]);
  });
  afterAll(async () => {
    await harness.close();
  });

  async function warrantiesOf(id: string, options: Partial<Parameters<Harness['run']>[1]> = {}) {
    const result = await harness.run(QUERY, { viewer: owner, variables: { id }, ...options });
    expectNoErrors(result);
    return (result.data?.pocoOrder.lineItems as { sku: string; warranty: unknown }[]).map((line) => line.warranty);
  }

  it('starts at the delivery, lasts 24 months by default, the same for every line', async () => {
    const expected = { startsAt: '2024-01-05T14:30:00.000Z', endsAt: '2026-01-05T14:30:00.000Z', months: 24, status: 'ACTIVE' };
    expect(await warrantiesOf('O-DELIVERED')).toEqual([expected, expected]);
  });

  it('is null when no shipment was ever delivered', async () => {
    expect(await warrantiesOf('O-NEVER')).toEqual([null]);
    expect(await warrantiesOf('O-NO-SHIPMENT')).toEqual([null]);
  });

  it.each(['CANCELLED', 'REFUNDED', 'RETURNED'])('is null for a %s order even though it was delivered', async (status) => {
    expect(await warrantiesOf(`O-${status}`)).toEqual([null]);
  });

  it('still runs for a partially refunded order', async () => {
    expect(await warrantiesOf('O-PARTIAL-REFUND')).toEqual([expect.objectContaining({ startsAt: '2024-01-05T14:30:00.000Z' })]);
  });

  it('reads the delivery from the shipments when the order status stayed SHIPPED', async () => {
    expect(await warrantiesOf('O-STALE-STATUS')).toEqual([
      { startsAt: '2024-03-10T09:00:00.000Z', endsAt: '2026-03-10T09:00:00.000Z', months: 24, status: 'ACTIVE' },
    ]);
  });

  it('starts at the earliest of several deliveries', async () => {
    expect(await warrantiesOf('O-SEVERAL')).toEqual([
      { startsAt: '2024-04-18T16:45:12.345Z', endsAt: '2026-04-18T16:45:12.345Z', months: 24, status: 'ACTIVE' },
    ]);
  });

  it('clamps to the end of a shorter month: 2024-02-29 + 24 months = 2026-02-28, time of day kept', async () => {
    expect(await warrantiesOf('O-LEAP')).toEqual([
      { startsAt: '2024-02-29T23:59:59.999Z', endsAt: '2026-02-28T23:59:59.999Z', months: 24, status: 'ACTIVE' },
    ]);
  });

  it("uses the store's own length when POCO_WARRANTY_MONTHS_<STORE> overrides it", async () => {
    const warrantyMonths = loadConfig({ POCO_WARRANTY_MONTHS: '12', POCO_WARRANTY_MONTHS_UK: '13' }).warrantyMonths;
    expect(await warrantiesOf('O-UK', { warrantyMonths })).toEqual([
      // 2024-01-31 + 13 months: February 2025 has 28 days.
      { startsAt: '2024-01-31T12:00:00.000Z', endsAt: '2025-02-28T12:00:00.000Z', months: 13, status: 'EXPIRED' },
    ]);
    expect(await warrantiesOf('O-DELIVERED', { warrantyMonths })).toEqual([
      expect.objectContaining({ endsAt: '2025-01-05T14:30:00.000Z', months: 12, status: 'EXPIRED' }),
      expect.objectContaining({ months: 12 }),
    ]);
  });

  it('is ACTIVE until the request time reaches endsAt, EXPIRED from that instant on', async () => {
    const endsAt = new Date('2026-01-05T14:30:00.000Z').getTime();
    const statusAt = async (millis: number) => ((await warrantiesOf('O-DELIVERED', { now: new Date(millis) }))[0] as { status: string }).status;
    expect(await statusAt(endsAt - 1)).toBe('ACTIVE');
    expect(await statusAt(endsAt)).toBe('EXPIRED');
    expect(await statusAt(endsAt + 1)).toBe('EXPIRED');
  });
});

describe('addCalendarMonthsUtc', () => {
  it.each([
    ['2024-02-29T10:00:00.000Z', 24, '2026-02-28T10:00:00.000Z'],
    ['2024-02-29T10:00:00.000Z', 48, '2028-02-29T10:00:00.000Z'],
    ['2023-01-31T00:00:00.000Z', 1, '2023-02-28T00:00:00.000Z'],
    ['2024-01-31T00:00:00.000Z', 1, '2024-02-29T00:00:00.000Z'],
    ['2024-03-31T23:30:00.000Z', 6, '2024-09-30T23:30:00.000Z'],
    ['2024-10-31T12:00:00.000Z', 4, '2025-02-28T12:00:00.000Z'],
    ['2024-12-15T08:00:00.000Z', 1, '2025-01-15T08:00:00.000Z'],
    ['2024-05-15T08:00:00.000Z', 120, '2034-05-15T08:00:00.000Z'],
  ])('%s + %i months = %s', (start, months, end) => {
    expect(addCalendarMonthsUtc(new Date(start), months).toISOString()).toBe(end);
  });
});
