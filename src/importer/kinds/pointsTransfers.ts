import type { PointsTransferDoc } from '../../db/documents';
import { compareDecimals } from '../../shared/decimal';
import { zoneOfStore } from '../../shared/time';
import { requireAccountStore, type RecordKind } from './kind';

const MAX_POINTS = 1_000_000_000;

/** One transfer per account: the account id is the document id, so a later record replaces the earlier. */
export const pointsTransfers: RecordKind<PointsTransferDoc> = {
  file: 'points_transfers',
  collection: 'pointsTransfers',
  idField: 'account_id',
  collectReferences(f, references) {
    const accountId = f.reference('account_id');
    if (accountId) references.accounts.add(accountId);
  },
  normalize(f, lookup) {
    const { accountId, store } = requireAccountStore(f, lookup);
    const zone = zoneOfStore(store);
    const pocoPoints = f.integer('poco_points', { min: 0, max: MAX_POINTS });
    const miPoints = f.integer('mi_points', { min: 0, max: MAX_POINTS });
    const rate = f.decimal('rate');
    if (compareDecimals(rate, '0') <= 0) f.rejectWith('out_of_range', `rate: must be above 0, got ${rate}`, 'rate');
    return {
      doc: {
        _id: accountId,
        store,
        pocoPoints,
        miPoints,
        rate,
        transferredAt: f.timestamp('transferred_at', zone),
        miLoyaltyAccountId: f.optionalString('mi_loyalty_account_id'),
      },
      anomalies: [],
    };
  },
};
