import type { PointsEntryDoc } from '../../db/documents';
import { zoneOfStore } from '../../shared/time';
import { parsePointsEntryType } from '../codes';
import type { AnomalyKind } from '../report';
import { requireAccountStore, type RecordKind } from './kind';

const MAX_POINTS = 1_000_000_000;

export const pointsLedger: RecordKind<PointsEntryDoc> = {
  file: 'points_ledger',
  collection: 'pointsLedger',
  idField: 'entry_id',
  collectReferences(f, references) {
    const accountId = f.reference('account_id');
    if (accountId) references.accounts.add(accountId);
    const orderId = f.reference('order_id');
    if (orderId) references.orders.add(orderId);
  },
  normalize(f, lookup) {
    const _id = f.string('entry_id');
    const { accountId, store } = requireAccountStore(f, lookup);
    const zone = zoneOfStore(store);
    const at = f.timestamp('at', zone);
    const type = f.code('type', parsePointsEntryType);
    const exported = f.integer('points', { min: -MAX_POINTS, max: MAX_POINTS });
    let points: number;
    // Quirk 6: some systems wrote outgoing points positive; the type decides the sign.
    switch (type) {
      case 'EARNED':
        if (exported < 0) f.rejectWith('out_of_range', `points: an earn entry cannot have negative points (${exported})`, 'points');
        points = exported;
        break;
      case 'REDEEMED':
      case 'EXPIRED':
      case 'TRANSFERRED':
        points = exported === 0 ? 0 : -Math.abs(exported);
        break;
      case 'ADJUSTED':
        points = exported;
        break;
      default: {
        const unknown: never = type;
        throw new Error(`unhandled ledger type ${String(unknown)}`);
      }
    }
    const balanceAfter = f.integer('balance_after', { min: -MAX_POINTS, max: MAX_POINTS });
    const anomalies: AnomalyKind[] = [];
    let orderId = f.optionalString('order_id');
    if (orderId !== null && !lookup.orderExists(orderId)) {
      anomalies.push('unknown_order_link');
      orderId = null;
    }
    return {
      doc: { _id, accountId, store, at, type, points, balanceAfter, orderId, note: f.optionalString('note') },
      anomalies,
    };
  },
};
