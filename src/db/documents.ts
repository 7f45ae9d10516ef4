/**
 * The shape of every document the importer writes and the API reads.
 *
 * One collection per export file, `_id` = the export's own id, so "the same id
 * replaces the earlier record" is a plain upsert and re-importing compares
 * normalised documents. Money is integer minor units (cents/pence/grosze),
 * never a float. Timestamps are BSON dates (UTC instants).
 */
import type {
  CouponExportStatus,
  CurrencyCode,
  DiscountKind,
  FeedbackKind,
  OrderStatus,
  PocoStore,
  PointsEntryType,
  ShipmentStatus,
} from '../shared/codes';

/** Integer amount of a currency's minor unit (e.g. 1250 = 12.50 EUR). */
export type MinorUnits = number;

export interface AccountDoc {
  _id: string; // account_id
  store: PocoStore;
  /** Trimmed and lower-cased. */
  email: string;
  displayName: string | null;
  registeredAt: Date;
  /** Xiaomi user the account was linked to; null = never linked. */
  xiaomiUserId: string | null;
  migratedAt: Date;
  /** Support linked/unlinked the account in the service; `xiaomiUserId` then holds that link and an import never changes it. */
  serviceLink?: { xiaomiUserId: string | null; at: Date };
  /** Erasure decided (email already `erased-<id>@invalid`, displayName null in the same write); scrubbedAt set when orders/feedback were scrubbed. */
  erasure?: { at: Date; scrubbedAt: Date | null };
  /** The account's audit entries, pushed ($push) in the same update that makes the change. */
  audit?: AuditEntryDoc[];
}

/** One audit entry of a service change, stored in its account's `audit` array. */
export interface AuditEntryDoc {
  id: string;
  at: Date;
  actor: string;
  action: 'ACCOUNT_LINKED' | 'ACCOUNT_UNLINKED' | 'PERSONAL_DATA_ERASED';
  reason: string;
  requestId: string;
}

export interface OrderItemDoc {
  sku: string;
  name: string;
  variant: string | null;
  qty: number;
  unitPrice: MinorUnits;
}

export interface AddressDoc {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postcode: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
}

export interface TrackingEventDoc {
  at: Date;
  status: string;
  location: string | null;
  desc: string | null;
}

export interface ShipmentDoc {
  id: string; // shipment_id
  carrier: string;
  trackingNo: string | null;
  status: ShipmentStatus;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  /** Oldest first (sorted by the importer; ties keep export order). */
  events: TrackingEventDoc[];
}

export interface OrderDoc {
  _id: string; // order_id
  orderNo: string;
  accountId: string;
  store: PocoStore;
  placedAt: Date;
  status: OrderStatus;
  currency: CurrencyCode;
  subtotal: MinorUnits;
  shippingFee: MinorUnits;
  discount: MinorUnits;
  tax: MinorUnits;
  total: MinorUnits;
  refunded: MinorUnits;
  pointsEarned: number;
  pointsRedeemed: number;
  /** Codes of the coupons used, as exported (unique per store). */
  couponCodes: string[];
  /** Export order. */
  items: OrderItemDoc[];
  shippingAddress: AddressDoc | null;
  /** Export order. */
  shipments: ShipmentDoc[];
}

export interface FeedbackReplyDoc {
  body: string;
  at: Date;
}

export interface FeedbackDoc {
  _id: string; // feedback_id
  accountId: string;
  orderId: string;
  kind: FeedbackKind;
  rating: number | null;
  title: string | null;
  body: string | null;
  sku: string | null;
  createdAt: Date;
  reply: FeedbackReplyDoc | null;
}

export interface PointsEntryDoc {
  _id: string; // entry_id
  accountId: string;
  /** The account's store, copied so history pages need no account lookup. */
  store: PocoStore;
  at: Date;
  type: PointsEntryType;
  /** Sign-corrected: negative for REDEEMED, EXPIRED, TRANSFERRED. */
  points: number;
  balanceAfter: number;
  /** null when the export named none, or named an order that does not exist (anomaly). */
  orderId: string | null;
  note: string | null;
}

export interface PointsTransferDoc {
  _id: string; // account_id: at most one transfer per account
  store: PocoStore;
  pocoPoints: number;
  miPoints: number;
  /** Canonical decimal string: no exponent, no trailing fractional zeros. */
  rate: string;
  transferredAt: Date;
  miLoyaltyAccountId: string | null;
}

/**
 * Derived, not imported: per-account points figures, recomputed by the importer
 * for every account its ledger batch touched (api.md "Points figures").
 */
export interface PointsBalanceDoc {
  _id: string; // account_id
  /** balanceAfter of the account's newest entry (by at, then _id); 0 without entries. */
  balance: number;
  earned: number;
  /** Positive. */
  redeemed: number;
  /** Positive. */
  expired: number;
}

export interface CouponDoc {
  _id: string; // coupon_id
  /** As exported; unique within its store. */
  code: string;
  accountId: string;
  store: PocoStore;
  title: string;
  kind: DiscountKind;
  /** FIXED_AMOUNT only, in `currency`. */
  amountOff: MinorUnits | null;
  /** PERCENTAGE only; canonical decimal string such as "10" or "12.5". */
  percentOff: string | null;
  currency: CurrencyCode | null;
  minSpend: MinorUnits | null;
  issuedAt: Date;
  validFrom: Date;
  validUntil: Date;
  exportStatus: CouponExportStatus;
  usedAt: Date | null;
  /** null when the export named none, or named an order that does not exist (anomaly). */
  usedOrderId: string | null;
}

export interface CouponReissueDoc {
  _id: string; // coupon_id of the legacy coupon
  xiaomiCouponId: string;
  xiaomiCouponCode: string;
  reissuedAt: Date;
  validUntil: Date | null;
}
