/**
 * One-off measurement input (not a test): writes a large, valid POCO export.
 *   npx tsx test/importer/perf/generateExport.ts OUT_DIR ORDERS [--gzip]
 * ORDERS orders over ORDERS/10 accounts, 2×ORDERS ledger entries, ORDERS/5
 * coupons and ORDERS/5 feedback lines, streamed to disk (bounded memory).
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';

const [outDir = 'bench-export', ordersArg = '50000', flag] = process.argv.slice(2);
const ORDERS = Number(ordersArg);
const ACCOUNTS = Math.max(1, Math.floor(ORDERS / 10));
const STORES = ['uk', 'fr', 'de', 'es', 'it', 'pl', 'global'];

async function writeFile(name: string, count: number, line: (i: number) => object): Promise<void> {
  const gzip = flag === '--gzip' && name === 'orders';
  const file = createWriteStream(join(outDir, `${name}.ndjson${gzip ? '.gz' : ''}`));
  let out: Writable = file;
  if (gzip) {
    const zip = createGzip();
    zip.pipe(file);
    out = zip;
  }
  for (let i = 0; i < count; i++) {
    if (!out.write(`${JSON.stringify(line(i))}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(file, 'close');
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const store = (account: number): string => STORES[account % STORES.length] as string;
  await writeFile('accounts', ACCOUNTS, (i) => ({
    account_id: `acc-${i}`,
    store: store(i),
    email: ` User${i}@Example.com`,
    display_name: `User ${i}`,
    registered_at: '2021-03-04 10:00:00',
    xiaomi_user_id: i % 3 === 0 ? null : `mi-${Math.floor(i / 2)}`,
    migrated_at: '2024-12-01T00:00:00Z',
  }));
  await writeFile('orders', ORDERS, (i) => ({
    order_id: `ord-${i}`,
    order_no: `NO-${100000 + i}`,
    account_id: `acc-${i % ACCOUNTS}`,
    store: store(i % ACCOUNTS),
    placed_at: i % 2 ? '2023-10-29 01:30:00' : 1700000000000 + i * 1000,
    status: ['paid', 'shipped', 'completed', 'canceled'][i % 4],
    currency: 'EUR',
    subtotal: i % 3 ? '59,98' : 59.98,
    shipping_fee: '4.99',
    discount: '0',
    tax: '10.83',
    total: '64.97',
    points_earned: 64,
    coupon_codes: i % 5 === 0 ? [`C-${i}`] : [],
    items: [{ sku: `SKU-${i % 300}`, name: 'POCO accessory', variant: 'black', qty: 2, unit_price: '29.99' }],
    shipping_address: { name: 'A. Person', line1: '1 Main Street', city: 'Paris', postcode: '75001', country: 'FR' },
    shipments: [
      {
        shipment_id: `shp-${i}`,
        carrier: 'DHL',
        tracking_no: `TRK${i}`,
        status: 'delivered',
        shipped_at: '2023-10-30 09:00:00',
        delivered_at: '2023-11-01 12:00:00',
        events: [
          { at: '2023-11-01 12:00:00', status: 'delivered', location: 'Paris' },
          { at: '2023-10-30 09:00:00', status: 'picked_up', location: 'Warehouse' },
        ],
      },
    ],
  }));
  await writeFile('coupons', Math.floor(ORDERS / 5), (i) => ({
    coupon_id: `cpn-${i}`,
    code: `C-${i}`,
    account_id: `acc-${i % ACCOUNTS}`,
    store: store(i % ACCOUNTS),
    title: '5 off',
    type: 'fixed',
    value: '5,00',
    currency: 'EUR',
    issued_at: '2023-01-01 00:00:00',
    valid_from: '2023-01-01 00:00:00',
    valid_until: '2025-01-01 00:00:00',
    status: 'used',
    used_order_id: `ord-${i * 5}`,
  }));
  await writeFile('points_ledger', 2 * ORDERS, (i) => {
    const account = i % ACCOUNTS;
    const nth = Math.floor(i / ACCOUNTS);
    return {
      entry_id: `ent-${String(i).padStart(9, '0')}`,
      account_id: `acc-${account}`,
      at: 1600000000000 + nth * 86_400_000,
      type: 'earn',
      points: 10,
      balance_after: 10 * (nth + 1),
      order_id: nth % 2 === 0 ? `ord-${(account + ACCOUNTS * (nth / 2)) % ORDERS}` : null,
    };
  });
  await writeFile('feedback', Math.floor(ORDERS / 5), (i) => ({
    feedback_id: `fb-${i}`,
    account_id: `acc-${(i * 5) % ACCOUNTS}`,
    order_id: `ord-${i * 5}`,
    kind: 'product_review',
    rating: 1 + (i % 5),
    body: 'Works as described.',
    created_at: '2024-01-20 10:00:00',
  }));
}

void main();
