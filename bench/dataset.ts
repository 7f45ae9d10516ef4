/**
 * The benchmark's data: deterministic documents written straight into the
 * service's collections (the document model of src/db/documents.ts), so that
 * 100k users load in about a minute instead of going through the importer.
 *
 * Why not `npm run seed`: the importer checks every record against what is
 * already stored (upserts, duplicate checks), which is the right thing for a
 * real export but costs far more than the benchmark's budget allows for 100k
 * users. The shapes here follow the same model the importer writes.
 *
 * Every user draws from its own random stream (seed, user index), so user 17
 * is the same user at 10k and at 100k users: the two dataset sizes differ only
 * in how many other users share the collections.
 */
import type { Db } from 'mongodb';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { collectionsOf, ensureIndexes, type Collections } from '../src/db/collections';
import type {
  AccountDoc,
  CouponDoc,
  CouponReissueDoc,
  FeedbackDoc,
  OrderDoc,
  PointsBalanceDoc,
  PointsEntryDoc,
  PointsTransferDoc,
  ShipmentDoc,
} from '../src/db/documents';
import type { CurrencyCode, OrderStatus, PocoStore } from '../src/shared/codes';

/** Bump when the generated documents change, so cached datasets are rebuilt. */
export const DATASET_VERSION = 3;

const DAY = 86_400_000;
const SHOP_OPENED = Date.UTC(2019, 0, 1);
const SHOP_CLOSED = Date.UTC(2024, 10, 30);
const MIGRATED_AT = new Date(Date.UTC(2024, 11, 12, 3, 0, 0));

const STORE_CURRENCY: Record<PocoStore, CurrencyCode> = {
  GLOBAL: 'USD',
  UK: 'GBP',
  FR: 'EUR',
  DE: 'EUR',
  ES: 'EUR',
  IT: 'EUR',
  PL: 'PLN',
};
const STORE_COUNTRY: Record<PocoStore, string> = { GLOBAL: 'US', UK: 'GB', FR: 'FR', DE: 'DE', ES: 'ES', IT: 'IT', PL: 'PL' };
const STORES = Object.keys(STORE_CURRENCY) as PocoStore[];
const PRODUCTS = [
  { sku: 'POCO-F5-256-BLK', name: 'POCO F5 256GB', price: 44_900 },
  { sku: 'POCO-X5-PRO-128', name: 'POCO X5 Pro 5G 128GB', price: 34_900 },
  { sku: 'POCO-M5S-64', name: 'POCO M5s 64GB', price: 19_900 },
  { sku: 'POCO-F4-GT-256', name: 'POCO F4 GT 256GB', price: 59_900 },
  { sku: 'POCO-WATCH', name: 'POCO Watch', price: 7_999 },
  { sku: 'POCO-BUDS-PRO', name: 'POCO Buds Pro', price: 5_999 },
  { sku: 'MI-CHARGER-67W', name: 'Mi 67W Charger', price: 2_499 },
  { sku: 'POCO-CASE-F5', name: 'POCO F5 Case', price: 1_299 },
] as const;
const VARIANTS = [null, 'Black', 'Blue', 'Yellow', '8GB+256GB'] as const;
const CARRIERS = ['DHL', 'UPS', 'DPD', 'Royal Mail', 'InPost', 'GLS'] as const;
const ORDER_STATUS_WEIGHTS: readonly (readonly [OrderStatus, number])[] = [
  ['COMPLETED', 55],
  ['DELIVERED', 15],
  ['CANCELLED', 8],
  ['REFUNDED', 5],
  ['PARTIALLY_REFUNDED', 3],
  ['RETURNED', 3],
  ['SHIPPED', 5],
  ['PROCESSING', 2],
  ['PAID', 2],
  ['PENDING_PAYMENT', 2],
];

class Random {
  private readonly generator: RandomGenerator;
  constructor(seed: number, stream: number) {
    this.generator = xoroshiro128plus((seed * 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b));
  }
  int(min: number, max: number): number {
    return uniformInt(this.generator, min, max);
  }
  chance(percent: number): boolean {
    return this.int(0, 99) < percent;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }
  weighted<T>(weights: readonly (readonly [T, number])[]): T {
    const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
    let ticket = this.int(0, total - 1);
    for (const [value, weight] of weights) {
      if (ticket < weight) return value;
      ticket -= weight;
    }
    throw new Error('weights must be positive');
  }
}

