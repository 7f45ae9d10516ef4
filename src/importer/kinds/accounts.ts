import type { AccountDoc } from '../../db/documents';
import { zoneOfStore } from '../../shared/time';
import { parseEmail, parseStore } from '../codes';
import type { RecordKind } from './kind';

export const accounts: RecordKind<AccountDoc> = {
  file: 'accounts',
  collection: 'accounts',
  idField: 'account_id',
  collectReferences() {},
  normalize(f) {
    const _id = f.string('account_id');
    const store = f.code('store', parseStore);
    const zone = zoneOfStore(store);
    return {
      doc: {
        _id,
        store,
        email: f.code('email', parseEmail),
        displayName: f.optionalString('display_name'),
        registeredAt: f.timestamp('registered_at', zone),
        xiaomiUserId: f.optionalString('xiaomi_user_id'),
        migratedAt: f.timestamp('migrated_at', zone),
      },
      anomalies: [],
    };
  },
};
