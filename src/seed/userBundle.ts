/**
 * Generates the clean history of one Xiaomi user (or one never-linked
 * account): store accounts, orders with items and shipments, feedback, the
 * points ledger with a consistent balance chain ending in a transfer, coupons
 * (some used on orders, some reissued by Xiaomi).
 *
 * Everything is drawn from the user's own Rng stream; only the id sequences
 * are shared, and they advance in generation order, so the same seed and
 * user count always give the same records.
 */
import type { CurrencyCode, DiscountKind, FeedbackKind, OrderStatus, PocoStore, PointsEntryType } from '../shared/codes';
import { ACCESSORIES, EMAIL_DOMAINS, PHONES, STORES, listPrice, shippingFeeFor, type Product } from './catalog';
import type { Rng } from './random';
import { dstStamp, QUIRK_RATE, type Stamp } from './render';
import type {
  AccountSpec,
  CouponSpec,
  FeedbackSpec,
  ItemSpec,
  LedgerEntrySpec,
  OrderSpec,
  ShipmentSpec,
  TrackingEventSpec,
  UserBundle,
} from './specs';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const HISTORY_START = Date.UTC(2019, 0, 1);
const LAST_REGISTRATION = Date.UTC(2024, 5, 30);
const LAST_ORDER = Date.UTC(2024, 10, 10);
/** po.co's last day; nothing but Xiaomi's reissues happens after it. */
const SHOP_CLOSED = Date.UTC(2024, 10, 30, 23);
const MIGRATION_START = Date.UTC(2024, 10, 25);
const REISSUE_START = Date.UTC(2024, 11, 12);

/** A well-known user present in every export, so a demo token for its id shows data. */
export interface DemoUser {
  xiaomiUserId: string;
  accounts: readonly { store: PocoStore; orders: number }[];
  /** Whether its points were moved to Xiaomi's loyalty program. */
  transfersPoints: boolean;
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    xiaomiUserId: 'demo-user-1',
    accounts: [
      { store: 'FR', orders: 8 },
      { store: 'DE', orders: 5 },
      { store: 'GLOBAL', orders: 3 },
    ],
    transfersPoints: true,
  },
  { xiaomiUserId: 'demo-user-2', accounts: [{ store: 'UK', orders: 60 }], transfersPoints: true },
  {
    xiaomiUserId: 'demo-user-3',
    accounts: [
      { store: 'ES', orders: 4 },
      { store: 'PL', orders: 2 },
    ],
    transfersPoints: false,
  },
  { xiaomiUserId: 'demo-user-4', accounts: [{ store: 'IT', orders: 1 }], transfersPoints: true },
  {
    xiaomiUserId: 'demo-user-5',
    accounts: [
      { store: 'GLOBAL', orders: 2 },
      { store: 'UK', orders: 3 },
      { store: 'PL', orders: 0 },
    ],
    transfersPoints: true,
  },
];

/** Id counters shared by all users of one export, advanced in generation order. */
export class IdSequences {
  account = 0;
  order = 0;
  shipment = 0;
  coupon = 0;
  feedback = 0;
  entry = 0;
  reissue = 0;
  /** Orders and coupons naming records that were never exported (anomaly ids). */
  gone = 0;
  /** The last generated coupon code, offered once to a coupon of another store (codes are unique per store only). */
  shareableCode: { code: string; store: PocoStore } | undefined;

  next(name: 'account' | 'order' | 'shipment' | 'coupon' | 'feedback' | 'entry' | 'reissue' | 'gone'): number {
    this[name] += 1;
    return this[name];
  }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** A whole-second instant, uniform in [from, to]. */
function instantBetween(rng: Rng, from: number, to: number): number {
  const seconds = rng.int(Math.floor(from / 1000), Math.max(Math.floor(from / 1000), Math.floor(to / 1000)));
  return seconds * 1000;
}

function stamp(ms: number): Stamp {
  return { ms };
}

/** ASCII local part for emails: "Léa Müller" -> "lea.muller". */
function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');
}

const REGULAR_ACCOUNT_COUNT = { one: 75, two: 20, three: 5 } as const;

const ORDER_STATUS_WEIGHTS: Readonly<Record<OrderStatus, number>> = {
  PENDING_PAYMENT: 3,
  PAID: 2,
  PROCESSING: 2,
  SHIPPED: 3,
  DELIVERED: 12,
  COMPLETED: 50,
  CANCELLED: 9,
  REFUNDED: 5,
  PARTIALLY_REFUNDED: 4,
  RETURNED: 4,
};

