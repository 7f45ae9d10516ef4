/**
 * An independent, deliberately simple reading of a POCO export directory
 * (poco-export-format.md), for the end-to-end acceptance tests: it applies the
 * format's rules on its own (no importer code) and says what the API should
 * answer. It models the files the API comparisons need (accounts, orders,
 * coupons, coupon reissues, points ledger and transfers, feedback) and which
 * of their lines must be rejected.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

// ---------------------------------------------------------------- raw lines

/**
 * JSON numbers are re-read from their source text: "12.500" and "1e3" are
 * errors for money, which JSON.parse would hide. Every number literal outside
 * strings is turned into a string tagged with NUMBER before parsing.
 */
const NUMBER = '\u0000number:';

function tagNumbers(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const char = line[i]!;
    if (char === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      out += line.slice(i, j + 1);
      i = j + 1;
    } else if (char === '-' || (char >= '0' && char <= '9')) {
      const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(line.slice(i));
      if (!match) return line; // not JSON: JSON.parse will say so
      out += JSON.stringify(NUMBER + match[0]);
      i += match[0].length;
    } else {
      out += char;
      i += 1;
    }
  }
  return out;
}

type Raw = Record<string, unknown>;

export interface ExportLine {
  readonly file: string;
  /** 1-based, blank lines counted. */
  readonly line: number;
  readonly record: Raw | undefined;
}

/** Lines of `NAME.ndjson` or `NAME.ndjson.gz` (both when both exist), blank ones skipped. */
function readLines(dir: string, name: string): ExportLine[] {
  const lines: ExportLine[] = [];
  for (const fileName of readdirSync(dir).sort()) {
    if (fileName !== `${name}.ndjson` && fileName !== `${name}.ndjson.gz`) continue;
    const bytes = readFileSync(join(dir, fileName));
    const text = (fileName.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    text.split('\n').forEach((rawLine, index) => {
      const line = rawLine.replace(/\r$/, '').replace(/^\uFEFF/, '');
      if (line.trim() === '') return;
      let record: Raw | undefined;
      try {
        const parsed: unknown = JSON.parse(tagNumbers(line));
        record = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Raw) : undefined;
      } catch {
        record = undefined;
      }
      lines.push({ file: fileName, line: index + 1, record });
    });
  }
  return lines;
}

// ---------------------------------------------------------------- values

class Reject extends Error {}
const reject = (why: string): never => {
  throw new Reject(why);
};

const isMissing = (value: unknown): boolean => value === undefined || value === null || value === '';
const numberText = (value: unknown): string | undefined =>
  typeof value === 'string' && value.startsWith(NUMBER) ? value.slice(NUMBER.length) : undefined;

function optional<T>(record: Raw, field: string, read: (value: unknown) => T): T | null {
  const value = record[field];
  return isMissing(value) ? null : read(value);
}
function required<T>(record: Raw, field: string, read: (value: unknown) => T): T {
  const value = record[field];
  if (isMissing(value)) reject(`missing ${field}`);
  return read(value);
}

function text(value: unknown): string {
  if (typeof value !== 'string' || numberText(value) !== undefined) return reject('not a string');
  return value;
}

function integer(value: unknown): number {
  const source = numberText(value);
  if (source === undefined || !/^-?\d+$/.test(source)) return reject(`not an integer: ${String(value)}`);
  return Number(source);
}

/** Money as integer minor units: "12.50", "12,5", 12.5, "-5.50"; at most two decimals, no exponent. */
function money(value: unknown): number {
  const source = numberText(value) ?? (typeof value === 'string' ? value.trim() : undefined);
  const match = source === undefined ? null : /^(-?)(\d+)(?:[.,](\d{1,2}))?$/.exec(source);
  if (!match) return reject(`not money: ${String(value)}`);
  const minor = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -minor : minor;
}

