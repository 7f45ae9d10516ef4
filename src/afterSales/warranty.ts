/**
 * Warranty dates of an order (api.md "Warranty"): they start at the earliest
 * `deliveredAt` among the order's shipments and last a store's number of
 * calendar months. Delivery is read from the shipments, not from the order's
 * status, which old systems often left at SHIPPED after the parcel arrived.
 */
import type { OrderDoc } from '../db/documents';
import type { WarrantyValue } from '../graphql/parents';
import type { OrderStatus } from '../shared/codes';

/** Orders whose goods went back or never counted as sold: no warranty. */
function voidsWarranty(status: OrderStatus): boolean {
  switch (status) {
    case 'CANCELLED':
    case 'REFUNDED':
    case 'RETURNED':
      return true;
    case 'PENDING_PAYMENT':
    case 'PAID':
    case 'PROCESSING':
    case 'SHIPPED':
    case 'DELIVERED':
    case 'COMPLETED':
    case 'PARTIALLY_REFUNDED':
      return false;
    default: {
      const unknown: never = status;
      throw new Error(`unknown order status ${String(unknown)}`);
    }
  }
}

/**
 * `date` plus `months` calendar months in UTC: the same day of the month and
 * time of day, clamped to the last day of a shorter month (2024-02-29 + 24
 * months = 2026-02-28, 2023-01-31 + 1 = 2023-02-28).
 */
export function addCalendarMonthsUtc(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(year, month, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()),
  );
}

/** The earliest delivery of the order's shipments; null when none was delivered. */
export function firstDeliveryOf(order: OrderDoc): Date | null {
  let earliest: Date | null = null;
  for (const shipment of order.shipments) {
    if (shipment.deliveredAt !== null && (earliest === null || shipment.deliveredAt.getTime() < earliest.getTime())) {
      earliest = shipment.deliveredAt;
    }
  }
  return earliest;
}

/** The warranty of every line of `order` with `months` months, as seen at `now`; null when there is none. */
export function warrantyOf(order: OrderDoc, months: number, now: Date): WarrantyValue | null {
  if (voidsWarranty(order.status)) return null;
  const startsAt = firstDeliveryOf(order);
  if (startsAt === null) return null;
  const endsAt = addCalendarMonthsUtc(startsAt, months);
  return { startsAt, endsAt, months, status: now.getTime() < endsAt.getTime() ? 'ACTIVE' : 'EXPIRED' };
}
