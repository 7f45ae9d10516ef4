import type { AddressDoc, OrderDoc, OrderItemDoc, ShipmentDoc, TrackingEventDoc } from '../../db/documents';
import { parseCountry } from '../../shared/country';
import { zoneOfStore } from '../../shared/time';
import { parseCurrency, parseOrderStatus, parseShipmentStatus, parseStore } from '../codes';
import type { Fields } from '../fields';
import type { AnomalyKind } from '../report';
import { requireAccountStore, type RecordKind } from './kind';

/** Points on one order: generous, but a typo of a few orders of magnitude is caught. */
const MAX_ORDER_POINTS = 100_000_000;

function readItem(f: Fields): OrderItemDoc {
  return {
    sku: f.string('sku'),
    name: f.string('name'),
    variant: f.optionalString('variant'),
    qty: f.integer('qty', { min: 1, max: 1_000_000 }),
    unitPrice: f.money('unit_price'),
  };
}

function readAddress(f: Fields): AddressDoc {
  return {
    name: f.string('name'),
    line1: f.string('line1'),
    line2: f.optionalString('line2'),
    city: f.string('city'),
    postcode: f.optionalString('postcode'),
    country: f.code('country', parseCountry),
  };
}

function readShipment(f: Fields, zone: string): ShipmentDoc {
  const shipment = {
    id: f.string('shipment_id'),
    carrier: f.string('carrier'),
    // Trimmed: pocoOrdersByTrackingNumber matches a trimmed argument exactly (api.md "Tracking numbers").
    trackingNo: f.optionalString('tracking_no')?.trim() ?? null,
    status: f.code('status', parseShipmentStatus),
    shippedAt: f.optionalTimestamp('shipped_at', zone),
    deliveredAt: f.optionalTimestamp('delivered_at', zone),
    events: f.objects('events', (e): TrackingEventDoc => ({
      at: e.timestamp('at', zone),
      status: e.string('status').trim(),
      location: e.optionalString('location'),
      desc: e.optionalString('desc'),
    })),
  };
  // Oldest first; Array.prototype.sort is stable, so ties keep export order.
  shipment.events.sort((a, b) => a.at.getTime() - b.at.getTime());
  return shipment;
}

export const orders: RecordKind<OrderDoc> = {
  file: 'orders',
  collection: 'orders',
  idField: 'order_id',
  collectReferences(f, references) {
    const accountId = f.reference('account_id');
    if (accountId) references.accounts.add(accountId);
  },
  normalize(f, lookup) {
    const _id = f.string('order_id');
    const orderNo = f.string('order_no');
    const { accountId } = requireAccountStore(f, lookup);
    const store = f.code('store', parseStore);
    const zone = zoneOfStore(store);
    const items = f.objects('items', readItem, { required: true });
    if (items.length === 0) f.rejectWith('missing_field', 'items is required and has no item', 'items');
    const doc: OrderDoc = {
      _id,
      orderNo,
      accountId,
      store,
      placedAt: f.timestamp('placed_at', zone),
      status: f.code('status', parseOrderStatus),
      currency: f.code('currency', parseCurrency),
      subtotal: f.money('subtotal'),
      shippingFee: f.money('shipping_fee'),
      discount: f.money('discount'),
      tax: f.money('tax'),
      total: f.money('total'),
      refunded: f.optionalMoney('refunded') ?? 0,
      pointsEarned: f.optionalInteger('points_earned', { min: 0, max: MAX_ORDER_POINTS }) ?? 0,
      pointsRedeemed: f.optionalInteger('points_redeemed', { min: 0, max: MAX_ORDER_POINTS }) ?? 0,
      couponCodes: f.strings('coupon_codes'),
      items,
      shippingAddress: (() => {
        const address = f.optionalObject('shipping_address');
        return address ? readAddress(address) : null;
      })(),
      shipments: f.objects('shipments', (s) => readShipment(s, zone)),
    };
    const anomalies: AnomalyKind[] = [];
    if (doc.total !== doc.subtotal + doc.shippingFee - doc.discount) anomalies.push('total_mismatch');
    const itemsTotal = doc.items.reduce((sum, item) => sum + item.qty * item.unitPrice, 0);
    if (itemsTotal !== doc.subtotal) anomalies.push('subtotal_mismatch');
    return { doc, anomalies };
  },
  unique: {
    reason: 'duplicate_order_no',
    field: 'order_no',
    keyOf: (doc) => doc.orderNo,
    describe: (doc) => `order_no "${doc.orderNo}"`,
    async findOwners(collection, docs) {
      const found = await collection
        .find({ orderNo: { $in: [...new Set(docs.map((doc) => doc.orderNo))] } }, { projection: { orderNo: 1 } })
        .toArray();
      return new Map(found.map((doc) => [doc.orderNo, doc._id]));
    },
  },
};