/** Statuses after which the order's points were credited. */
function earnsPoints(status: OrderStatus): boolean {
  switch (status) {
    case 'PENDING_PAYMENT':
    case 'CANCELLED':
      return false;
    case 'PAID':
    case 'PROCESSING':
    case 'SHIPPED':
    case 'DELIVERED':
    case 'COMPLETED':
    case 'REFUNDED':
    case 'PARTIALLY_REFUNDED':
    case 'RETURNED':
      return true;
    default: {
      const unexpected: never = status;
      throw new Error(`unexpected status ${String(unexpected)}`);
    }
  }
}

export interface UserOptions {
  index: number;
  demo: DemoUser | undefined;
}

interface LedgerEvent {
  at: number;
  type: PointsEntryType;
  points: number;
  orderId: string | null;
  note: string | null;
  anomaly?: LedgerEntrySpec['anomaly'];
}

/** One account's whole history, appended to `bundle`. */
class AccountHistory {
  private readonly events: LedgerEvent[] = [];
  private pendingEarns: LedgerEvent[] = [];
  private balance = 0;
  private readonly profile;
  private readonly currency: CurrencyCode;

  constructor(
    private readonly rng: Rng,
    private readonly seq: IdSequences,
    private readonly bundle: UserBundle,
    private readonly account: AccountSpec,
    private readonly demo: boolean,
  ) {
    this.profile = STORES[account.store];
    this.currency = rng.pick(this.profile.currencies);
  }

  generate(orderCount: number, transfers: boolean): void {
    const from = Math.max(this.account.registeredAt.ms + HOUR, HISTORY_START);
    const times = Array.from({ length: orderCount }, () => this.placedAt(from)).sort((a, b) => a.ms - b.ms);
    for (const placedAt of times) {
      // Now and then points expire or support adjusts them between two orders.
      const before = placedAt.ms - HOUR;
      this.creditEarnsBefore(before);
      if (before >= this.lastAt && this.balance > 300 && this.rng.chance(0.04)) {
        this.push({ at: before, type: 'EXPIRED', points: -Math.floor(this.balance * 0.3), orderId: null, note: 'Points older than 24 months' });
      } else if (before >= this.lastAt && this.rng.chance(0.03)) {
        this.push({ at: before, type: 'ADJUSTED', points: 100, orderId: null, note: 'Goodwill gesture' });
      }
      this.creditEarnsBefore(placedAt.ms);
      this.order(placedAt);
    }
    this.creditEarnsBefore(SHOP_CLOSED);
    this.extraCoupons();

    if (!this.demo && this.rng.chance(0.005)) {
      // A goodwill credit naming an order the export lost: kept, link dropped (anomaly).
      this.push({ at: Math.max(this.lastAt, this.account.migratedAt.ms - DAY), type: 'ADJUSTED', points: 50, orderId: `po-gone-${pad(this.seq.next('gone'), 6)}`, note: 'Goodwill for a lost order', anomaly: 'unknown_order' });
    }
    const transferAt = Math.max(this.lastAt, this.account.migratedAt.ms + HOUR);
    if (transfers && this.balance > 0) {
      const rate = this.rng.pick(['1', '0.5', '0.5', '0.25']);
      const pocoPoints = this.balance;
      this.push({ at: transferAt, type: 'TRANSFERRED', points: -pocoPoints, orderId: null, note: 'Moved to Xiaomi Rewards' });
      this.bundle.pointsTransfers.push({
        accountId: this.account.id,
        store: this.account.store,
        pocoPoints,
        miPoints: Math.floor(pocoPoints * Number(rate)),
        rate,
        transferredAt: stamp(transferAt),
        miLoyaltyAccountId: this.rng.chance(0.9) ? `mil-${this.rng.digits(10)}` : null,
      });
    }
    this.writeLedger();
  }

  /** When the newest ledger event happened: the chain is built in time order, so the importer's (at, entry_id) order is the same. */
  private lastAt = Number.NEGATIVE_INFINITY;

  private push(event: LedgerEvent): void {
    if (event.at < this.lastAt) throw new Error(`ledger events out of order for ${this.account.id}`);
    this.lastAt = event.at;
    this.events.push(event);
    this.balance += event.points;
  }

