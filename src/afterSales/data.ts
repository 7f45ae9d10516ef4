/** Reads of the after-sales domain. */
import type { Collections } from '../db/collections';
import type { OrderDoc } from '../db/documents';
import { WHOLE_RESULT } from '../shared/queryOptions';

/**
 * The most orders one tracking number answers with. A real parcel number
 * belongs to one order (a few when a parcel was re-used for replacements);
 * the cap keeps a placeholder that legacy systems wrote into many orders
 * ("0", "N/A") from turning one lookup into a dump of the collection.
 */
export const MAX_ORDERS_PER_TRACKING_NUMBER = 100;

/**
 * Orders with a shipment carrying exactly `trackingNo` (stored trimmed by the
 * importer), newest placedAt first, ties by id descending; only those of
 * `accountIds` unless it is 'all' (support). Index by_tracking_no.
 */
export function findOrdersByTrackingNumber(
  collections: Collections,
  trackingNo: string,
  accountIds: readonly string[] | 'all',
): Promise<OrderDoc[]> {
  const filter =
    accountIds === 'all'
      ? { 'shipments.trackingNo': trackingNo }
      : { 'shipments.trackingNo': trackingNo, accountId: { $in: [...accountIds] } };
  return collections.orders
    .find(filter, { ...WHOLE_RESULT, sort: { placedAt: -1, _id: -1 }, limit: MAX_ORDERS_PER_TRACKING_NUMBER })
    .toArray();
}