/** The Xiaomi user id of user number `index`. */
export function userIdOf(index: number): string {
  return `mi-${String(index).padStart(7, '0')}`;
}

/** Everything generated for one user (and the unlinked account generated beside some). */
export interface UserDocuments {
  accounts: AccountDoc[];
  orders: OrderDoc[];
  feedback: FeedbackDoc[];
  pointsLedger: PointsEntryDoc[];
  pointsTransfers: PointsTransferDoc[];
  pointsBalances: PointsBalanceDoc[];
  coupons: CouponDoc[];
  couponReissues: CouponReissueDoc[];
}

function emptyDocuments(): UserDocuments {
  return {
    accounts: [],
    orders: [],
    feedback: [],
    pointsLedger: [],
    pointsTransfers: [],
    pointsBalances: [],
    coupons: [],
    couponReissues: [],
  };
}

function shipmentsFor(random: Random, orderId: string, status: OrderStatus, placedAt: number): ShipmentDoc[] {
  const shipped = ['SHIPPED', 'DELIVERED', 'COMPLETED', 'RETURNED', 'PARTIALLY_REFUNDED'].includes(status);
  if (!shipped) return [];
  const count = random.chance(10) ? 2 : 1;
  const shipments: ShipmentDoc[] = [];
  for (let s = 0; s < count; s++) {
    const shippedAt = placedAt + random.int(1, 3) * DAY;
    const delivered = status !== 'SHIPPED';
    const deliveredAt = delivered ? shippedAt + random.int(1, 5) * DAY : null;
    const eventCount = random.int(2, 6);
    const events = [];
    for (let e = 0; e < eventCount; e++) {
      events.push({
        at: new Date(shippedAt + e * random.int(2, 20) * 3_600_000),
        status: e === 0 ? 'picked_up' : e === eventCount - 1 && delivered ? 'delivered' : 'in_transit',
        location: random.chance(80) ? `Hub ${random.int(1, 40)}` : null,
        desc: random.chance(50) ? 'Parcel scanned at depot' : null,
      });
    }
    shipments.push({
      id: `${orderId}-s${s + 1}`,
      carrier: random.pick(CARRIERS),
      trackingNo: random.chance(95) ? `TRK${random.int(100_000_000, 999_999_999)}` : null,
      status: status === 'RETURNED' ? 'RETURNED' : delivered ? 'DELIVERED' : 'IN_TRANSIT',
      shippedAt: new Date(shippedAt),
      deliveredAt: deliveredAt === null ? null : new Date(deliveredAt),
      events,
    });
  }
  return shipments;
}

/**
 * One user's documents: 1 to 3 store accounts, 0 to 6 orders each, their
 * feedback, points ledger (with balances and some transfers) and coupons.
 * About one user in twenty also brings an unlinked account (support data).
 */
