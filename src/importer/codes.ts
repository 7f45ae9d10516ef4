/**
 * The export's codes (poco-export-format.md, quirks 3 and 4) read into the
 * service's vocabularies (src/shared/codes.ts). Every code is
 * case-insensitive and surrounding white space is ignored.
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
import { CURRENCY_CODES } from '../shared/codes';
import { invalid, parsed, type ParseResult } from '../shared/parseResult';

function fromTable<T>(table: Readonly<Record<string, T>>, what: string): (text: string) => ParseResult<T> {
  const known = Object.keys(table).join(', ');
  return (text) => {
    const key = text.trim().toLowerCase();
    const value = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
    return value === undefined ? invalid(`"${text}" is not a ${what} (one of ${known})`) : parsed(value);
  };
}

export const parseStore = fromTable<PocoStore>(
  { global: 'GLOBAL', uk: 'UK', gb: 'UK', fr: 'FR', de: 'DE', es: 'ES', it: 'IT', pl: 'PL' },
  'store code',
);

export const parseCurrency = fromTable<CurrencyCode>(
  Object.fromEntries(CURRENCY_CODES.map((code) => [code.toLowerCase(), code])),
  'currency',
);

export const parseOrderStatus = fromTable<OrderStatus>(
  {
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
  },
  'order status',
);

export const parseShipmentStatus = fromTable<ShipmentStatus>(
  {
    pending: 'PENDING',
    in_transit: 'IN_TRANSIT',
    out_for_delivery: 'OUT_FOR_DELIVERY',
    delivered: 'DELIVERED',
    returned: 'RETURNED',
    lost: 'LOST',
  },
  'shipment status',
);

export const parseFeedbackKind = fromTable<FeedbackKind>(
  { product_review: 'PRODUCT_REVIEW', delivery_rating: 'DELIVERY_RATING', service_ticket: 'SERVICE_TICKET' },
  'feedback kind',
);

export const parsePointsEntryType = fromTable<PointsEntryType>(
  { earn: 'EARNED', redeem: 'REDEEMED', expire: 'EXPIRED', adjust: 'ADJUSTED', transfer: 'TRANSFERRED' },
  'points ledger type',
);

export const parseDiscountKind = fromTable<DiscountKind>(
  { fixed: 'FIXED_AMOUNT', percent: 'PERCENTAGE', free_shipping: 'FREE_SHIPPING' },
  'coupon type',
);

export const parseCouponStatus = fromTable<CouponExportStatus>(
  { unused: 'UNUSED', used: 'USED', expired: 'EXPIRED', void: 'VOID' },
  'coupon status',
);

/**
 * Emails are matched case-insensitively after trimming (quirk 5), so they are
 * stored trimmed and lower-cased. Only the shape is checked (one "@" with text
 * on both sides, no white space): deliverability is not the importer's business.
 */
export function parseEmail(text: string): ParseResult<string> {
  const email = text.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) return invalid(`"${text}" is not an email address`);
  return parsed(email);
}