  /** Credits the points of orders whose crediting time has come, oldest first. */
  private creditEarnsBefore(at: number): void {
    const due = this.pendingEarns.filter((earn) => earn.at < at).sort((a, b) => a.at - b.at);
    this.pendingEarns = this.pendingEarns.filter((earn) => earn.at >= at);
    for (const earn of due) this.push(earn);
  }

  private writeLedger(): void {
    let balance = 0;
    const entries: LedgerEntrySpec[] = this.events.map((event) => {
      balance += event.points;
      return {
        id: `pl-${pad(this.seq.next('entry'), 9)}`,
        accountId: this.account.id,
        store: this.account.store,
        at: stamp(event.at),
        type: event.type,
        points: event.points,
        balanceAfter: balance,
        orderId: event.orderId,
        note: event.note,
        ...(event.anomaly ? { anomaly: event.anomaly } : {}),
      };
    });
    const last = entries[entries.length - 1];
    if (!this.demo && last && last.type !== 'TRANSFERRED' && this.rng.chance(0.04)) {
      // An old ledger system's rounding: the last balance is off (anomaly, counted once).
      last.balanceAfter += 10;
      last.anomaly = 'balance_mismatch';
    }
    this.bundle.pointsLedger.push(...entries);
  }

  private product(kind: 'phone' | 'accessory'): Product {
    return this.rng.pick(kind === 'phone' ? PHONES : ACCESSORIES);
  }

  private items(): ItemSpec[] {
    const items: ItemSpec[] = [];
    const add = (product: Product, qty: number, promo: boolean): void => {
      // Promotions took 10% off, never below the cheapest phone's list price.
      const eur = promo ? Math.max(product.eur * 0.9, 199) : product.eur;
      items.push({
        sku: product.sku,
        name: product.name,
        variant: product.variants.length > 1 || this.rng.chance(0.5) ? this.rng.pick(product.variants) : null,
        qty,
        unitPrice: listPrice(eur, this.currency),
      });
    };
    if (this.rng.chance(0.7)) {
      add(this.product('phone'), this.rng.chance(0.05) ? 2 : 1, this.rng.chance(0.2));
      const extras = this.rng.int(0, 2);
      const used = new Set<string>();
      for (let i = 0; i < extras; i++) {
        const accessory = this.product('accessory');
        if (used.has(accessory.sku)) continue;
        used.add(accessory.sku);
        add(accessory, 1, false);
      }
    } else {
      const count = this.rng.int(1, 3);
      const used = new Set<string>();
      for (let i = 0; i < count; i++) {
        const accessory = this.product('accessory');
        if (used.has(accessory.sku)) continue;
        used.add(accessory.sku);
        add(accessory, this.rng.int(1, 3), false);
      }
    }
    return items;
  }

  private couponCode(prefix: string): string {
    const shareable = this.seq.shareableCode;
    if (shareable && shareable.store !== this.account.store && this.rng.chance(0.05)) {
      // The same printed code in two stores: allowed, codes are unique within a store.
      this.seq.shareableCode = undefined;
      return shareable.code;
    }
    const code = `${prefix}-${this.rng.code(4)}-${this.seq.coupon.toString(36).toUpperCase()}`;
    this.seq.shareableCode = { code, store: this.account.store };
    return code;
  }

  /** When an order was placed; a few in the hour a DST change repeats or skips, exported as wall-clock text. */
  private placedAt(from: number): Stamp {
    const ms = instantBetween(this.rng, from, LAST_ORDER);
    if (!this.demo && this.rng.chance(QUIRK_RATE / 4)) {
      const year = Math.min(2023, new Date(ms).getUTCFullYear());
      const dst = dstStamp(this.rng, this.account.store, year, this.rng.chance(0.5) ? 'repeated' : 'skipped');
      if (dst && dst.ms > from) return dst;
    }
    return stamp(ms);
  }