export function generateUser(seed: number, index: number): UserDocuments {
  const random = new Random(seed, index);
  const out = emptyDocuments();
  const userId = userIdOf(index);
  const accountCount = random.weighted([
    [1, 80],
    [2, 16],
    [3, 4],
  ] as const);
  const firstStore = random.int(0, STORES.length - 1);
  for (let a = 0; a < accountCount + (random.chance(5) ? 1 : 0); a++) {
    const linked = a < accountCount;
    const store = STORES[(firstStore + a) % STORES.length]!;
    const currency = STORE_CURRENCY[store];
    const accountId = `A${String(index).padStart(7, '0')}${a}`;
    const registeredAt = SHOP_OPENED + random.int(0, 900) * DAY + random.int(0, DAY - 1);
    out.accounts.push({
      _id: accountId,
      store,
      email: `user${index}.${a}@mail.example`,
      displayName: random.chance(70) ? `User ${index}` : null,
      registeredAt: new Date(registeredAt),
      xiaomiUserId: linked ? userId : null,
      migratedAt: MIGRATED_AT,
    });

    // Coupons first, so that orders can use some of them.
    const coupons: CouponDoc[] = [];
    const couponCount = random.int(0, 4);
    for (let c = 0; c < couponCount; c++) {
      const issuedAt = registeredAt + random.int(1, 1200) * DAY;
      const kind = random.weighted([
        ['FIXED_AMOUNT', 50],
        ['PERCENTAGE', 35],
        ['FREE_SHIPPING', 15],
      ] as const);
      coupons.push({
        _id: `${accountId}-c${c + 1}`,
        code: `${store}${String(index).padStart(7, '0')}${a}${c}`,
        accountId,
        store,
        title: kind === 'FREE_SHIPPING' ? 'Free shipping' : kind === 'PERCENTAGE' ? '10% off accessories' : '20 off your next phone',
        kind,
        amountOff: kind === 'FIXED_AMOUNT' ? 2000 : null,
        percentOff: kind === 'PERCENTAGE' ? random.pick(['5', '10', '12.5']) : null,
        currency: kind === 'FIXED_AMOUNT' || random.chance(30) ? currency : null,
        minSpend: random.chance(30) ? 10_000 : null,
        issuedAt: new Date(issuedAt),
        validFrom: new Date(issuedAt),
        validUntil: new Date(issuedAt + random.int(30, 365) * DAY),
        exportStatus: random.weighted([
          ['UNUSED', 50],
          ['EXPIRED', 30],
          ['VOID', 5],
        ] as const),
        usedAt: null,
        usedOrderId: null,
      });
    }

    const orderCount = random.int(0, 6);
    // Ledger movements are collected first and numbered in time order afterwards, so that
    // each balanceAfter follows from the previous entry by (at, id) as the importer checks.
    const movements: { at: number; type: PointsEntryDoc['type']; points: number; orderId: string | null; note: string | null }[] = [];
    let approximateBalance = 0;
    const ledger = (at: number, type: PointsEntryDoc['type'], points: number, orderId: string | null, note: string | null): void => {
      approximateBalance += points;
      movements.push({ at, type, points, orderId, note });
    };

    const placedTimes: number[] = [];
    for (let o = 0; o < orderCount; o++) placedTimes.push(registeredAt + random.int(1, 1400) * DAY + random.int(0, DAY - 1));
    placedTimes.sort((x, y) => x - y);
    placedTimes.forEach((placed, o) => {
      const placedAt = Math.min(placed, SHOP_CLOSED - DAY);
      const orderId = `O${String(index).padStart(7, '0')}${a}${o}`;
      const status = random.weighted(ORDER_STATUS_WEIGHTS);
      const itemCount = random.int(1, 3);
      const items = [];
      let subtotal = 0;
      for (let i = 0; i < itemCount; i++) {
        const product = random.pick(PRODUCTS);
        const qty = random.chance(85) ? 1 : 2;
        subtotal += product.price * qty;
        items.push({ sku: product.sku, name: product.name, variant: random.pick(VARIANTS), qty, unitPrice: product.price });
      }
      const unused = coupons.filter((coupon) => coupon.exportStatus === 'UNUSED' && coupon.usedOrderId === null);
      const coupon = unused.length > 0 && random.chance(30) ? unused[0]! : null;
      const shippingFee = subtotal > 5_000 ? 0 : 499;
      const discount = coupon?.amountOff ?? 0;
      if (coupon) {
        coupon.exportStatus = 'USED';
        coupon.usedAt = new Date(placedAt);
        coupon.usedOrderId = orderId;
      }
      const total = subtotal + shippingFee - discount;
      const pointsEarned = ['CANCELLED', 'PENDING_PAYMENT', 'REFUNDED'].includes(status) ? 0 : Math.floor(total / 100);
      const pointsRedeemed = approximateBalance > 300 && random.chance(20) ? 100 : 0;
      out.orders.push({
        _id: orderId,
        orderNo: `PO${store}${String(index).padStart(7, '0')}${a}${o}`,
        accountId,
        store,
        placedAt: new Date(placedAt),
        status,
        currency,
        subtotal,
        shippingFee,
        discount,
        tax: Math.round((total * 20) / 120),
        total,
        refunded: status === 'REFUNDED' ? total : status === 'PARTIALLY_REFUNDED' ? Math.floor(total / 3) : 0,
        pointsEarned,
        pointsRedeemed,
        couponCodes: coupon ? [coupon.code] : [],
        items,
        shippingAddress: random.chance(95)
          ? {
              name: `User ${index}`,
              line1: `${random.int(1, 200)} High Street`,
              line2: random.chance(20) ? `Flat ${random.int(1, 30)}` : null,
              city: 'Springfield',
              postcode: store === 'GLOBAL' ? null : `${random.int(10_000, 99_999)}`,
              country: STORE_COUNTRY[store],
            }
          : null,
        shipments: shipmentsFor(random, orderId, status, placedAt),
      });
      if (pointsRedeemed > 0) ledger(placedAt, 'REDEEMED', -pointsRedeemed, orderId, null);
      if (pointsEarned > 0) ledger(placedAt + DAY, 'EARNED', pointsEarned, orderId, `Order ${orderId}`);
      if (random.chance(40)) {
        const feedbackCount = random.chance(25) ? 2 : 1;
        for (let f = 0; f < feedbackCount; f++) {
          const kind = random.weighted([
            ['PRODUCT_REVIEW', 60],
            ['DELIVERY_RATING', 30],
            ['SERVICE_TICKET', 10],
          ] as const);
          const createdAt = placedAt + random.int(3, 30) * DAY;
          out.feedback.push({
            _id: `${orderId}-f${f + 1}`,
            accountId,
            orderId,
            kind,
            rating: kind === 'SERVICE_TICKET' ? null : random.int(1, 5),
            title: random.chance(60) ? 'Great phone' : null,
            body: random.chance(80) ? 'Arrived quickly, works as described. Battery lasts two days.' : null,
            sku: kind === 'PRODUCT_REVIEW' ? items[0]!.sku : null,
            createdAt: new Date(createdAt),
            reply: random.chance(30) ? { body: 'Thank you for your feedback!', at: new Date(createdAt + 2 * DAY) } : null,
          });
        }
      }
    });
    movements.sort((x, y) => x.at - y.at);
    let balance = 0;
    let earned = 0;
    let redeemed = 0;
    let expired = 0;
    const firstEntry = out.pointsLedger.length;
    const book = (movement: (typeof movements)[number]): void => {
      balance += movement.points;
      if (movement.type === 'EARNED') earned += movement.points;
      if (movement.type === 'REDEEMED') redeemed -= movement.points;
      if (movement.type === 'EXPIRED') expired -= movement.points;
      out.pointsLedger.push({
        _id: `${accountId}-p${String(out.pointsLedger.length - firstEntry + 1).padStart(4, '0')}`,
        accountId,
        store,
        at: new Date(movement.at),
        type: movement.type,
        points: movement.points,
        balanceAfter: balance,
        orderId: movement.orderId,
        note: movement.note,
      });
    };
    movements.forEach(book);
    // After every order (the shop had closed): expiry, a goodwill adjustment, the transfer to Xiaomi.
    if (balance > 50 && random.chance(15)) {
      book({ at: SHOP_CLOSED + DAY, type: 'EXPIRED', points: -Math.floor(balance / 4), orderId: null, note: 'Points expired' });
    }
    if (random.chance(5)) book({ at: SHOP_CLOSED + 2 * DAY, type: 'ADJUSTED', points: 25, orderId: null, note: 'Goodwill adjustment' });
    if (balance > 0 && random.chance(50)) {
      const transferredAt = MIGRATED_AT.getTime() + random.int(1, 30) * DAY;
      out.pointsTransfers.push({
        _id: accountId,
        store,
        pocoPoints: balance,
        miPoints: Math.floor(balance / 2),
        rate: '0.5',
        transferredAt: new Date(transferredAt),
        miLoyaltyAccountId: random.chance(90) ? `mil-${index}` : null,
      });
      book({ at: transferredAt, type: 'TRANSFERRED', points: -balance, orderId: null, note: 'Moved to Xiaomi points' });
    }
    out.pointsBalances.push({ _id: accountId, balance, earned, redeemed, expired });
    for (const coupon of coupons) {
      out.coupons.push(coupon);
      if (coupon.exportStatus === 'UNUSED' && random.chance(30)) {
        out.couponReissues.push({
          _id: coupon._id,
          xiaomiCouponId: `xc-${coupon._id}`,
          xiaomiCouponCode: `MI${coupon.code}`,
          reissuedAt: new Date(MIGRATED_AT.getTime() + 5 * DAY),
          validUntil: random.chance(70) ? new Date(MIGRATED_AT.getTime() + 180 * DAY) : null,
        });
      }
    }
  }
  return out;
}

