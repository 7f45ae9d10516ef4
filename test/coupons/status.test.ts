import type { CouponExportStatus } from '../../src/shared/codes';
import { deriveCouponStatus } from '../../src/coupons/status';
import { reissue } from '../resolvers/fixtures';

const now = new Date('2025-06-01T00:00:00.000Z');
const future = new Date('2026-01-01T00:00:00.000Z');
const past = new Date('2025-05-31T23:59:59.999Z');

describe('deriveCouponStatus', () => {
  it.each<[CouponExportStatus, Date, string]>([
    ['UNUSED', future, 'ACTIVE'],
    ['UNUSED', now, 'ACTIVE'],
    ['UNUSED', past, 'EXPIRED'],
    ['EXPIRED', future, 'EXPIRED'],
    ['USED', past, 'REDEEMED'],
    ['VOID', past, 'VOIDED'],
  ])('export %s, valid until %s => %s', (exportStatus, validUntil, expected) => {
    expect(deriveCouponStatus({ exportStatus, validUntil }, null, now)).toBe(expected);
  });

  it.each<CouponExportStatus>(['UNUSED', 'USED', 'EXPIRED', 'VOID'])('is REISSUED whenever a reissue exists (export %s)', (exportStatus) => {
    expect(deriveCouponStatus({ exportStatus, validUntil: past }, reissue('c'), now)).toBe('REISSUED');
  });
});