  private order(placedAt: Stamp): void {
    const rng = this.rng;
    const id = `po-${pad(this.seq.next('order'), 8)}`;
    const status = rng.weighted(ORDER_STATUS_WEIGHTS);
    const placed = placedAt.ms;
    const items = this.items();
    let subtotal = items.reduce((sum, item) => sum + item.qty * item.unitPrice, 0);
    const shippingFee = shippingFeeFor(this.currency, subtotal);
    let discount = 0;
    const couponCodes: string[] = [];

    if (status !== 'PENDING_PAYMENT' && rng.chance(this.demo ? 0.3 : 0.08)) {
      const kind: DiscountKind = shippingFee > 0 && rng.chance(0.2) ? 'FREE_SHIPPING' : rng.chance(0.6) ? 'FIXED_AMOUNT' : 'PERCENTAGE';
      const seqNo = this.seq.next('coupon');
      const percent = rng.pick(['5', '10', '15', '12.5']);
      const amount = listPrice(rng.pick([5, 10, 20]), this.currency) + 1;
      const minSpend = rng.chance(0.4) ? listPrice(rng.pick([30, 50]), this.currency) + 1 : null;
      let off = 0;
      switch (kind) {
        case 'FIXED_AMOUNT':
          off = Math.min(amount, subtotal);
          break;
        case 'PERCENTAGE':
          off = Math.round((subtotal * Number(percent)) / 100);
          break;
        case 'FREE_SHIPPING':
          off = shippingFee;
          break;
        default: {
          const unexpected: never = kind;
          throw new Error(`unexpected coupon kind ${String(unexpected)}`);
        }
      }
      discount += off;
      const code = this.couponCode(kind === 'FREE_SHIPPING' ? 'FREESHIP' : kind === 'PERCENTAGE' ? 'SAVE' : 'POCO');
      couponCodes.push(code);
      const issued = Math.max(this.account.registeredAt.ms, placed - rng.int(1, 60) * DAY);
      this.bundle.coupons.push({
        id: `pc-${pad(seqNo, 8)}`,
        code,
        accountId: this.account.id,
        store: this.account.store,
        title: kind === 'FREE_SHIPPING' ? 'Free shipping' : kind === 'PERCENTAGE' ? `${percent}% off` : 'Welcome voucher',
        kind,
        amountOff: kind === 'FIXED_AMOUNT' ? amount : null,
        percentOff: kind === 'PERCENTAGE' ? percent : null,
        currency: kind === 'FIXED_AMOUNT' || minSpend !== null ? this.currency : null,
        minSpend: minSpend !== null && minSpend <= subtotal ? minSpend : null,
        issuedAt: stamp(issued),
        validFrom: stamp(issued),
        validUntil: stamp(placed + rng.int(30, 90) * DAY),
        status: 'USED',
        usedAt: stamp(placed),
        usedOrderId: id,
      });
    }

    let pointsRedeemed = 0;
    if (status !== 'PENDING_PAYMENT' && this.balance >= 500 && rng.chance(0.2)) {
      pointsRedeemed = 500;
      discount += 500;
      this.push({ at: placed, type: 'REDEEMED', points: -500, orderId: id, note: null });
    }
    discount = Math.min(discount, subtotal + shippingFee);

    let anomaly: OrderSpec['anomaly'];
    if (!this.demo && rng.chance(0.004)) {
      anomaly = 'subtotal_mismatch';
      subtotal += 100;
    }
    let total = subtotal + shippingFee - discount;
    const tax = Math.round((total * this.profile.vatRate) / (1 + this.profile.vatRate));
    if (!anomaly && !this.demo && rng.chance(0.004)) {
      anomaly = 'total_mismatch';
      total += 100;
    }
    let refunded = 0;
    if (status === 'REFUNDED' || status === 'RETURNED') refunded = total;
    else if (status === 'PARTIALLY_REFUNDED') refunded = Math.min(total, Math.round(total * 0.3));

    const pointsEarned = earnsPoints(status) ? Math.floor(total / 100) : 0;
    if (pointsEarned > 0) {
      this.pendingEarns.push({ at: placed + rng.int(3 * 24, 14 * 24) * HOUR, type: 'EARNED', points: pointsEarned, orderId: id, note: null });
    }

    const name = this.account.displayName ?? `${rng.pick(this.profile.firstNames)} ${rng.pick(this.profile.lastNames)}`;
    const country = rng.pick(this.profile.countries);
    const address = rng.chance(0.97)
      ? {
          name,
          line1: `${rng.int(1, 250)} ${rng.pick(this.profile.streets)}`,
          line2: rng.chance(0.3) ? `Apt ${rng.int(1, 80)}` : null,
          city: rng.pick(this.profile.cities),
          postcode: country === 'GB' ? `${rng.code(3)} ${rng.int(1, 9)}${rng.code(2)}` : country === 'IE' ? null : rng.digits(5),
          country,
        }
      : null;

    const order: OrderSpec = {
      id,
      orderNo: `${new Date(placed).toISOString().slice(0, 10).replace(/-/g, '')}${pad(this.seq.order, 8)}`,
      accountId: this.account.id,
      store: this.account.store,
      placedAt,
      status,
      currency: this.currency,
      subtotal,
      shippingFee,
      discount,
      tax,
      total,
      refunded,
      pointsEarned,
      pointsRedeemed,
      couponCodes,
      items,
      address,
      shipments: this.shipments(status, placed, items.length),
      ...(anomaly ? { anomaly } : {}),
    };
    this.bundle.orders.push(order);
    this.feedback(order);
  }