/** A prime that divides no dataset size used here, so position => position * stride mod size is a permutation. */
const SCATTER_STRIDE = 7919n;

export type DatasetCounts = Record<keyof UserDocuments, number>;

/**
 * Writes users [0, userCount) into `db` in bulk, then creates the service's
 * indexes. The caller drops the database first.
 */
export async function writeDataset(
  db: Db,
  seed: number,
  userCount: number,
  progress: (usersDone: number) => void = () => {},
): Promise<DatasetCounts> {
  const collections: Collections = collectionsOf(db);
  const counts: DatasetCounts = {
    accounts: 0,
    orders: 0,
    feedback: 0,
    pointsLedger: 0,
    pointsTransfers: 0,
    pointsBalances: 0,
    coupons: 0,
    couponReissues: 0,
  };
  if (BigInt(userCount) % SCATTER_STRIDE === 0n) throw new Error(`the user count must not be a multiple of ${SCATTER_STRIDE}`);
  const usersPerBatch = 2_000;
  // Users are written in a scattered order (a fixed permutation), as exports arrive: the benchmark's
  // users (all among the first few hundred) then sit anywhere in each collection, not at its start,
  // which matters on a database that scans collections and stops at a limit (FerretDB).
  const order = (position: number): number => Number((BigInt(position) * SCATTER_STRIDE) % BigInt(userCount));
  // Index builds on a full collection are one pass; maintaining them per insert is not cheaper.
  for (let start = 0; start < userCount; start += usersPerBatch) {
    const batch = emptyDocuments();
    for (let position = start; position < Math.min(userCount, start + usersPerBatch); position++) {
      const user = generateUser(seed, order(position));
      for (const name of Object.keys(batch) as (keyof UserDocuments)[]) {
        (batch[name] as unknown[]).push(...(user[name] as unknown[]));
      }
    }
    await Promise.all(
      (Object.keys(batch) as (keyof UserDocuments)[]).map(async (name) => {
        const documents = batch[name];
        if (documents.length === 0) return;
        counts[name] += documents.length;
        // Unordered bulk insert: the driver splits it into wire-sized batches.
        await (collections[name] as unknown as { insertMany(docs: unknown[], options: object): Promise<unknown> }).insertMany(
          documents,
          { ordered: false },
        );
      }),
    );
    progress(Math.min(userCount, start + usersPerBatch));
  }
  await ensureIndexes(db);
  return counts;
}

