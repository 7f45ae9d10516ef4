/**
 * The "naive" subgraph of the benchmark (issue 5): the same schema.graphql,
 * resolved the way a first version usually is, one database query per parent
 * object and no DataLoader. It exists only as the benchmark's baseline, to
 * show what batching saves; it is never served to users.
 *
 * It answers the same data under the same read rules as the real resolvers
 * for the fields the benchmark selects, but keeps everything simple: cursors
 * are unsigned base64url positions, and every list is read per parent (the
 * orders of one user, the feedback of one order, the reissue of one coupon).
 */
import type { Collection } from 'mongodb';
import { collectionsOf, type Collections } from '../../src/db/collections';
import type {
  AccountDoc,
  AddressDoc,
  CouponDoc,
  FeedbackDoc,
  OrderDoc,
  OrderItemDoc,
  PointsBalanceDoc,
  PointsEntryDoc,
  ShipmentDoc,
  TrackingEventDoc,
} from '../../src/db/documents';
import type { Db } from 'mongodb';
import { assertMayReadUser, canRead } from '../../src/auth/policy';
import { badUserInput } from '../../src/errors';
import type { Resolvers } from '../../src/generated/resolvers';
import type { RequestContext } from '../../src/graphql/context';
import { deriveCouponStatus } from '../../src/coupons/status';
import type { MoneyValue } from '../../src/graphql/parents';
import { scalarResolvers } from '../../src/graphql/scalars';
import type { CouponStatus, CurrencyCode } from '../../src/shared/codes';
import { formatMinorUnits } from '../../src/shared/money';

interface UserParent {
  id: string;
}
interface PointsParent {
  accounts: AccountDoc[];
  balances: (PointsBalanceDoc | null)[];
}
interface LineItemParent {
  item: OrderItemDoc;
  currency: CurrencyCode;
}
interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}
interface Position {
  at: number;
  id: string;
}

function money(minor: number, currency: CurrencyCode): MoneyValue {
  return { minor, currency };
}

function pageSize(first: number | null | undefined): number {
  const size = first ?? 10;
  if (!Number.isInteger(size) || size < 1 || size > 100) throw badUserInput('`first` must be between 1 and 100.', 'first');
  return size;
}

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: string): Position {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<Position>;
    if (typeof value.at === 'number' && typeof value.id === 'string') return { at: value.at, id: value.id };
  } catch {
    // fall through to the error below
  }
  throw badUserInput('`after` is not a cursor of this list.', 'after');
}

/**
 * One keyset page, newest first on (instant, _id): a find for the page and a
 * count for totalCount, both for this one parent.
 */
