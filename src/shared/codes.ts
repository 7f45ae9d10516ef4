/**
 * The closed vocabularies of the POCO data, as the API names them (api.md).
 * Documents in the database store these normalised values, so resolvers pass
 * them through unchanged.
 */

export const POCO_STORES = ['GLOBAL', 'UK', 'FR', 'DE', 'ES', 'IT', 'PL'] as const;
export type PocoStore = (typeof POCO_STORES)[number];

export const CURRENCY_CODES = ['EUR', 'GBP', 'PLN', 'USD'] as const;
export type CurrencyCode = (typeof CURRENCY_CODES)[number];

export const ORDER_STATUSES = [
  'PENDING_PAYMENT',
  'PAID',
  'PROCESSING',
  'SHIPPED',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
  'REFUNDED',
  'PARTIALLY_REFUNDED',
  'RETURNED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const SHIPMENT_STATUSES = [
  'PENDING',
  'IN_TRANSIT',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'RETURNED',
  'LOST',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const FEEDBACK_KINDS = ['PRODUCT_REVIEW', 'DELIVERY_RATING', 'SERVICE_TICKET'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

export const POINTS_ENTRY_TYPES = ['EARNED', 'REDEEMED', 'EXPIRED', 'ADJUSTED', 'TRANSFERRED'] as const;
export type PointsEntryType = (typeof POINTS_ENTRY_TYPES)[number];

export const DISCOUNT_KINDS = ['FIXED_AMOUNT', 'PERCENTAGE', 'FREE_SHIPPING'] as const;
export type DiscountKind = (typeof DISCOUNT_KINDS)[number];

/** The coupon status as the export recorded it; the API derives PocoCouponStatus from it. */
export const COUPON_EXPORT_STATUSES = ['UNUSED', 'USED', 'EXPIRED', 'VOID'] as const;
export type CouponExportStatus = (typeof COUPON_EXPORT_STATUSES)[number];

export const COUPON_STATUSES = ['ACTIVE', 'REDEEMED', 'EXPIRED', 'VOIDED', 'REISSUED'] as const;
export type CouponStatus = (typeof COUPON_STATUSES)[number];
