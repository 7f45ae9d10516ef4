import type { Document } from 'mongodb';
import type { ExportFile } from '../report';
import { accounts } from './accounts';
import { couponReissues } from './couponReissues';
import { coupons } from './coupons';
import { feedback } from './feedback';
import type { RecordKind } from './kind';
import { orders } from './orders';
import { pointsLedger } from './pointsLedger';
import { pointsTransfers } from './pointsTransfers';

export const RECORD_KINDS: { readonly [F in ExportFile]: RecordKind<Document & { _id: string }> } = {
  accounts,
  orders,
  coupons,
  coupon_reissues: couponReissues,
  points_ledger: pointsLedger,
  points_transfers: pointsTransfers,
  feedback,
} as never;
