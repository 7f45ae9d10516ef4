/**
 * The clean truth of one generated record, before it is rendered into the
 * export's messy text. Money in minor units, times as Stamps, codes in the
 * API's vocabulary: exactly what the importer should end up storing.
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
import type { Stamp } from './render';

export interface AccountSpec {
  id: string;
  store: PocoStore;
  email: string;
  displayName: string | null;
  registeredAt: Stamp;
  xiaomiUserId: string | null;
  migratedAt: Stamp;
}

export interface ItemSpec {
  sku: string;
  name: string;
  variant: string | null;
  qty: number;
  unitPrice: number;
}

export interface AddressSpec {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postcode: string | null;
  country: string;
}

export interface TrackingEventSpec {
  at: Stamp;
  status: string;
  location: string | null;
  desc: string | null;
}

export interface ShipmentSpec {
  id: string;
  carrier: string;
  trackingNo: string | null;
  status: ShipmentStatus;
  shippedAt: Stamp | null;
  deliveredAt: Stamp | null;
  /** Oldest first here; rendered in any order. */
  events: TrackingEventSpec[];
}

export interface OrderSpec {
  id: string;
  orderNo: string;
  accountId: string;
  store: PocoStore;
  placedAt: Stamp;
  status: OrderStatus;
  currency: CurrencyCode;
  subtotal: number;
  shippingFee: number;
  discount: number;
  tax: number;
  total: number;
  refunded: number;
  pointsEarned: number;
  pointsRedeemed: number;
  couponCodes: string[];
  items: ItemSpec[];
  address: AddressSpec | null;
  shipments: ShipmentSpec[];
  /** Deliberately inconsistent (an expected anomaly): never repeated, so it is counted once. */
  anomaly?: 'total_mismatch' | 'subtotal_mismatch';
}

export interface FeedbackSpec {
  id: string;
  accountId: string;
  orderId: string;
  /** The account's store: feedback lines have none, their wall-clock times use it. */
  store: PocoStore;
  kind: FeedbackKind;
  rating: number | null;
  title: string | null;
  body: string | null;
  sku: string | null;
  createdAt: Stamp;
  reply: { body: string; at: Stamp } | null;
}

export interface LedgerEntrySpec {
  id: string;
  accountId: string;
  store: PocoStore;
  at: Stamp;
  type: PointsEntryType;
  /** Signed as stored: negative for REDEEMED, EXPIRED, TRANSFERRED. */
  points: number;
  balanceAfter: number;
  orderId: string | null;
  note: string | null;
  anomaly?: 'balance_mismatch' | 'unknown_order';
}

export interface PointsTransferSpec {
  accountId: string;
  store: PocoStore;
  pocoPoints: number;
  miPoints: number;
  rate: string;
  transferredAt: Stamp;
  miLoyaltyAccountId: string | null;
}

export interface CouponSpec {
  id: string;
  code: string;
  accountId: string;
  store: PocoStore;
  title: string;
  kind: DiscountKind;
  amountOff: number | null;
  percentOff: string | null;
  currency: CurrencyCode | null;
  minSpend: number | null;
  issuedAt: Stamp;
  validFrom: Stamp;
  validUntil: Stamp;
  status: CouponExportStatus;
  usedAt: Stamp | null;
  usedOrderId: string | null;
  anomaly?: 'unknown_order';
}

export interface CouponReissueSpec {
  couponId: string;
  /** The coupon's store: reissue lines have none, their wall-clock times use it. */
  store: PocoStore;
  xiaomiCouponId: string;
  xiaomiCouponCode: string;
  reissuedAt: Stamp;
  validUntil: Stamp | null;
}

/** Everything one Xiaomi user (or one unlinked account) contributes to the export. */
export interface UserBundle {
  xiaomiUserId: string | null;
  accounts: AccountSpec[];
  orders: OrderSpec[];
  coupons: CouponSpec[];
  couponReissues: CouponReissueSpec[];
  pointsLedger: LedgerEntrySpec[];
  pointsTransfers: PointsTransferSpec[];
  feedback: FeedbackSpec[];
}
