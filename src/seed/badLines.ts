/**
 * Lines the importer must reject, one case per reject reason of the format
 * (and a few variants), each with exactly one fault so the expected reason is
 * certain. A bad line is a rendered copy of a real record of the same user
 * with a fresh id (so a wrongly accepted line could never overwrite a good
 * record) and one field broken.
 *
 * Reasons use the importer's vocabulary (src/importer/report.ts):
 * `invalid_value` = cannot be read, `out_of_range` = readable but not allowed
 * (a negative earn, qty 0, a rating of 7).
 */
import {
  renderAccount,
  renderCoupon,
  renderCouponReissue,
  renderFeedback,
  renderLedgerEntry,
  renderOrder,
  renderPointsTransfer,
  type ExportRecord,
} from './exportRecords';
import type { Renderer } from './render';
import type { ExportFile } from '../importer/report';
import type { UserBundle } from './specs';

// The seed writes exactly the files the importer reads, in its dependency order.
export { EXPORT_FILES, type ExportFile } from '../importer/report';

export const EXPECTED_REJECT_REASONS = [
  'invalid_json',
  'missing_field',
  'invalid_value',
  'out_of_range',
  'unknown_account',
  'unknown_order',
  'unknown_coupon',
  'duplicate_order_no',
  'duplicate_coupon_code',
] as const;
export type ExpectedRejectReason = (typeof EXPECTED_REJECT_REASONS)[number];

export interface BadLine {
  file: ExportFile;
  /** Which broken case this is, e.g. `negative_earn`. */
  case: string;
  reason: ExpectedRejectReason;
  /** The field at fault, when one is. */
  field?: string;
  text: string;
}

/** Fresh ids for bad copies: never generated for good records. */
export interface BadIds {
  next(): number;
}

interface BadCase {
  file: ExportFile;
  name: string;
  reason: ExpectedRejectReason;
  field?: string;
  /** The broken record, or undefined when the user has nothing to copy for this case. */
  build(bundle: UserBundle, r: Renderer, n: number): ExportRecord | string | undefined;
}

function truncated(record: ExportRecord): string {
  const text = JSON.stringify(record);
  // Cut inside the text: what an interrupted export job left behind.
  return text.slice(0, Math.max(10, Math.floor(text.length * 0.6)));
}

function with_(record: ExportRecord, field: string, value: unknown): ExportRecord {
  return { ...record, [field]: value };
}

function without(record: ExportRecord, field: string): ExportRecord {
  const copy = { ...record };
  delete copy[field];
  return copy;
}

const firstAccount = (b: UserBundle, r: Renderer, n: number): ExportRecord | undefined => {
  const account = b.accounts[0];
  return account && renderAccount({ ...account, id: `pa-bad-${n}` }, r);
};

const firstOrder = (b: UserBundle, r: Renderer, n: number): ExportRecord | undefined => {
  const order = b.orders.find((o) => o.anomaly === undefined);
  return order && renderOrder({ ...order, id: `po-bad-${n}`, orderNo: `BAD${n}` }, r, { synonym: false });
};

const firstCoupon = (b: UserBundle, r: Renderer, n: number, kind?: 'FIXED_AMOUNT'): ExportRecord | undefined => {
  const coupon = b.coupons.find((c) => c.anomaly === undefined && (kind === undefined || c.kind === kind));
  return coupon && renderCoupon({ ...coupon, id: `pc-bad-${n}`, code: `BAD-${n}` }, r);
};

const firstReissue = (b: UserBundle, r: Renderer): ExportRecord | undefined => {
  const reissue = b.couponReissues[0];
  return reissue && renderCouponReissue(reissue, r);
};

const firstEntry = (b: UserBundle, r: Renderer, n: number, type?: 'EARNED'): ExportRecord | undefined => {
  const entry = b.pointsLedger.find((e) => type === undefined || e.type === type);
  return entry && renderLedgerEntry({ ...entry, id: `pl-bad-${n}` }, r);
};

const firstTransfer = (b: UserBundle, r: Renderer): ExportRecord | undefined => {
  const transfer = b.pointsTransfers[0];
  return transfer && renderPointsTransfer(transfer, r);
};

const firstFeedback = (b: UserBundle, r: Renderer, n: number): ExportRecord | undefined => {
  const feedback = b.feedback[0];
  return feedback && renderFeedback({ ...feedback, id: `fb-bad-${n}` }, r);
};

