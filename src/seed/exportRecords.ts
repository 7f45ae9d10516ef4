/**
 * Renders clean specs into export records: the field names and vocabulary of
 * poco-export-format.md, with the quirks the Renderer sprinkles in. The
 * returned objects are plain JSON, ready for JSON.stringify.
 */
import type {
  CouponExportStatus,
  DiscountKind,
  FeedbackKind,
  OrderStatus,
  PointsEntryType,
  ShipmentStatus,
} from '../shared/codes';
import type { Renderer } from './render';
import type {
  AccountSpec,
  CouponReissueSpec,
  CouponSpec,
  FeedbackSpec,
  LedgerEntrySpec,
  OrderSpec,
  PointsTransferSpec,
} from './specs';

export type ExportRecord = Record<string, unknown>;

function assertNever(value: never): never {
  throw new Error(`unexpected value ${String(value)}`);
}

/** The export's word for an order status; COMPLETED and CANCELLED had two spellings. */
function orderStatusText(status: OrderStatus, r: Renderer, synonym: boolean): string {
  switch (status) {
    case 'PENDING_PAYMENT':
      return 'unpaid';
    case 'PAID':
      return 'paid';
    case 'PROCESSING':
      return 'processing';
    case 'SHIPPED':
      return 'shipped';
    case 'DELIVERED':
      return 'delivered';
    case 'COMPLETED':
      if (!synonym) return 'completed';
      r.count('status_closed');
      return 'closed';
    case 'CANCELLED':
      if (!synonym) return 'cancelled';
      r.count('status_canceled');
      return 'canceled';
    case 'REFUNDED':
      return 'refunded';
    case 'PARTIALLY_REFUNDED':
      return 'partially_refunded';
    case 'RETURNED':
      return 'returned';
    default:
      return assertNever(status);
  }
}

export function ledgerTypeText(type: PointsEntryType): string {
  switch (type) {
    case 'EARNED':
      return 'earn';
    case 'REDEEMED':
      return 'redeem';
    case 'EXPIRED':
      return 'expire';
    case 'ADJUSTED':
      return 'adjust';
    case 'TRANSFERRED':
      return 'transfer';
    default:
      return assertNever(type);
  }
}

function couponTypeText(kind: DiscountKind): string {
  switch (kind) {
    case 'FIXED_AMOUNT':
      return 'fixed';
    case 'PERCENTAGE':
      return 'percent';
    case 'FREE_SHIPPING':
      return 'free_shipping';
    default:
      return assertNever(kind);
  }
}

function lower(code: FeedbackKind | CouponExportStatus | ShipmentStatus): string {
  return code.toLowerCase();
}

export function renderAccount(a: AccountSpec, r: Renderer): ExportRecord {
  const record: ExportRecord = {
    account_id: a.id,
    store: r.store(a.store),
    email: r.email(a.email),
    display_name: a.displayName,
    registered_at: r.timestamp(a.registeredAt, a.store),
    xiaomi_user_id: a.xiaomiUserId,
    migrated_at: r.timestamp(a.migratedAt, a.store),
  };
  if (a.displayName === null && dropOptional(r)) delete record.display_name;
  return record;
}

/** Whether an optional field at its default is left out of the line altogether. */
function dropOptional(r: Renderer): boolean {
  const drop = r.rollQuirk();
  if (drop) r.count('missing_optional_fields');
  return drop;
}

