import type { FeedbackDoc } from '../../db/documents';
import { zoneOfStore } from '../../shared/time';
import { parseFeedbackKind } from '../codes';
import { requireAccountStore, type RecordKind } from './kind';

export const feedback: RecordKind<FeedbackDoc> = {
  file: 'feedback',
  collection: 'feedback',
  idField: 'feedback_id',
  collectReferences(f, references) {
    const accountId = f.reference('account_id');
    if (accountId) references.accounts.add(accountId);
    const orderId = f.reference('order_id');
    if (orderId) references.orders.add(orderId);
  },
  normalize(f, lookup) {
    const _id = f.string('feedback_id');
    const { accountId, store } = requireAccountStore(f, lookup);
    const orderId = f.string('order_id');
    if (!lookup.orderExists(orderId)) {
      f.rejectWith('unknown_order', `order_id "${orderId}" exists neither in the batch nor in the database`, 'order_id');
    }
    const zone = zoneOfStore(store);
    const reply = f.optionalObject('reply');
    return {
      doc: {
        _id,
        accountId,
        orderId,
        kind: f.code('kind', parseFeedbackKind),
        rating: f.optionalInteger('rating', { min: 1, max: 5 }),
        title: f.optionalString('title'),
        body: f.optionalString('body'),
        sku: f.optionalString('sku'),
        createdAt: f.timestamp('created_at', zone),
        reply: reply ? { body: reply.string('body'), at: reply.timestamp('at', zone) } : null,
      },
      anomalies: [],
    };
  },
};
