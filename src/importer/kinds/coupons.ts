import type { CouponDoc } from '../../db/documents';
import { compareDecimals } from '../../shared/decimal';
import { zoneOfStore } from '../../shared/time';
import { parseCouponStatus, parseCurrency, parseDiscountKind, parseStore } from '../codes';
import type { AnomalyKind } from '../report';
import { requireAccountStore, type RecordKind } from './kind';

/** Coupon codes are unique within a store: the key joins both (a newline never occurs in a code we keep). */
function codeKey(store: string, code: string): string {
  return `${store}\n${code}`;
}

export const coupons: RecordKind<CouponDoc> = {
  file: 'coupons',
  collection: 'coupons',
  idField: 'coupon_id',
  collectReferences(f, references) {
    const accountId = f.reference('account_id');
    if (accountId) references.accounts.add(accountId);
    const orderId = f.reference('used_order_id');
    if (orderId) references.orders.add(orderId);
  },
  normalize(f, lookup) {
    const _id = f.string('coupon_id');
    const code = f.string('code');
    const { accountId } = requireAccountStore(f, lookup);
    const store = f.code('store', parseStore);
    const zone = zoneOfStore(store);
    const title = f.string('title');
    const kind = f.code('type', parseDiscountKind);

    let amountOff: number | null = null;
    let percentOff: string | null = null;
    switch (kind) {
      case 'FIXED_AMOUNT':
        amountOff = f.money('value');
        break;
      case 'PERCENTAGE':
        percentOff = f.decimal('value');
        if (compareDecimals(percentOff, '0') <= 0 || compareDecimals(percentOff, '100') > 0) {
          f.rejectWith('out_of_range', `value: a percentage must be above 0 and at most 100, got ${percentOff}`, 'value');
        }
        break;
      case 'FREE_SHIPPING':
        break;
      default: {
        const unknown: never = kind;
        throw new Error(`unhandled coupon kind ${String(unknown)}`);
      }
    }
    const minSpend = f.optionalMoney('min_spend');
    const currency =
      kind === 'FIXED_AMOUNT' || minSpend !== null ? f.code('currency', parseCurrency) : f.optionalCode('currency', parseCurrency);

    const anomalies: AnomalyKind[] = [];
    let usedOrderId = f.optionalString('used_order_id');
    if (usedOrderId !== null && !lookup.orderExists(usedOrderId)) {
      anomalies.push('unknown_order_link');
      usedOrderId = null;
    }
    return {
      doc: {
        _id,
        code,
        accountId,
        store,
        title,
        kind,
        amountOff,
        percentOff,
        currency,
        minSpend,
        issuedAt: f.timestamp('issued_at', zone),
        validFrom: f.timestamp('valid_from', zone),
        validUntil: f.timestamp('valid_until', zone),
        exportStatus: f.code('status', parseCouponStatus),
        usedAt: f.optionalTimestamp('used_at', zone),
        usedOrderId,
      },
      anomalies,
    };
  },
  unique: {
    reason: 'duplicate_coupon_code',
    field: 'code',
    keyOf: (doc) => codeKey(doc.store, doc.code),
    describe: (doc) => `code "${doc.code}" in store ${doc.store}`,
    async findOwners(collection, docs) {
      const found = await collection
        .find({ code: { $in: [...new Set(docs.map((doc) => doc.code))] } }, { projection: { code: 1, store: 1 } })
        .toArray();
      return new Map(found.map((doc) => [codeKey(doc.store, doc.code), doc._id]));
    },
  },
};