export function renderOrder(o: OrderSpec, r: Renderer, options: { synonym: boolean }): ExportRecord {
  const store = o.store;
  const record: ExportRecord = {
    order_id: o.id,
    order_no: o.orderNo,
    account_id: o.accountId,
    store: r.store(store),
    placed_at: r.timestamp(o.placedAt, store),
    status: r.code(orderStatusText(o.status, r, options.synonym)),
    currency: r.currency(o.currency),
    subtotal: r.money(o.subtotal, store),
    shipping_fee: r.money(o.shippingFee, store),
    discount: r.money(o.discount, store),
    tax: r.money(o.tax, store),
    total: r.money(o.total, store),
    refunded: r.money(o.refunded, store),
    points_earned: o.pointsEarned,
    points_redeemed: o.pointsRedeemed,
    coupon_codes: o.couponCodes,
    items: o.items.map((item) => ({
      sku: item.sku,
      name: item.name,
      variant: item.variant,
      qty: item.qty,
      unit_price: r.money(item.unitPrice, store),
    })),
    shipping_address: o.address,
    shipments: o.shipments.map((s) => {
      const events = s.events.map((e) => ({
        at: r.timestamp(e.at, store),
        status: e.status,
        location: e.location,
        desc: e.desc,
      }));
      return {
        shipment_id: s.id,
        carrier: s.carrier,
        tracking_no: s.trackingNo,
        status: r.code(lower(s.status)),
        shipped_at: r.maybeTimestamp(s.shippedAt, store),
        delivered_at: r.maybeTimestamp(s.deliveredAt, store),
        events: r.shuffleEvents(events),
      };
    }),
  };
  if (o.refunded === 0 && dropOptional(r)) delete record.refunded;
  if (o.pointsRedeemed === 0 && dropOptional(r)) delete record.points_redeemed;
  if (o.couponCodes.length === 0 && dropOptional(r)) delete record.coupon_codes;
  if (o.shipments.length === 0 && dropOptional(r)) delete record.shipments;
  return record;
}

export function renderFeedback(f: FeedbackSpec, r: Renderer): ExportRecord {
  return {
    feedback_id: f.id,
    account_id: f.accountId,
    order_id: f.orderId,
    kind: r.code(lower(f.kind)),
    rating: f.rating,
    title: f.title,
    body: f.body,
    sku: f.sku,
    created_at: r.timestamp(f.createdAt, f.store),
    reply: f.reply === null ? null : { body: f.reply.body, at: r.timestamp(f.reply.at, f.store) },
  };
}

export function renderLedgerEntry(e: LedgerEntrySpec, r: Renderer): ExportRecord {
  const record: ExportRecord = {
    entry_id: e.id,
    account_id: e.accountId,
    at: r.timestamp(e.at, e.store),
    type: r.code(ledgerTypeText(e.type)),
    points: e.type === 'ADJUSTED' ? e.points : r.debitPoints(e.points),
    balance_after: e.balanceAfter,
    order_id: e.orderId,
    note: e.note,
  };
  if (e.orderId === null && dropOptional(r)) delete record.order_id;
  return record;
}

export function renderPointsTransfer(t: PointsTransferSpec, r: Renderer): ExportRecord {
  return {
    account_id: t.accountId,
    poco_points: t.pocoPoints,
    mi_points: t.miPoints,
    rate: t.rate,
    transferred_at: r.timestamp(t.transferredAt, t.store),
    mi_loyalty_account_id: t.miLoyaltyAccountId,
  };
}

export function renderCoupon(c: CouponSpec, r: Renderer): ExportRecord {
  let value: number | string | null = null;
  if (c.amountOff !== null) value = r.money(c.amountOff, c.store);
  else if (c.percentOff !== null) value = c.percentOff;
  const record: ExportRecord = {
    coupon_id: c.id,
    code: c.code,
    account_id: c.accountId,
    store: r.store(c.store),
    title: c.title,
    type: r.code(couponTypeText(c.kind)),
    value,
    currency: c.currency === null ? null : r.currency(c.currency),
    min_spend: c.minSpend === null ? null : r.money(c.minSpend, c.store),
    issued_at: r.timestamp(c.issuedAt, c.store),
    valid_from: r.timestamp(c.validFrom, c.store),
    valid_until: r.timestamp(c.validUntil, c.store),
    status: r.code(lower(c.status)),
    used_at: r.maybeTimestamp(c.usedAt, c.store),
    used_order_id: c.usedOrderId,
  };
  if (c.minSpend === null && dropOptional(r)) delete record.min_spend;
  return record;
}

export function renderCouponReissue(x: CouponReissueSpec, r: Renderer): ExportRecord {
  return {
    coupon_id: x.couponId,
    xiaomi_coupon_id: x.xiaomiCouponId,
    xiaomi_coupon_code: x.xiaomiCouponCode,
    reissued_at: r.timestamp(x.reissuedAt, x.store),
    valid_until: r.maybeTimestamp(x.validUntil, x.store),
  };
}