/** A canonical decimal string: no exponent, no trailing fractional zeros. */
function decimal(value: unknown): string {
  const source = numberText(value) ?? (typeof value === 'string' ? value.trim() : undefined);
  const match = source === undefined ? null : /^(-?)(\d+)(?:[.,](\d+))?$/.exec(source);
  if (!match) return reject(`not a decimal: ${String(value)}`);
  const whole = match[2]!.replace(/^0+(?=\d)/, '');
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const canonical = fraction === '' ? whole : `${whole}.${fraction}`;
  return match[1] === '-' && /[1-9]/.test(canonical) ? `-${canonical}` : canonical;
}

function oneOf<T extends string>(mapping: Readonly<Record<string, T>>): (value: unknown) => T {
  return (value) => {
    const found = mapping[text(value).trim().toLowerCase()];
    return found ?? reject(`unknown code ${String(value)}`);
  };
}

export type Store = 'GLOBAL' | 'UK' | 'FR' | 'DE' | 'ES' | 'IT' | 'PL';
const storeCode = oneOf<Store>({ global: 'GLOBAL', uk: 'UK', gb: 'UK', fr: 'FR', de: 'DE', es: 'ES', it: 'IT', pl: 'PL' });
const currencyCode = oneOf({ eur: 'EUR', gbp: 'GBP', pln: 'PLN', usd: 'USD' });
const orderStatus = oneOf({
  unpaid: 'PENDING_PAYMENT',
  paid: 'PAID',
  processing: 'PROCESSING',
  shipped: 'SHIPPED',
  delivered: 'DELIVERED',
  completed: 'COMPLETED',
  closed: 'COMPLETED',
  cancelled: 'CANCELLED',
  canceled: 'CANCELLED',
  refunded: 'REFUNDED',
  partially_refunded: 'PARTIALLY_REFUNDED',
  returned: 'RETURNED',
});
const shipmentStatus = oneOf({
  pending: 'PENDING',
  in_transit: 'IN_TRANSIT',
  out_for_delivery: 'OUT_FOR_DELIVERY',
  delivered: 'DELIVERED',
  returned: 'RETURNED',
  lost: 'LOST',
});
const ledgerType = oneOf({ earn: 'EARNED', redeem: 'REDEEMED', expire: 'EXPIRED', adjust: 'ADJUSTED', transfer: 'TRANSFERRED' });
const couponType = oneOf({ fixed: 'FIXED_AMOUNT', percent: 'PERCENTAGE', free_shipping: 'FREE_SHIPPING' });
const couponExportStatus = oneOf({ unused: 'UNUSED', used: 'USED', expired: 'EXPIRED', void: 'VOID' });
const feedbackKind = oneOf({ product_review: 'PRODUCT_REVIEW', delivery_rating: 'DELIVERY_RATING', service_ticket: 'SERVICE_TICKET' });

const TIME_ZONES: Record<Store, string> = {
  GLOBAL: 'UTC',
  UK: 'Europe/London',
  FR: 'Europe/Paris',
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  PL: 'Europe/Warsaw',
};