  private shipments(status: OrderStatus, placed: number, itemCount: number): ShipmentSpec[] {
    let shipmentStatus: ShipmentSpec['status'] | undefined;
    switch (status) {
      case 'PENDING_PAYMENT':
      case 'PAID':
      case 'CANCELLED':
        return [];
      case 'PROCESSING':
        if (this.rng.chance(0.5)) return [];
        shipmentStatus = 'PENDING';
        break;
      case 'SHIPPED':
        shipmentStatus = this.rng.weighted({ IN_TRANSIT: 70, OUT_FOR_DELIVERY: 20, PENDING: 10 });
        break;
      case 'DELIVERED':
      case 'COMPLETED':
      case 'PARTIALLY_REFUNDED':
        shipmentStatus = 'DELIVERED';
        break;
      case 'RETURNED':
        shipmentStatus = 'RETURNED';
        break;
      case 'REFUNDED':
        shipmentStatus = this.rng.chance(0.3) ? 'LOST' : 'DELIVERED';
        break;
      default: {
        const unexpected: never = status;
        throw new Error(`unexpected status ${String(unexpected)}`);
      }
    }
    const count = itemCount > 1 && shipmentStatus === 'DELIVERED' && this.rng.chance(0.15) ? 2 : 1;
    return Array.from({ length: count }, () => this.shipment(shipmentStatus, placed));
  }

  private shipment(status: ShipmentSpec['status'], placed: number): ShipmentSpec {
    const rng = this.rng;
    const carrier = rng.pick(this.profile.carriers);
    const city = (): string => rng.pick(this.profile.cities);
    const labelAt = placed + rng.int(2, 30) * HOUR;
    const events: TrackingEventSpec[] = [{ at: stamp(labelAt), status: 'label_created', location: null, desc: 'Shipping label created' }];
    const id = `sh-${pad(this.seq.next('shipment'), 8)}`;
    if (status === 'PENDING') {
      return { id, carrier, trackingNo: rng.chance(0.5) ? null : `${rng.code(2)}${rng.digits(9)}`, status, shippedAt: null, deliveredAt: null, events };
    }
    let at = labelAt + rng.int(2, 20) * HOUR;
    const shippedAt = at;
    events.push({ at: stamp(at), status: 'picked_up', location: city(), desc: `Picked up by ${carrier}` });
    for (let hop = rng.int(1, 3); hop > 0; hop--) {
      at += rng.int(6, 30) * HOUR;
      events.push({ at: stamp(at), status: 'in_transit', location: city(), desc: 'Arrived at sorting centre' });
    }
    let deliveredAt: number | null = null;
    if (status !== 'IN_TRANSIT') {
      if (status !== 'LOST') {
        at += rng.int(4, 20) * HOUR;
        events.push({ at: stamp(at), status: 'out_for_delivery', location: city(), desc: 'Out for delivery' });
      }
      if (status === 'DELIVERED' || status === 'RETURNED') {
        at += rng.int(1, 8) * HOUR;
        deliveredAt = at;
        events.push({ at: stamp(at), status: 'delivered', location: city(), desc: 'Delivered' });
      }
      if (status === 'RETURNED') {
        at += rng.int(3, 14) * DAY;
        events.push({ at: stamp(at), status: 'returned', location: city(), desc: 'Returned to sender' });
      }
      if (status === 'LOST') {
        at += rng.int(10, 20) * DAY;
        events.push({ at: stamp(at), status: 'lost', location: null, desc: 'Parcel declared lost' });
      }
    }
    return {
      id,
      carrier,
      trackingNo: `${rng.code(2)}${rng.digits(9)}${this.profile.countries[0] ?? 'XX'}`,
      status,
      shippedAt: stamp(shippedAt),
      deliveredAt: deliveredAt === null ? null : stamp(deliveredAt),
      events,
    };
  }

