import type { CouponReissueDoc } from '../../db/documents';
import type { PocoStore } from '../../shared/codes';
import { wallClockToEpoch, zoneOfStore } from '../../shared/time';
import type { AnomalyKind } from '../report';
import type { RecordKind } from './kind';

/** Xiaomi reissued legacy coupons from this day on (poco-export-format.md), midnight of the store's clock. */
function programmeStart(store: PocoStore): number {
  return wallClockToEpoch(Date.UTC(2024, 11, 12), zoneOfStore(store));
}

/**
 * Policy for a reissue dated before the programme started: it is kept (the
 * coupon was reissued; only its date looks wrong, typically a clock or zone
 * slip) and counted as the anomaly `reissue_before_programme`.
 */
export const couponReissues: RecordKind<CouponReissueDoc> = {
  file: 'coupon_reissues',
  collection: 'couponReissues',
  idField: 'coupon_id',
  collectReferences(f, references) {
    const couponId = f.reference('coupon_id');
    if (couponId) references.coupons.add(couponId);
  },
  normalize(f, lookup) {
    const _id = f.string('coupon_id');
    const store = lookup.couponStore(_id);
    if (store === undefined) {
      return f.rejectWith('unknown_coupon', `coupon_id "${_id}" exists neither in the batch nor in the database`, 'coupon_id');
    }
    const zone = zoneOfStore(store);
    const doc: CouponReissueDoc = {
      _id,
      xiaomiCouponId: f.string('xiaomi_coupon_id'),
      xiaomiCouponCode: f.string('xiaomi_coupon_code'),
      reissuedAt: f.timestamp('reissued_at', zone),
      validUntil: f.optionalTimestamp('valid_until', zone),
    };
    const anomalies: AnomalyKind[] = doc.reissuedAt.getTime() < programmeStart(store) ? ['reissue_before_programme'] : [];
    return { doc, anomalies };
  },
};