/** UTC milliseconds of a calendar date-time, or undefined when a field is out of range (Feb 30, 25:00). */
function utcOf(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | undefined {
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  date.setUTCFullYear(y); // years 0-99
  const same =
    date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d &&
    date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
  return same ? date.getTime() : undefined;
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();
/** The wall-clock reading of an instant in a zone, as UTC milliseconds of those fields. */
function wallClockOf(instant: number, timeZone: string): number {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    wallClockFormats.set(timeZone, format);
  }
  const part = (type: string) => Number(format.formatToParts(instant).find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) + (instant % 1000 + 1000) % 1000;
}

/**
 * Wall-clock time in a zone => instant. Tries the offsets in force a day before
 * and a day after: of those that read back as the same wall-clock time the
 * earlier instant wins (clocks going back); when none does (clocks going
 * forward) the time is moved forward by the gap, i.e. read with the offset
 * before the change.
 */
function instantOfWallClock(wall: number, timeZone: string): number {
  const DAY = 86_400_000;
  const offsetBefore = wallClockOf(wall - DAY, timeZone) - (wall - DAY);
  const offsetAfter = wallClockOf(wall + DAY, timeZone) - (wall + DAY);
  const candidates = [wall - offsetBefore, wall - offsetAfter].filter((instant) => wallClockOf(instant, timeZone) === wall);
  return candidates.length > 0 ? Math.min(...candidates) : wall - offsetBefore;
}

/** `YYYY-MM-DD HH:mm:ss` read as the wall-clock time of `timeZone` (quirk 1), as epoch milliseconds. */
export function instantOfWallClockText(textValue: string, timeZone: string): number {
  const local = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(textValue);
  const wall = local ? utcOf(+local[1]!, +local[2]!, +local[3]!, +local[4]!, +local[5]!, +local[6]!, 0) : undefined;
  if (wall === undefined) throw new Error(`not a wall-clock time: ${textValue}`);
  return instantOfWallClock(wall, timeZone);
}

/** The wall-clock reading of an instant in a zone, as UTC milliseconds of those fields (Intl's zone data). */
export function wallClockFieldsOf(instant: number, timeZone: string): number {
  return wallClockOf(instant, timeZone);
}

/** The three timestamp forms of quirk 1, the zone-less one in `store`'s zone. */
function timestamp(store: Store): (value: unknown) => Date {
  return (value) => {
    const epoch = numberText(value);
    if (epoch !== undefined) {
      if (!/^-?\d+$/.test(epoch)) return reject(`not epoch milliseconds: ${epoch}`);
      return new Date(Number(epoch));
    }
    const source = text(value).trim();
    const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|z|([+-])(\d{2}):?(\d{2}))$/.exec(source);
    if (iso) {
      const [, y, mo, d, h, mi, s, f, zone, sign, oh, om] = iso;
      const utc = utcOf(+y!, +mo!, +d!, +h!, +mi!, +(s ?? 0), +(f ?? '').padEnd(3, '0').slice(0, 3));
      if (utc === undefined) return reject(`not a date-time: ${source}`);
      const offset = zone === 'Z' || zone === 'z' ? 0 : (sign === '-' ? -1 : 1) * (+oh! * 60 + +om!) * 60_000;
      return new Date(utc - offset);
    }
    const local = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(source);
    if (local) {
      const [, y, mo, d, h, mi, s] = local;
      const wall = utcOf(+y!, +mo!, +d!, +h!, +mi!, +s!, 0);
      if (wall === undefined) return reject(`not a date-time: ${source}`);
      return new Date(instantOfWallClock(wall, TIME_ZONES[store]));
    }
    return reject(`not a timestamp: ${source}`);
  };
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : reject('not an array');
}
function object(value: unknown): Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : reject('not an object');
}

// ---------------------------------------------------------------- records

export interface OracleAccount {
  id: string;
  store: Store;
  email: string;
  displayName: string | null;
  registeredAt: Date;
  xiaomiUserId: string | null;
}

export interface OracleOrder {
  id: string;
  orderNumber: string;
  accountId: string;
  store: Store;
  placedAt: Date;
  status: string;
  currency: string;
  subtotal: number;
  shippingFee: number;
  discount: number;
  tax: number;
  total: number;
  refunded: number;
  pointsEarned: number;
  pointsRedeemed: number;
  items: { sku: string; name: string; qty: number; unitPrice: number }[];
}

export interface OracleCoupon {
  id: string;
  code: string;
  accountId: string;
  store: Store;
  issuedAt: Date;
  validUntil: Date;
  exportStatus: string;
}

export interface OracleReissue {
  couponId: string;
  xiaomiCouponId: string;
  xiaomiCouponCode: string;
}

export interface OracleLedgerEntry {
  id: string;
  accountId: string;
  at: Date;
  type: string;
  /** Sign-corrected. */
  points: number;
  balanceAfter: number;
}

export interface OracleTransfer {
  accountId: string;
  store: Store;
  pocoPoints: number;
  miPoints: number;
  rate: string;
  transferredAt: Date;
}

export interface OracleFeedback {
  id: string;
  accountId: string;
  orderId: string;
  kind: string;
  rating: number | null;
  title: string | null;
  body: string | null;
  sku: string | null;
  createdAt: Date;
  reply: { body: string; at: Date } | null;
}

