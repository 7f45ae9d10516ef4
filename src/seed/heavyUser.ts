/**
 * Heavy users (issue 9): a reseller-like Xiaomi user with two store accounts
 * sharing tens of thousands of orders and a long points ledger, the shape that
 * makes paging cost show. Generated in chunks (one small UserBundle at a time)
 * so the export is written with flat memory whatever the size.
 */
import type { PocoStore } from '../shared/codes';
import { ACCESSORIES, PHONES, STORES, listPrice, shippingFeeFor } from './catalog';
import type { Rng } from './random';
import type { Stamp } from './render';
import type { AccountSpec, OrderSpec, UserBundle } from './specs';
import type { IdSequences } from './userBundle';

export interface HeavyUserSize {
  orders: number;
  ledgerEntries: number;
}

/** What issue 9 asks for: 20,000 orders and 100,000 ledger entries across two stores. */
export const DEFAULT_HEAVY_USER_SIZE: HeavyUserSize = { orders: 20_000, ledgerEntries: 100_000 };

const HEAVY_STORES: readonly PocoStore[] = ['GLOBAL', 'UK'];
const ORDERS_PER_CHUNK = 500;
const DAY = 86_400_000;
const FIRST_ORDER = Date.UTC(2019, 2, 1);
const LAST_ORDER = Date.UTC(2024, 10, 1);
const MIGRATED_AT = Date.UTC(2024, 10, 26);

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function stamp(ms: number): Stamp {
  // Whole seconds, like the rest of the export.
  return { ms: Math.floor(ms / 1000) * 1000 };
}

function emptyBundle(xiaomiUserId: string): UserBundle {
  return { xiaomiUserId, accounts: [], orders: [], coupons: [], couponReissues: [], pointsLedger: [], pointsTransfers: [], feedback: [] };
}

/**
 * The chunks of heavy user `index` (Xiaomi id 59xxxxxxxx): the first holds the two accounts, every chunk
 * some orders (evenly spread over the shop's life, alternating stores) and the ledger entries of the
 * same stretch of time, each account's balance chain consistent across chunks.
 */
export function* heavyUserChunks(rng: Rng, seq: IdSequences, index: number, size: HeavyUserSize): Generator<UserBundle> {
  const xiaomiUserId = String(5_900_000_000 + index);
  const accounts: AccountSpec[] = HEAVY_STORES.map((store) => ({
    id: `pa-${pad(seq.next('account'), 7)}`,
    store,
    email: `reseller${index}.${store.toLowerCase()}@example.com`,
    displayName: `Reseller ${index}`,
    registeredAt: stamp(FIRST_ORDER - 30 * DAY),
    xiaomiUserId,
    migratedAt: stamp(MIGRATED_AT),
  }));
  const currencies = accounts.map((account) => STORES[account.store].currencies[0]!);
  const balances = accounts.map(() => 0);
  const span = LAST_ORDER - FIRST_ORDER;
  const chunks = Math.max(1, Math.ceil(size.orders / ORDERS_PER_CHUNK), Math.ceil(size.ledgerEntries / (ORDERS_PER_CHUNK * 5)));
  let ordersDone = 0;
  let entriesDone = 0;
  for (let chunk = 0; chunk < chunks; chunk++) {
    const bundle = emptyBundle(xiaomiUserId);
    if (chunk === 0) bundle.accounts.push(...accounts);
    const ordersUntil = Math.round(((chunk + 1) / chunks) * size.orders);
    for (; ordersDone < ordersUntil; ordersDone++) {
      const a = ordersDone % accounts.length;
      const account = accounts[a]!;
      const currency = currencies[a]!;
      const placed = FIRST_ORDER + Math.floor((ordersDone / size.orders) * span) + rng.int(0, 3_000_000);
      const product = rng.chance(0.5) ? rng.pick(PHONES) : rng.pick(ACCESSORIES);
      const qty = rng.int(1, 20);
      const unitPrice = listPrice(product.eur, currency);
      const subtotal = unitPrice * qty;
      const shippingFee = shippingFeeFor(currency, subtotal);
      const total = subtotal + shippingFee;
      const vat = STORES[account.store].vatRate;
      const id = `po-${pad(seq.next('order'), 8)}`;
      const order: OrderSpec = {
        id,
        orderNo: `${new Date(placed).toISOString().slice(0, 10).replace(/-/g, '')}${pad(seq.order, 8)}`,
        accountId: account.id,
        store: account.store,
        placedAt: stamp(placed),
        status: rng.chance(0.9) ? 'COMPLETED' : 'CANCELLED',
        currency,
        subtotal,
        shippingFee,
        discount: 0,
        tax: Math.round((total * vat) / (1 + vat)),
        total,
        refunded: 0,
        pointsEarned: 0,
        pointsRedeemed: 0,
        couponCodes: [],
        items: [{ sku: product.sku, name: product.name, variant: product.variants.length > 1 ? rng.pick(product.variants) : null, qty, unitPrice }],
        address: null,
        shipments: [],
      };
      bundle.orders.push(order);
    }
    const entriesUntil = Math.round(((chunk + 1) / chunks) * size.ledgerEntries);
    for (; entriesDone < entriesUntil; entriesDone++) {
      const a = entriesDone % accounts.length;
      const account = accounts[a]!;
      const redeem = balances[a]! >= 500 && rng.chance(0.2);
      const points = redeem ? -rng.int(100, 500) : rng.int(1, 300);
      balances[a]! += points;
      bundle.pointsLedger.push({
        id: `pl-${pad(seq.next('entry'), 9)}`,
        accountId: account.id,
        store: account.store,
        at: stamp(FIRST_ORDER + Math.floor((entriesDone / size.ledgerEntries) * span)),
        type: redeem ? 'REDEEMED' : 'EARNED',
        points,
        balanceAfter: balances[a]!,
        orderId: null,
        note: redeem ? null : 'Reseller rebate',
      });
    }
    yield bundle;
  }
}