  private feedback(order: OrderSpec): void {
    const delivered = order.shipments.find((s) => s.deliveredAt !== null)?.deliveredAt?.ms;
    if (delivered === undefined) return;
    const count = this.rng.chance(this.demo ? 0.6 : 0.25) ? (this.rng.chance(0.15) ? 2 : 1) : 0;
    for (let i = 0; i < count; i++) {
      const createdAt = delivered + this.rng.int(1, 20 * 24) * HOUR;
      if (createdAt > SHOP_CLOSED) return;
      const kind: FeedbackKind = this.rng.weighted({ PRODUCT_REVIEW: 50, DELIVERY_RATING: 30, SERVICE_TICKET: 20 });
      const rating = kind === 'SERVICE_TICKET' ? null : this.rng.weighted({ '5': 45, '4': 30, '3': 12, '2': 6, '1': 7 });
      const spec: FeedbackSpec = {
        id: `fb-${pad(this.seq.next('feedback'), 8)}`,
        accountId: this.account.id,
        orderId: order.id,
        store: this.account.store,
        kind,
        rating: rating === null ? null : Number(rating),
        title: kind === 'SERVICE_TICKET' ? 'Question about my order' : this.rng.chance(0.7) ? 'Great value' : null,
        body: this.rng.chance(0.85) ? this.rng.pick(['Works perfectly.', 'Battery lasts two days.', 'Parcel arrived late.', 'Screen has a scratch.', 'Fast delivery, thanks!']) : null,
        sku: kind === 'PRODUCT_REVIEW' ? (order.items[0]?.sku ?? null) : null,
        createdAt: stamp(createdAt),
        reply: this.rng.chance(kind === 'SERVICE_TICKET' ? 0.7 : 0.2)
          ? { body: 'Thank you for your feedback.', at: stamp(Math.min(SHOP_CLOSED, createdAt + this.rng.int(1, 72) * HOUR)) }
          : null,
      };
      this.bundle.feedback.push(spec);
    }
  }

  /** Coupons never used: unused (mostly reissued by Xiaomi), expired or voided. */
  private extraCoupons(): void {
    const rng = this.rng;
    const count = this.demo ? 3 : Number(rng.weighted({ '0': 40, '1': 30, '2': 20, '3': 10 }));
    for (let i = 0; i < count; i++) {
      const status = this.demo && i === 0 ? 'UNUSED' : rng.weighted({ UNUSED: 45, EXPIRED: 40, VOID: 15 });
      const kind: DiscountKind = rng.weighted({ FIXED_AMOUNT: 50, PERCENTAGE: 35, FREE_SHIPPING: 15 });
      const seqNo = this.seq.next('coupon');
      const issued =
        status === 'UNUSED'
          ? instantBetween(rng, Math.max(this.account.registeredAt.ms, Date.UTC(2024, 5, 1)), LAST_ORDER)
          : instantBetween(rng, this.account.registeredAt.ms, Date.UTC(2024, 2, 31));
      const validUntil = status === 'UNUSED' ? instantBetween(rng, Date.UTC(2025, 0, 15), Date.UTC(2025, 5, 30)) : issued + rng.int(30, 90) * DAY;
      const minSpend = rng.chance(0.5) ? listPrice(rng.pick([50, 100, 200]), this.currency) + 1 : null;
      const percent = rng.pick(['5', '10', '15', '12.5']);
      const coupon: CouponSpec = {
        id: `pc-${pad(seqNo, 8)}`,
        code: this.couponCode(kind === 'FREE_SHIPPING' ? 'FREESHIP' : kind === 'PERCENTAGE' ? 'SAVE' : 'POCO'),
        accountId: this.account.id,
        store: this.account.store,
        title: kind === 'FREE_SHIPPING' ? 'Free shipping' : kind === 'PERCENTAGE' ? `${percent}% off your next order` : 'Loyalty voucher',
        kind,
        amountOff: kind === 'FIXED_AMOUNT' ? listPrice(rng.pick([5, 10, 20]), this.currency) + 1 : null,
        percentOff: kind === 'PERCENTAGE' ? percent : null,
        currency: kind === 'FIXED_AMOUNT' || minSpend !== null ? this.currency : null,
        minSpend,
        issuedAt: stamp(issued),
        validFrom: stamp(issued + (rng.chance(0.2) ? DAY : 0)),
        validUntil: stamp(validUntil),
        status,
        usedAt: null,
        usedOrderId: null,
      };
      if (!this.demo && status === 'EXPIRED' && rng.chance(0.02)) {
        // Exported as used on an order the export does not contain: kept, link dropped (anomaly).
        coupon.status = 'USED';
        coupon.usedAt = stamp(issued + DAY);
        coupon.usedOrderId = `po-gone-${pad(this.seq.next('gone'), 6)}`;
        coupon.anomaly = 'unknown_order';
      }
      this.bundle.coupons.push(coupon);
      if (status === 'UNUSED' && (this.demo || rng.chance(0.85))) {
        this.bundle.couponReissues.push({
          couponId: coupon.id,
          store: coupon.store,
          xiaomiCouponId: `xmc-${pad(this.seq.next('reissue'), 8)}`,
          xiaomiCouponCode: `MI${rng.code(10)}`,
          reissuedAt: stamp(instantBetween(rng, REISSUE_START, REISSUE_START + 45 * DAY)),
          validUntil: rng.chance(0.8) ? stamp(validUntil + 90 * DAY) : null,
        });
      }
    }
  }
}

