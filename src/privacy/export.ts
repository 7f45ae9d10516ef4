/**
 * The personal data export (api.md "Personal data export"): one JSON document
 * with everything this service stores about a Xiaomi user's linked POCO
 * accounts, field names as in the API, money as Money objects, instants as
 * DateTime strings. Written incrementally: the document is a stream of
 * chunks, and each list is read from a database cursor one batch at a time,
 * only when the reader wants more (backpressure through the async generator).
 *
 * Erased accounts show what the API shows: the email placeholder, no display
 * name, no shipping addresses, no feedback titles or bodies, even before the
 * scrub has reached those collections.
 *
 * Shape (top-level keys in this order):
 *   { format, userId, generatedAt, accounts, orders, pointsAccounts,
 *     pointsHistory, pointsTransfers, coupons, auditLog }
 */
import { Readable } from 'node:stream';
import type { Collections } from '../db/collections';
import type {
  AccountDoc,
  AddressDoc,
  CouponDoc,
  CouponReissueDoc,
  FeedbackDoc,
  OrderDoc,
  PointsBalanceDoc,
  PointsEntryDoc,
  PointsTransferDoc,
} from '../db/documents';
import { deriveCouponStatus } from '../coupons/status';
import type { CurrencyCode } from '../shared/codes';
import { canonicalDecimalText } from '../shared/decimalOutput';
import { formatMinorUnits } from '../shared/money';
import { auditLogOf, compareAuditOldestFirst } from './audit';
import {
  couponsCursor,
  EXPORT_BATCH_SIZE,
  findAccountsOfUser,
  findBalances,
  findFeedbackOfOrders,
  findReissues,
  findTransfers,
  ledgerCursor,
  ordersCursor,
} from './exportData';
import { visibleDisplayName, visibleEmail, visibleFeedbackText, visibleShippingAddress } from './hiding';

export const EXPORT_FORMAT = 'poco-personal-data-export/1';

const money = (minor: number, currencyCode: CurrencyCode) => ({ amount: formatMinorUnits(minor), currencyCode });

function accountJson(account: AccountDoc) {
  return {
    id: account._id,
    store: account.store,
    email: visibleEmail(account),
    displayName: visibleDisplayName(account),
    registeredAt: account.registeredAt,
    migratedAt: account.migratedAt,
    user: account.xiaomiUserId === null ? null : { id: account.xiaomiUserId },
    erasedAt: account.erasure?.at ?? null,
  };
}

function addressJson(address: AddressDoc | null) {
  if (address === null) return null;
  return {
    name: address.name,
    line1: address.line1,
    line2: address.line2,
    city: address.city,
    postalCode: address.postcode,
    countryCode: address.country,
  };
}

function feedbackJson(feedback: FeedbackDoc, account: AccountDoc | null) {
  const text = visibleFeedbackText(feedback, account);
  return {
    id: feedback._id,
    kind: feedback.kind,
    rating: feedback.rating,
    title: text.title,
    body: text.body,
    sku: feedback.sku,
    createdAt: feedback.createdAt,
    reply: feedback.reply === null ? null : { body: feedback.reply.body, repliedAt: feedback.reply.at },
  };
}

function orderJson(order: OrderDoc, account: AccountDoc | null, feedback: readonly FeedbackDoc[]) {
  const currency = order.currency;
  return {
    id: order._id,
    orderNumber: order.orderNo,
    store: order.store,
    accountId: order.accountId,
    placedAt: order.placedAt,
    status: order.status,
    currencyCode: currency,
    subtotal: money(order.subtotal, currency),
    shippingFee: money(order.shippingFee, currency),
    discountTotal: money(order.discount, currency),
    taxTotal: money(order.tax, currency),
    total: money(order.total, currency),
    refundedTotal: money(order.refunded, currency),
    pointsEarned: order.pointsEarned,
    pointsRedeemed: order.pointsRedeemed,
    couponsApplied: order.couponCodes.map((code) => ({ code })),
    lineItems: order.items.map((item) => ({
      sku: item.sku,
      productName: item.name,
      variant: item.variant,
      quantity: item.qty,
      unitPrice: money(item.unitPrice, currency),
      lineTotal: money(item.unitPrice * item.qty, currency),
    })),
    shipments: order.shipments.map((shipment) => ({
      id: shipment.id,
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNo,
      status: shipment.status,
      shippedAt: shipment.shippedAt,
      deliveredAt: shipment.deliveredAt,
      events: shipment.events.map((event) => ({
        occurredAt: event.at,
        status: event.status,
        location: event.location,
        description: event.desc,
      })),
    })),
    feedback: feedback.map((item) => feedbackJson(item, account)),
    shippingAddress: addressJson(visibleShippingAddress(order, account)),
  };
}

function pointsAccountJson(balance: PointsBalanceDoc) {
  return {
    accountId: balance._id,
    balance: balance.balance,
    lifetimeEarned: balance.earned,
    lifetimeRedeemed: balance.redeemed,
    lifetimeExpired: balance.expired,
  };
}

function entryJson(entry: PointsEntryDoc) {
  return {
    id: entry._id,
    accountId: entry.accountId,
    store: entry.store,
    occurredAt: entry.at,
    type: entry.type,
    points: entry.points,
    balanceAfter: entry.balanceAfter,
    description: entry.note,
    orderId: entry.orderId,
  };
}