async function keysetPage<T extends { _id: string }>(
  collection: Collection<T>,
  match: Record<string, unknown>,
  instantField: string,
  args: ConnectionArgs,
  defaultFirst: number,
): Promise<unknown> {
  const size = pageSize(args.first ?? defaultFirst);
  const filter: Record<string, unknown> = { ...match };
  if (args.after) {
    const after = decodeCursor(args.after);
    filter.$or = [
      { [instantField]: { $lt: new Date(after.at) } },
      { [instantField]: new Date(after.at), _id: { $lt: after.id } },
    ];
  }
  const [documents, totalCount] = await Promise.all([
    collection
      .find(filter as never)
      .sort({ [instantField]: -1, _id: -1 })
      .limit(size + 1)
      .toArray(),
    collection.countDocuments(match as never),
  ]);
  const nodes = documents.slice(0, size);
  const edges = nodes.map((node) => ({
    cursor: encodeCursor({ at: ((node as Record<string, unknown>)[instantField] as Date).getTime(), id: node._id }),
    node,
  }));
  return {
    edges,
    nodes,
    totalCount,
    pageInfo: {
      hasNextPage: documents.length > size,
      hasPreviousPage: Boolean(args.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}


/** The naive resolver map over `db`: every field reads for its own parent only. */
export function createNaiveResolvers(db: Db): Resolvers {
  const c: Collections = collectionsOf(db);

  const accountsOfUser = (userId: string): Promise<AccountDoc[]> =>
    c.accounts.find({ xiaomiUserId: userId }).sort({ registeredAt: 1, _id: 1 }).toArray();
  const ownerOfAccount = async (accountId: string): Promise<AccountDoc | null> => c.accounts.findOne({ _id: accountId });
  const readableOrder = async (order: OrderDoc | null, context: RequestContext): Promise<OrderDoc | null> => {
    if (!order) return null;
    const account = await ownerOfAccount(order.accountId);
    return canRead(context.viewer, account?.xiaomiUserId ?? null) ? order : null;
  };
  const readableCoupon = async (coupon: CouponDoc | null, context: RequestContext): Promise<CouponDoc | null> => {
    if (!coupon) return null;
    const account = await ownerOfAccount(coupon.accountId);
    return canRead(context.viewer, account?.xiaomiUserId ?? null) ? coupon : null;
  };
  const statusOf = async (coupon: CouponDoc, context: RequestContext): Promise<CouponStatus> =>
    deriveCouponStatus(coupon, await c.couponReissues.findOne({ _id: coupon._id }), context.now);

  const map = {
    ...scalarResolvers,
    Query: {
      pocoOrder: async (_root: unknown, { id }: { id: string }, context: RequestContext) =>
        readableOrder(await c.orders.findOne({ _id: id }), context),
      pocoOrderByNumber: async (_root: unknown, { orderNumber }: { orderNumber: string }, context: RequestContext) =>
        readableOrder(await c.orders.findOne({ orderNo: orderNumber }), context),
      pocoCouponByCode: async (_root: unknown, { code }: { code: string }, context: RequestContext) => {
        const coupons = await c.coupons.find({ code }).sort({ issuedAt: -1, _id: -1 }).toArray();
        for (const coupon of coupons) {
          const readable = await readableCoupon(coupon, context);
          if (readable) return readable;
        }
        return null;
      },
      pocoAccountsByEmail: async (_root: unknown, { email }: { email: string }, context: RequestContext) => {
        if (context.viewer.kind !== 'user') throw badUserInput('Sign in first.');
        if (!context.viewer.isSupport) return [];
        return c.accounts.find({ email: email.trim().toLowerCase() }).sort({ registeredAt: 1, _id: 1 }).toArray();
      },
    },
    Money: {
      amount: (value: MoneyValue) => formatMinorUnits(value.minor),
      currencyCode: (value: MoneyValue) => value.currency,
    },
    User: {
      __resolveReference: (reference: UserParent) => ({ id: reference.id }),
      id: (user: UserParent) => user.id,
      pocoAccounts: async (user: UserParent, _args: unknown, context: RequestContext) => {
        assertMayReadUser(context.viewer, user.id);
        return accountsOfUser(user.id);
      },
      pocoOrders: async (user: UserParent, args: ConnectionArgs, context: RequestContext) => {
        assertMayReadUser(context.viewer, user.id);
        const accounts = await accountsOfUser(user.id);
        return keysetPage(c.orders, { accountId: { $in: accounts.map((account) => account._id) } }, 'placedAt', args, 10);
      },
      pocoPoints: async (user: UserParent, _args: unknown, context: RequestContext) => {
        assertMayReadUser(context.viewer, user.id);
        const accounts = await accountsOfUser(user.id);
        if (accounts.length === 0) return null;
        const balances = await Promise.all(accounts.map((account) => c.pointsBalances.findOne({ _id: account._id })));
        return { accounts, balances } satisfies PointsParent;
      },
      pocoCoupons: async (user: UserParent, args: { status?: CouponStatus[] | null }, context: RequestContext) => {
        assertMayReadUser(context.viewer, user.id);
        const accounts = await accountsOfUser(user.id);
        const coupons = await c.coupons
          .find({ accountId: { $in: accounts.map((account) => account._id) } })
          .sort({ issuedAt: -1, _id: -1 })
          .toArray();
        if (!args.status) return coupons;
        const wanted = new Set(args.status);
        const statuses = await Promise.all(coupons.map((coupon) => statusOf(coupon, context)));
        return coupons.filter((_coupon, index) => wanted.has(statuses[index]!));
      },
    },
    PocoAccount: {
      id: (account: AccountDoc) => account._id,
      user: (account: AccountDoc) => (account.xiaomiUserId === null ? null : { id: account.xiaomiUserId }),
      orders: (account: AccountDoc, args: ConnectionArgs) =>
        keysetPage(c.orders, { accountId: account._id }, 'placedAt', args, 10),
    },
    PocoOrder: {
      __resolveReference: async (reference: { id: string }, context: RequestContext) =>
        readableOrder(await c.orders.findOne({ _id: reference.id }), context),
      id: (order: OrderDoc) => order._id,
      orderNumber: (order: OrderDoc) => order.orderNo,
      account: (order: OrderDoc) => ownerOfAccount(order.accountId),
      user: async (order: OrderDoc) => {
        const account = await ownerOfAccount(order.accountId);
        return account?.xiaomiUserId ? { id: account.xiaomiUserId } : null;
      },
      currencyCode: (order: OrderDoc) => order.currency,
      subtotal: (order: OrderDoc) => money(order.subtotal, order.currency),
      shippingFee: (order: OrderDoc) => money(order.shippingFee, order.currency),
      discountTotal: (order: OrderDoc) => money(order.discount, order.currency),
      taxTotal: (order: OrderDoc) => money(order.tax, order.currency),
      total: (order: OrderDoc) => money(order.total, order.currency),
      refundedTotal: (order: OrderDoc) => money(order.refunded, order.currency),
      lineItems: (order: OrderDoc): LineItemParent[] => order.items.map((item) => ({ item, currency: order.currency })),
      couponsApplied: async (order: OrderDoc) => {
        const coupons = await Promise.all(order.couponCodes.map((code) => c.coupons.findOne({ code, store: order.store })));
        return coupons.filter((coupon): coupon is NonNullable<typeof coupon> => coupon !== null);
      },
      feedback: (order: OrderDoc) => c.feedback.find({ orderId: order._id }).sort({ createdAt: 1, _id: 1 }).toArray(),
    },
    PocoOrderLineItem: {
      sku: (line: LineItemParent) => line.item.sku,
      product: (line: LineItemParent) => ({ sku: line.item.sku }),
      productName: (line: LineItemParent) => line.item.name,
      variant: (line: LineItemParent) => line.item.variant,
      quantity: (line: LineItemParent) => line.item.qty,
      unitPrice: (line: LineItemParent) => money(line.item.unitPrice, line.currency),
      lineTotal: (line: LineItemParent) => money(line.item.unitPrice * line.item.qty, line.currency),
    },
    PocoAddress: {
      postalCode: (address: AddressDoc) => address.postcode,
      countryCode: (address: AddressDoc) => address.country,
    },
    PocoShipment: {
      trackingNumber: (shipment: ShipmentDoc) => shipment.trackingNo,
    },
    PocoTrackingEvent: {
      occurredAt: (event: TrackingEventDoc) => event.at,
      description: (event: TrackingEventDoc) => event.desc,
    },
    PocoFeedback: {
      id: (feedback: FeedbackDoc) => feedback._id,
    },
    PocoFeedbackReply: {
      repliedAt: (reply: { at: Date }) => reply.at,
    },
    PocoPointsAccount: {
      balance: (points: PointsParent) => sumBalances(points, 'balance'),
      lifetimeEarned: (points: PointsParent) => sumBalances(points, 'earned'),
      lifetimeRedeemed: (points: PointsParent) => sumBalances(points, 'redeemed'),
      lifetimeExpired: (points: PointsParent) => sumBalances(points, 'expired'),
      transfers: async (points: PointsParent) => {
        const transfers = await Promise.all(points.accounts.map((account) => c.pointsTransfers.findOne({ _id: account._id })));
        return transfers
          .filter((transfer): transfer is NonNullable<typeof transfer> => transfer !== null)
          .sort((x, y) => x.transferredAt.getTime() - y.transferredAt.getTime() || (x._id < y._id ? -1 : 1));
      },
      history: (points: PointsParent, args: ConnectionArgs & { types?: string[] | null }) =>
        keysetPage(
          c.pointsLedger,
          {
            accountId: { $in: points.accounts.map((account) => account._id) },
            ...(args.types ? { type: { $in: args.types } } : {}),
          },
          'at',
          args,
          20,
        ),
    },
    PocoPointsTransfer: {
      xiaomiPoints: (transfer: { miPoints: number }) => transfer.miPoints,
      xiaomiLoyaltyAccountId: (transfer: { miLoyaltyAccountId: string | null }) => transfer.miLoyaltyAccountId,
    },
    PocoPointsEntry: {
      id: (entry: PointsEntryDoc) => entry._id,
      occurredAt: (entry: PointsEntryDoc) => entry.at,
      description: (entry: PointsEntryDoc) => entry.note,
      order: async (entry: PointsEntryDoc, _args: unknown, context: RequestContext) =>
        entry.orderId === null ? null : readableOrder(await c.orders.findOne({ _id: entry.orderId }), context),
    },
    PocoCoupon: {
      __resolveReference: async (reference: { id: string }, context: RequestContext) =>
        readableCoupon(await c.coupons.findOne({ _id: reference.id }), context),
      id: (coupon: CouponDoc) => coupon._id,
      discountKind: (coupon: CouponDoc) => coupon.kind,
      amountOff: (coupon: CouponDoc) =>
        coupon.amountOff === null || coupon.currency === null ? null : money(coupon.amountOff, coupon.currency),
      minimumSpend: (coupon: CouponDoc) =>
        coupon.minSpend === null || coupon.currency === null ? null : money(coupon.minSpend, coupon.currency),
      status: (coupon: CouponDoc, _args: unknown, context: RequestContext) => statusOf(coupon, context),
      redeemedAt: (coupon: CouponDoc) => coupon.usedAt,
      redeemedOrder: async (coupon: CouponDoc, _args: unknown, context: RequestContext) =>
        coupon.usedOrderId === null ? null : readableOrder(await c.orders.findOne({ _id: coupon.usedOrderId }), context),
      reissue: (coupon: CouponDoc) => c.couponReissues.findOne({ _id: coupon._id }),
    },
  };
  return map as unknown as Resolvers;
}

function sumBalances(points: PointsParent, field: 'balance' | 'earned' | 'redeemed' | 'expired'): number {
  return points.balances.reduce((sum, balance) => sum + (balance?.[field] ?? 0), 0);
}
