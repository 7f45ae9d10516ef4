/**
 * The derived coupon status (api.md "Coupon status"): REISSUED when a reissue
 * record exists; otherwise REDEEMED when used, VOIDED when voided, EXPIRED
 * when the export says expired or validUntil is in the past (at the request's
 * time); otherwise ACTIVE.
 */
import type { CouponDoc, CouponReissueDoc } from '../db/documents';
import type { CouponStatus } from '../shared/codes';

export function deriveCouponStatus(
  coupon: Pick<CouponDoc, 'exportStatus' | 'validUntil'>,
  reissue: CouponReissueDoc | null,
  now: Date,
): CouponStatus {
  if (reissue !== null) return 'REISSUED';
  switch (coupon.exportStatus) {
    case 'USED':
      return 'REDEEMED';
    case 'VOID':
      return 'VOIDED';
    case 'EXPIRED':
      return 'EXPIRED';
    case 'UNUSED':
      // validUntil is the last instant it could be used: past it, the coupon has expired.
      return coupon.validUntil.getTime() < now.getTime() ? 'EXPIRED' : 'ACTIVE';
    default: {
      const unknown: never = coupon.exportStatus;
      throw new Error(`Unknown coupon export status ${String(unknown)}`);
    }
  }
}