function orderCountFor(rng: Rng): number {
  const roll = rng.int(0, 99);
  if (roll < 30) return 0;
  if (roll < 97) return Number(rng.weighted({ '1': 35, '2': 25, '3': 18, '4': 12, '5': 10 }));
  return rng.int(50, 90);
}

function pickStores(rng: Rng, count: number): PocoStore[] {
  const stores: PocoStore[] = [];
  const weights = Object.fromEntries(Object.entries(STORES).map(([store, profile]) => [store, profile.weight])) as Record<PocoStore, number>;
  while (stores.length < count) {
    const store = rng.weighted(weights);
    if (!stores.includes(store)) stores.push(store);
  }
  return stores;
}

/** The user at `index` of the export: a demo user first, then regular ones (about one in eight never linked). */
export function generateUser(rng: Rng, seq: IdSequences, options: UserOptions): UserBundle {
  const demo = options.demo;
  const linked = demo !== undefined || rng.chance(0.88);
  const xiaomiUserId = demo?.xiaomiUserId ?? (linked ? String(5_100_000_000 + options.index) : null);
  const plan = demo
    ? demo.accounts
    : pickStores(rng, linked ? Number(rng.weighted({ '1': REGULAR_ACCOUNT_COUNT.one, '2': REGULAR_ACCOUNT_COUNT.two, '3': REGULAR_ACCOUNT_COUNT.three })) : 1).map((store) => ({
        store,
        orders: orderCountFor(rng),
      }));
  const bundle: UserBundle = {
    xiaomiUserId,
    accounts: [],
    orders: [],
    coupons: [],
    couponReissues: [],
    pointsLedger: [],
    pointsTransfers: [],
    feedback: [],
  };
  const firstNameStore = STORES[plan[0]?.store ?? 'GLOBAL'];
  const first = rng.pick(firstNameStore.firstNames);
  const last = rng.pick(firstNameStore.lastNames);
  for (const { store, orders } of plan) {
    const accountNo = seq.next('account');
    const registered =
      !demo && rng.chance(QUIRK_RATE / 4)
        ? (dstStamp(rng, store, rng.int(2019, 2023), rng.chance(0.5) ? 'repeated' : 'skipped') ?? stamp(instantBetween(rng, HISTORY_START, LAST_REGISTRATION)))
        : stamp(instantBetween(rng, HISTORY_START, LAST_REGISTRATION));
    const account: AccountSpec = {
      id: `pa-${pad(accountNo, 7)}`,
      store,
      email: demo
        ? `${demo.xiaomiUserId}.${store.toLowerCase()}@example.com`
        : `${asciiSlug(`${first} ${last}`)}${accountNo}@${rng.pick(EMAIL_DOMAINS)}`,
      displayName: demo || rng.chance(0.85) ? `${first} ${last}` : null,
      registeredAt: registered,
      xiaomiUserId,
      migratedAt: stamp(instantBetween(rng, MIGRATION_START, MIGRATION_START + 4 * DAY)),
    };
    bundle.accounts.push(account);
    const transfers = demo ? demo.transfersPoints : linked && rng.chance(0.9);
    new AccountHistory(rng, seq, bundle, account, demo !== undefined).generate(orders, transfers);
  }
  return bundle;
}