export interface ExportOracle {
  accounts: Map<string, OracleAccount>;
  orders: Map<string, OracleOrder>;
  coupons: Map<string, OracleCoupon>;
  reissues: Map<string, OracleReissue>;
  ledger: Map<string, OracleLedgerEntry>;
  transfers: Map<string, OracleTransfer>;
  feedback: Map<string, OracleFeedback>;
  /** `file:line` of every line this reading rejects, with why. */
  rejected: Map<string, string>;
  /** Lines read per file name (blank lines not counted). */
  linesRead: Map<string, number>;
}

export function readExport(dir: string): ExportOracle {
  const oracle: ExportOracle = {
    accounts: new Map(),
    orders: new Map(),
    coupons: new Map(),
    reissues: new Map(),
    ledger: new Map(),
    transfers: new Map(),
    feedback: new Map(),
    rejected: new Map(),
    linesRead: new Map(),
  };

  /** Runs `accept` on every line of a file; a Reject (or a non-object line) rejects the line. */
  const each = (name: string, accept: (record: Raw) => void): void => {
    for (const { file, line, record } of readLines(dir, name)) {
      oracle.linesRead.set(file, (oracle.linesRead.get(file) ?? 0) + 1);
      try {
        if (!record) reject('not a JSON object');
        accept(record!);
      } catch (error) {
        if (!(error instanceof Reject)) throw error;
        oracle.rejected.set(`${file}:${line}`, error.message);
      }
    }
  };
  const accountOf = (record: Raw): OracleAccount =>
    oracle.accounts.get(required(record, 'account_id', text)) ?? reject('unknown account');

  // Dependency order (quirk 8).
  each('accounts', (record) => {
    const store = required(record, 'store', storeCode);
    const account: OracleAccount = {
      id: required(record, 'account_id', text),
      store,
      email: required(record, 'email', text).trim().toLowerCase(),
      displayName: optional(record, 'display_name', text),
      registeredAt: required(record, 'registered_at', timestamp(store)),
      xiaomiUserId: optional(record, 'xiaomi_user_id', text),
    };
    required(record, 'migrated_at', timestamp(store));
    oracle.accounts.set(account.id, account);
  });

  each('orders', (record) => {
    const store = required(record, 'store', storeCode);
    const at = timestamp(store);
    const order: OracleOrder = {
      id: required(record, 'order_id', text),
      orderNumber: required(record, 'order_no', text),
      accountId: accountOf(record).id,
      store,
      placedAt: required(record, 'placed_at', at),
      status: required(record, 'status', orderStatus),
      currency: required(record, 'currency', currencyCode),
      subtotal: required(record, 'subtotal', money),
      shippingFee: required(record, 'shipping_fee', money),
      discount: required(record, 'discount', money),
      tax: required(record, 'tax', money),
      total: required(record, 'total', money),
      refunded: optional(record, 'refunded', money) ?? 0,
      pointsEarned: optional(record, 'points_earned', integer) ?? 0,
      pointsRedeemed: optional(record, 'points_redeemed', integer) ?? 0,
      items: required(record, 'items', array).map((value) => {
        const item = object(value);
        const qty = required(item, 'qty', integer);
        if (qty < 1) reject('qty below 1');
        optional(item, 'variant', text);
        return { sku: required(item, 'sku', text), name: required(item, 'name', text), qty, unitPrice: required(item, 'unit_price', money) };
      }),
    };
    optional(record, 'coupon_codes', array)?.forEach(text);
    const address = optional(record, 'shipping_address', object);
    if (address) {
      for (const field of ['name', 'line1', 'city', 'country']) required(address, field, text);
      for (const field of ['line2', 'postcode']) optional(address, field, text);
    }
    for (const value of optional(record, 'shipments', array) ?? []) {
      const shipment = object(value);
      required(shipment, 'shipment_id', text);
      required(shipment, 'carrier', text);
      optional(shipment, 'tracking_no', text);
      required(shipment, 'status', shipmentStatus);
      optional(shipment, 'shipped_at', at);
      optional(shipment, 'delivered_at', at);
      for (const event of optional(shipment, 'events', array) ?? []) {
        const e = object(event);
        required(e, 'at', at);
        required(e, 'status', text);
        optional(e, 'location', text);
        optional(e, 'desc', text);
      }
    }
    const holder = [...oracle.orders.values()].find((other) => other.orderNumber === order.orderNumber && other.id !== order.id);
    if (holder) reject('duplicate_order_no');
    oracle.orders.set(order.id, order);
  });

  each('coupons', (record) => {
    const store = required(record, 'store', storeCode);
    const at = timestamp(store);
    const kind = required(record, 'type', couponType);
    const minSpend = optional(record, 'min_spend', money);
    const currency = optional(record, 'currency', currencyCode);
    if (kind === 'FIXED_AMOUNT') required(record, 'value', money);
    if (kind === 'PERCENTAGE') required(record, 'value', decimal);
    if ((kind === 'FIXED_AMOUNT' || minSpend !== null) && currency === null) reject('missing currency');
    const coupon: OracleCoupon = {
      id: required(record, 'coupon_id', text),
      code: required(record, 'code', text),
      accountId: accountOf(record).id,
      store,
      issuedAt: required(record, 'issued_at', at),
      validUntil: required(record, 'valid_until', at),
      exportStatus: required(record, 'status', couponExportStatus),
    };
    required(record, 'title', text);
    required(record, 'valid_from', at);
    optional(record, 'used_at', at);
    optional(record, 'used_order_id', text);
    const holder = [...oracle.coupons.values()].find(
      (other) => other.store === coupon.store && other.code === coupon.code && other.id !== coupon.id,
    );
    if (holder) reject('duplicate_coupon_code');
    oracle.coupons.set(coupon.id, coupon);
  });

  each('coupon_reissues', (record) => {
    const coupon = oracle.coupons.get(required(record, 'coupon_id', text)) ?? reject('unknown coupon');
    const reissue: OracleReissue = {
      couponId: coupon.id,
      xiaomiCouponId: required(record, 'xiaomi_coupon_id', text),
      xiaomiCouponCode: required(record, 'xiaomi_coupon_code', text),
    };
    required(record, 'reissued_at', timestamp(coupon.store));
    optional(record, 'valid_until', timestamp(coupon.store));
    oracle.reissues.set(reissue.couponId, reissue);
  });

  each('points_ledger', (record) => {
    const account = accountOf(record);
    const type = required(record, 'type', ledgerType);
    const raw = required(record, 'points', integer);
    if (type === 'EARNED' && raw < 0) reject('negative earn');
    const points = type === 'REDEEMED' || type === 'EXPIRED' || type === 'TRANSFERRED' ? -Math.abs(raw) : raw;
    const entry: OracleLedgerEntry = {
      id: required(record, 'entry_id', text),
      accountId: account.id,
      at: required(record, 'at', timestamp(account.store)),
      type,
      points,
      balanceAfter: required(record, 'balance_after', integer),
    };
    optional(record, 'order_id', text);
    optional(record, 'note', text);
    oracle.ledger.set(entry.id, entry);
  });

  each('points_transfers', (record) => {
    const account = accountOf(record);
    const transfer: OracleTransfer = {
      accountId: account.id,
      store: account.store,
      pocoPoints: required(record, 'poco_points', integer),
      miPoints: required(record, 'mi_points', integer),
      rate: required(record, 'rate', decimal),
      transferredAt: required(record, 'transferred_at', timestamp(account.store)),
    };
    optional(record, 'mi_loyalty_account_id', text);
    oracle.transfers.set(transfer.accountId, transfer);
  });

  each('feedback', (record) => {
    const account = accountOf(record);
    const at = timestamp(account.store);
    const orderId = required(record, 'order_id', text);
    if (!oracle.orders.has(orderId)) reject('unknown order');
    const rating = optional(record, 'rating', integer);
    if (rating !== null && (rating < 1 || rating > 5)) reject('rating out of range');
    const reply = optional(record, 'reply', object);
    const feedback: OracleFeedback = {
      id: required(record, 'feedback_id', text),
      accountId: account.id,
      orderId,
      kind: required(record, 'kind', feedbackKind),
      rating,
      title: optional(record, 'title', text),
      body: optional(record, 'body', text),
      sku: optional(record, 'sku', text),
      createdAt: required(record, 'created_at', at),
      reply: reply ? { body: required(reply, 'body', text), at: required(reply, 'at', at) } : null,
    };
    oracle.feedback.set(feedback.id, feedback);
  });

  return oracle;
}