function map<T>(value: T | undefined, f: (value: T) => ExportRecord | string): ExportRecord | string | undefined {
  return value === undefined ? undefined : f(value);
}

export const BAD_CASES: readonly BadCase[] = [
  { file: 'accounts', name: 'truncated_json', reason: 'invalid_json', build: (b, r, n) => map(firstAccount(b, r, n), truncated) },
  { file: 'accounts', name: 'missing_email', reason: 'missing_field', field: 'email', build: (b, r, n) => map(firstAccount(b, r, n), (x) => without(x, 'email')) },
  { file: 'accounts', name: 'null_registered_at', reason: 'missing_field', field: 'registered_at', build: (b, r, n) => map(firstAccount(b, r, n), (x) => with_(x, 'registered_at', null)) },
  { file: 'accounts', name: 'unknown_store', reason: 'invalid_value', field: 'store', build: (b, r, n) => map(firstAccount(b, r, n), (x) => with_(x, 'store', 'XX')) },

  { file: 'orders', name: 'truncated_json', reason: 'invalid_json', build: (b, r, n) => map(firstOrder(b, r, n), truncated) },
  { file: 'orders', name: 'empty_order_no', reason: 'missing_field', field: 'order_no', build: (b, r, n) => map(firstOrder(b, r, n), (x) => with_(x, 'order_no', '')) },
  { file: 'orders', name: 'missing_items', reason: 'missing_field', field: 'items', build: (b, r, n) => map(firstOrder(b, r, n), (x) => without(x, 'items')) },
  {
    file: 'orders',
    name: 'money_three_decimals',
    reason: 'invalid_value',
    field: 'subtotal',
    // "449.990": three digits after the separator is an error even when the last is a zero.
    build: (b, r, n) => map(firstOrder(b, r, n), (x) => with_(x, 'subtotal', `${((b.orders.find((o) => o.anomaly === undefined)?.subtotal ?? 0) / 100).toFixed(2)}0`)),
  },
  { file: 'orders', name: 'money_exponent', reason: 'invalid_value', field: 'total', build: (b, r, n) => map(firstOrder(b, r, n), (x) => with_(x, 'total', '1e3')) },
  { file: 'orders', name: 'unknown_currency', reason: 'invalid_value', field: 'currency', build: (b, r, n) => map(firstOrder(b, r, n), (x) => with_(x, 'currency', 'JPY')) },
  { file: 'orders', name: 'unknown_status', reason: 'invalid_value', field: 'status', build: (b, r, n) => map(firstOrder(b, r, n), (x) => with_(x, 'status', 'on_hold')) },
  {
    file: 'orders',
    name: 'qty_zero',
    reason: 'out_of_range',
    field: 'items',
    build: (b, r, n) =>
      map(firstOrder(b, r, n), (x) => {
        const items = (x.items as Record<string, unknown>[]).map((item, i) => (i === 0 ? { ...item, qty: 0 } : item));
        return with_(x, 'items', items);
      }),
  },
  { file: 'orders', name: 'unknown_account', reason: 'unknown_account', field: 'account_id', build: (b, r, n) => map(firstOrder(b, r, n), (x) => with_(x, 'account_id', `pa-unknown-${n}`)) },
  {
    file: 'orders',
    name: 'duplicate_order_no',
    reason: 'duplicate_order_no',
    field: 'order_no',
    build: (b, r, n) => {
      const taken = b.orders.find((o) => o.anomaly === undefined);
      return map(firstOrder(b, r, n), (x) => with_(x, 'order_no', taken?.orderNo));
    },
  },

  { file: 'coupons', name: 'unknown_account', reason: 'unknown_account', field: 'account_id', build: (b, r, n) => map(firstCoupon(b, r, n), (x) => with_(x, 'account_id', `pa-unknown-${n}`)) },
  {
    file: 'coupons',
    name: 'duplicate_coupon_code',
    reason: 'duplicate_coupon_code',
    field: 'code',
    build: (b, r, n) => {
      const taken = b.coupons.find((c) => c.anomaly === undefined);
      return map(firstCoupon(b, r, n), (x) => with_(x, 'code', taken?.code));
    },
  },
  { file: 'coupons', name: 'fixed_without_currency', reason: 'missing_field', field: 'currency', build: (b, r, n) => map(firstCoupon(b, r, n, 'FIXED_AMOUNT'), (x) => with_(x, 'currency', null)) },
  { file: 'coupons', name: 'unknown_type', reason: 'invalid_value', field: 'type', build: (b, r, n) => map(firstCoupon(b, r, n), (x) => with_(x, 'type', 'bogo')) },

  { file: 'coupon_reissues', name: 'unknown_coupon', reason: 'unknown_coupon', field: 'coupon_id', build: (b, r, n) => map(firstReissue(b, r), (x) => with_(x, 'coupon_id', `pc-unknown-${n}`)) },
  { file: 'coupon_reissues', name: 'missing_code', reason: 'missing_field', field: 'xiaomi_coupon_code', build: (b, r) => map(firstReissue(b, r), (x) => without(x, 'xiaomi_coupon_code')) },
  { file: 'coupon_reissues', name: 'unreadable_time', reason: 'invalid_value', field: 'reissued_at', build: (b, r) => map(firstReissue(b, r), (x) => with_(x, 'reissued_at', 'yesterday')) },

  { file: 'points_ledger', name: 'negative_earn', reason: 'out_of_range', field: 'points', build: (b, r, n) => map(firstEntry(b, r, n, 'EARNED'), (x) => with_(x, 'points', -Math.abs(Number(x.points)))) },
  { file: 'points_ledger', name: 'unknown_account', reason: 'unknown_account', field: 'account_id', build: (b, r, n) => map(firstEntry(b, r, n), (x) => with_(x, 'account_id', `pa-unknown-${n}`)) },
  { file: 'points_ledger', name: 'unknown_type', reason: 'invalid_value', field: 'type', build: (b, r, n) => map(firstEntry(b, r, n), (x) => with_(x, 'type', 'bonus')) },
  { file: 'points_ledger', name: 'points_not_a_number', reason: 'invalid_value', field: 'points', build: (b, r, n) => map(firstEntry(b, r, n), (x) => with_(x, 'points', 'abc')) },
  { file: 'points_ledger', name: 'missing_balance', reason: 'missing_field', field: 'balance_after', build: (b, r, n) => map(firstEntry(b, r, n), (x) => without(x, 'balance_after')) },

  { file: 'points_transfers', name: 'unknown_account', reason: 'unknown_account', field: 'account_id', build: (b, r, n) => map(firstTransfer(b, r), (x) => with_(x, 'account_id', `pa-unknown-${n}`)) },
  { file: 'points_transfers', name: 'missing_rate', reason: 'missing_field', field: 'rate', build: (b, r) => map(firstTransfer(b, r), (x) => without(x, 'rate')) },
  { file: 'points_transfers', name: 'unreadable_rate', reason: 'invalid_value', field: 'rate', build: (b, r) => map(firstTransfer(b, r), (x) => with_(x, 'rate', 'fast')) },

  { file: 'feedback', name: 'unknown_order', reason: 'unknown_order', field: 'order_id', build: (b, r, n) => map(firstFeedback(b, r, n), (x) => with_(x, 'order_id', `po-unknown-${n}`)) },
  { file: 'feedback', name: 'unknown_account', reason: 'unknown_account', field: 'account_id', build: (b, r, n) => map(firstFeedback(b, r, n), (x) => with_(x, 'account_id', `pa-unknown-${n}`)) },
  { file: 'feedback', name: 'rating_out_of_range', reason: 'out_of_range', field: 'rating', build: (b, r, n) => map(firstFeedback(b, r, n), (x) => with_(x, 'rating', 7)) },
  { file: 'feedback', name: 'unknown_kind', reason: 'invalid_value', field: 'kind', build: (b, r, n) => map(firstFeedback(b, r, n), (x) => with_(x, 'kind', 'complaint')) },
  { file: 'feedback', name: 'missing_created_at', reason: 'missing_field', field: 'created_at', build: (b, r, n) => map(firstFeedback(b, r, n), (x) => without(x, 'created_at')) },
];

/** The bad line of `badCase` built from `bundle`, or undefined when the user has no record to copy. */
export function buildBadLine(badCase: BadCase, bundle: UserBundle, r: Renderer, n: number): BadLine | undefined {
  const built = badCase.build(bundle, r, n);
  if (built === undefined) return undefined;
  return {
    file: badCase.file,
    case: badCase.name,
    reason: badCase.reason,
    ...(badCase.field ? { field: badCase.field } : {}),
    text: typeof built === 'string' ? built : JSON.stringify(built),
  };
}