/** The size of a heavy user (a reseller-like account pair): issue 9 asks for 20,000 orders and 100,000 ledger entries. */
export interface HeavyUserSize {
  orders: number;
  ledgerEntries: number;
}

/** The Xiaomi user id of heavy user number `index` (apart from the light users' numbering). */
export function heavyUserIdOf(index: number): string {
  return `mi-heavy-${String(index).padStart(3, '0')}`;
}

const HEAVY_STORES: readonly PocoStore[] = ['GLOBAL', 'UK'];
const HEAVY_CHUNK = 2_000;

/**
 * Writes heavy user `index`: two accounts (GLOBAL and UK) sharing `size.orders`
 * orders and `size.ledgerEntries` ledger entries, with a consistent balance
 * chain per account. Streams in chunks of HEAVY_CHUNK documents, so memory
 * stays flat whatever the size.
 */
export async function writeHeavyUser(db: Db, seed: number, index: number, size: HeavyUserSize): Promise<DatasetCounts> {
  const collections = collectionsOf(db);
  const random = new Random(seed, 1_000_000 + index);
  const userId = heavyUserIdOf(index);
  const counts: DatasetCounts = {
    accounts: 0,
    orders: 0,
    feedback: 0,
    pointsLedger: 0,
    pointsTransfers: 0,
    pointsBalances: 0,
    coupons: 0,
    couponReissues: 0,
  };
  const accountIds = HEAVY_STORES.map((store) => `H${String(index).padStart(3, '0')}${store}`);
  await collections.accounts.insertMany(
    HEAVY_STORES.map((store, a) => ({
      _id: accountIds[a]!,
      store,
      email: `reseller${index}.${a}@mail.example`,
      displayName: `Reseller ${index}`,
      registeredAt: new Date(SHOP_OPENED + a * DAY),
      xiaomiUserId: userId,
      migratedAt: MIGRATED_AT,
    })),
  );
  counts.accounts += HEAVY_STORES.length;
  const span = SHOP_CLOSED - SHOP_OPENED - 2 * DAY;

  // Orders: evenly spread over the shop's life, alternating stores, so both accounts are long.
  for (let start = 0; start < size.orders; start += HEAVY_CHUNK) {
    const chunk: OrderDoc[] = [];
    for (let o = start; o < Math.min(size.orders, start + HEAVY_CHUNK); o++) {
      const a = o % HEAVY_STORES.length;
      const store = HEAVY_STORES[a]!;
      const orderId = `HO${String(index).padStart(3, '0')}${String(o).padStart(6, '0')}`;
      const placedAt = SHOP_OPENED + DAY + Math.floor((o / size.orders) * span) + random.int(0, 3_600_000);
      const status = random.weighted(ORDER_STATUS_WEIGHTS);
      const product = random.pick(PRODUCTS);
      const qty = random.int(1, 20);
      const total = product.price * qty;
      chunk.push({
        _id: orderId,
        orderNo: `PH${store}${String(index).padStart(3, '0')}${String(o).padStart(6, '0')}`,
        accountId: accountIds[a]!,
        store,
        placedAt: new Date(placedAt),
        status,
        currency: STORE_CURRENCY[store],
        subtotal: total,
        shippingFee: 0,
        discount: 0,
        tax: Math.round((total * 20) / 120),
        total,
        refunded: status === 'REFUNDED' ? total : 0,
        pointsEarned: Math.floor(total / 100),
        pointsRedeemed: 0,
        couponCodes: [],
        items: [{ sku: product.sku, name: product.name, variant: random.pick(VARIANTS), qty, unitPrice: product.price }],
        shippingAddress: {
          name: `Reseller ${index}`,
          line1: `${random.int(1, 200)} Market Street`,
          line2: null,
          city: 'Springfield',
          postcode: store === 'GLOBAL' ? null : `${random.int(10_000, 99_999)}`,
          country: STORE_COUNTRY[store],
        },
        shipments: shipmentsFor(random, orderId, status, placedAt),
      });
    }
    await collections.orders.insertMany(chunk, { ordered: false });
    counts.orders += chunk.length;
  }

  // Ledger: in time order per account, each balanceAfter following from the one before.
  const balances = HEAVY_STORES.map((_, a) => ({ _id: accountIds[a]!, balance: 0, earned: 0, redeemed: 0, expired: 0 }));
  const numbers = HEAVY_STORES.map(() => 0);
  for (let start = 0; start < size.ledgerEntries; start += HEAVY_CHUNK) {
    const chunk: PointsEntryDoc[] = [];
    for (let e = start; e < Math.min(size.ledgerEntries, start + HEAVY_CHUNK); e++) {
      const a = e % HEAVY_STORES.length;
      const figures = balances[a]!;
      const redeem = figures.balance > 500 && random.chance(20);
      const points = redeem ? -random.int(50, 500) : random.int(1, 300);
      figures.balance += points;
      if (redeem) figures.redeemed -= points;
      else figures.earned += points;
      numbers[a]! += 1;
      chunk.push({
        _id: `${accountIds[a]!}-p${String(numbers[a]!).padStart(6, '0')}`,
        accountId: accountIds[a]!,
        store: HEAVY_STORES[a]!,
        at: new Date(SHOP_OPENED + DAY + Math.floor((e / size.ledgerEntries) * span)),
        type: redeem ? 'REDEEMED' : 'EARNED',
        points,
        balanceAfter: figures.balance,
        orderId: null,
        note: redeem ? null : 'Bulk order points',
      });
    }
    await collections.pointsLedger.insertMany(chunk, { ordered: false });
    counts.pointsLedger += chunk.length;
  }
  await collections.pointsBalances.insertMany(balances);
  counts.pointsBalances += balances.length;
  return counts;
}