function transferJson(transfer: PointsTransferDoc) {
  return {
    accountId: transfer._id,
    store: transfer.store,
    pocoPoints: transfer.pocoPoints,
    xiaomiPoints: transfer.miPoints,
    rate: canonicalDecimalText(transfer.rate),
    transferredAt: transfer.transferredAt,
    xiaomiLoyaltyAccountId: transfer.miLoyaltyAccountId,
  };
}

function couponJson(coupon: CouponDoc, reissue: CouponReissueDoc | null, now: Date) {
  const currency = coupon.currency;
  return {
    id: coupon._id,
    code: coupon.code,
    title: coupon.title,
    store: coupon.store,
    accountId: coupon.accountId,
    discountKind: coupon.kind,
    amountOff: coupon.amountOff === null || currency === null ? null : money(coupon.amountOff, currency),
    percentOff: coupon.percentOff === null ? null : canonicalDecimalText(coupon.percentOff),
    minimumSpend: coupon.minSpend === null || currency === null ? null : money(coupon.minSpend, currency),
    issuedAt: coupon.issuedAt,
    validFrom: coupon.validFrom,
    validUntil: coupon.validUntil,
    status: deriveCouponStatus(coupon, reissue, now),
    redeemedAt: coupon.usedAt,
    redeemedOrderId: coupon.usedOrderId,
    reissue:
      reissue === null
        ? null
        : {
            xiaomiCouponId: reissue.xiaomiCouponId,
            xiaomiCouponCode: reissue.xiaomiCouponCode,
            reissuedAt: reissue.reissuedAt,
            validUntil: reissue.validUntil,
          },
  };
}

/** `[` + the items of `source` as JSON, separated by commas + `]`, one chunk per batch. */
async function* jsonArray<T>(
  source: AsyncIterable<T>,
  toJson: (batch: T[]) => Promise<unknown[]> | unknown[],
): AsyncGenerator<string> {
  yield '[';
  let first = true;
  let batch: T[] = [];
  const flush = async function* (): AsyncGenerator<string> {
    if (batch.length === 0) return;
    const items = await toJson(batch);
    batch = [];
    const text = items.map((item) => JSON.stringify(item)).join(',');
    yield first ? text : `,${text}`;
    first = false;
  };
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= EXPORT_BATCH_SIZE) yield* flush();
  }
  yield* flush();
  yield ']';
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/** The export as chunks of JSON text. */
export async function* personalDataExportChunks(collections: Collections, userId: string, now: Date): AsyncGenerator<string> {
  const accounts = await findAccountsOfUser(collections, userId);
  const accountIds = accounts.map((account) => account._id);
  const accountsById = new Map(accounts.map((account) => [account._id, account]));
  const none = accountIds.length === 0;

  yield `{"format":${JSON.stringify(EXPORT_FORMAT)},"userId":${JSON.stringify(userId)},"generatedAt":${JSON.stringify(now)}`;
  yield `,"accounts":${JSON.stringify(accounts.map(accountJson))}`;

  yield ',"orders":';
  yield* jsonArray(none ? fromArray<OrderDoc>([]) : ordersCursor(collections, accountIds), async (orders) => {
    const feedback = await findFeedbackOfOrders(collections, orders.map((order) => order._id));
    const byOrder = new Map<string, FeedbackDoc[]>();
    for (const item of feedback) byOrder.set(item.orderId, [...(byOrder.get(item.orderId) ?? []), item]);
    return orders.map((order) => orderJson(order, accountsById.get(order.accountId) ?? null, byOrder.get(order._id) ?? []));
  });

  const [balances, transfers] = none ? [[], []] : await Promise.all([findBalances(collections, accountIds), findTransfers(collections, accountIds)]);
  yield `,"pointsAccounts":${JSON.stringify(balances.map(pointsAccountJson))}`;
  yield ',"pointsHistory":';
  yield* jsonArray(none ? fromArray<PointsEntryDoc>([]) : ledgerCursor(collections, accountIds), (entries) => entries.map(entryJson));
  yield `,"pointsTransfers":${JSON.stringify(transfers.map(transferJson))}`;

  yield ',"coupons":';
  yield* jsonArray(none ? fromArray<CouponDoc>([]) : couponsCursor(collections, accountIds), async (coupons) => {
    const reissues = new Map((await findReissues(collections, coupons.map((coupon) => coupon._id))).map((doc) => [doc._id, doc]));
    return coupons.map((coupon) => couponJson(coupon, reissues.get(coupon._id) ?? null, now));
  });

  const auditLog = accounts
    .flatMap((account) => auditLogOf(account))
    .sort((a, b) => compareAuditOldestFirst(a.entry, b.entry))
    .map(({ accountId, entry }) => ({ id: entry.id, at: entry.at, actor: entry.actor, action: entry.action, accountId, reason: entry.reason, requestId: entry.requestId }));
  yield `,"auditLog":${JSON.stringify(auditLog)}}`;
}

/** The export as a byte stream (UTF-8 JSON) for the document route. */
export function personalDataExportStream(collections: Collections, userId: string, now: Date): Readable {
  return Readable.from(personalDataExportChunks(collections, userId, now), { objectMode: false });
}