// ---------------------------------------------------------------- what the API should answer

/** Minor units as the API prints money: exactly two decimals. */
export function formatMoney(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const newestFirst = (a: { at: Date; id: string }, b: { at: Date; id: string }): number =>
  b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Every Xiaomi user with at least one linked account, and their accounts. */
export function linkedAccountsByUser(oracle: ExportOracle): Map<string, OracleAccount[]> {
  const byUser = new Map<string, OracleAccount[]>();
  for (const account of oracle.accounts.values()) {
    if (account.xiaomiUserId === null) continue;
    byUser.set(account.xiaomiUserId, [...(byUser.get(account.xiaomiUserId) ?? []), account]);
  }
  return byUser;
}

/** The user's orders as the API lists them: newest placedAt first, ties by id descending. */
export function ordersOfUser(oracle: ExportOracle, userId: string): OracleOrder[] {
  const accountIds = new Set((linkedAccountsByUser(oracle).get(userId) ?? []).map((account) => account.id));
  return [...oracle.orders.values()]
    .filter((order) => accountIds.has(order.accountId))
    .sort((a, b) => newestFirst({ at: a.placedAt, id: a.id }, { at: b.placedAt, id: b.id }));
}

export function couponStatus(oracle: ExportOracle, coupon: OracleCoupon, now: Date): string {
  if (oracle.reissues.has(coupon.id)) return 'REISSUED';
  if (coupon.exportStatus === 'USED') return 'REDEEMED';
  if (coupon.exportStatus === 'VOID') return 'VOIDED';
  if (coupon.exportStatus === 'EXPIRED' || coupon.validUntil.getTime() < now.getTime()) return 'EXPIRED';
  return 'ACTIVE';
}

/** The user's coupons as the API lists them: newest issuedAt first, ties by id descending. */
export function couponsOfUser(oracle: ExportOracle, userId: string): OracleCoupon[] {
  const accountIds = new Set((linkedAccountsByUser(oracle).get(userId) ?? []).map((account) => account.id));
  return [...oracle.coupons.values()]
    .filter((coupon) => accountIds.has(coupon.accountId))
    .sort((a, b) => newestFirst({ at: a.issuedAt, id: a.id }, { at: b.issuedAt, id: b.id }));
}

/** An order's feedback as the API lists it: oldest createdAt first, ties by id ascending. */
export function feedbackOfOrder(oracle: ExportOracle, orderId: string): OracleFeedback[] {
  return [...oracle.feedback.values()]
    .filter((feedback) => feedback.orderId === orderId)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface ExpectedPoints {
  balance: number;
  lifetimeEarned: number;
  lifetimeRedeemed: number;
  lifetimeExpired: number;
  transfers: OracleTransfer[];
}

/** api.md "Points figures", summed over the user's linked accounts; null without one. */
export function pointsOfUser(oracle: ExportOracle, userId: string): ExpectedPoints | null {
  const accounts = linkedAccountsByUser(oracle).get(userId);
  if (!accounts) return null;
  const expected: ExpectedPoints = { balance: 0, lifetimeEarned: 0, lifetimeRedeemed: 0, lifetimeExpired: 0, transfers: [] };
  for (const account of accounts) {
    const entries = [...oracle.ledger.values()]
      .filter((entry) => entry.accountId === account.id)
      .sort((a, b) => newestFirst(a, b));
    expected.balance += entries[0]?.balanceAfter ?? 0;
    for (const entry of entries) {
      if (entry.type === 'EARNED') expected.lifetimeEarned += entry.points;
      if (entry.type === 'REDEEMED') expected.lifetimeRedeemed += -entry.points;
      if (entry.type === 'EXPIRED') expected.lifetimeExpired += -entry.points;
    }
    const transfer = oracle.transfers.get(account.id);
    if (transfer) expected.transfers.push(transfer);
  }
  expected.transfers.sort(
    (a, b) => a.transferredAt.getTime() - b.transferredAt.getTime() || (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0),
  );
  return expected;
}
