/**
 * PocoOrder and everything inside it, the lists of orders (User.pocoOrders,
 * PocoAccount.orders) and the order lookups (Query.pocoOrder,
 * Query.pocoOrderByNumber, PocoOrder entity references).
 */
import { assertMayReadUser } from '../auth/policy';
import { assertSignedIn, readableOrNull } from '../accounts/access';
import type { AccountDoc, OrderDoc } from '../db/documents';
import type { RequestContext } from '../graphql/context';
import type { Page } from '../graphql/parents';
import type { PocoOrderFilter, Resolvers } from '../generated/resolvers';
import { cursorCodecFor, pageOf, parsePageRequest } from '../shared/cursor';
import { validIdOf, keyIdOf } from '../users/reference';
import { visibleFeedbackText, visibleShippingAddress } from '../privacy/hiding';
import { normaliseOrderFilter } from './filter';
import { orderListId, orderPosition, type OrderListOwner } from './loaders';

const DEFAULT_PAGE_SIZE = 10;

interface OrderListArgs {
  first?: number | null;
  after?: string | null;
  filter?: PocoOrderFilter | null;
}

/** Validates the arguments (before any database work), then loads the page of the accounts' orders. */
async function orderPage(
  context: RequestContext,
  owner: OrderListOwner,
  args: OrderListArgs,
  accounts: () => Promise<readonly AccountDoc[]>,
): Promise<Page<OrderDoc>> {
  const filter = normaliseOrderFilter(args.filter);
  const listId = orderListId(owner, filter);
  const cursors = cursorCodecFor(context.cursorSecret);
  const request = parsePageRequest(args, DEFAULT_PAGE_SIZE, listId, cursors);
  const accountIds = (await accounts()).map((account) => account._id);
  const loaded = await context.loaders.orders.page.load({ listId, accountIds, filter, request });
  return pageOf(loaded, orderPosition, listId, cursors);
}

/** An order by id, when the viewer may read it; null otherwise, with no hint. */
export async function readableOrder(context: RequestContext, id: string): Promise<OrderDoc | null> {
  return readableOrNull(context, await context.loaders.orders.byId.load(id));
}

export const orderResolvers: Resolvers = {
  User: {
    async pocoOrders(user, args, context) {
      assertMayReadUser(context.viewer, user.id);
      return orderPage(context, { kind: 'user', id: user.id }, args, () =>
        context.loaders.accounts.ofUser.load(user.id),
      );
    },
  },
  PocoAccount: {
    // The account itself was authorised where it was reached.
    orders: (account, args, context) =>
      orderPage(context, { kind: 'account', id: account._id }, args, async () => [account]),
  },
  PocoOrder: {
    async __resolveReference(reference, context) {
      const id = keyIdOf(reference);
      if (id === undefined) return null;
      assertSignedIn(context);
      return readableOrder(context, id);
    },
    id: (order) => order._id,
    orderNumber: (order) => order.orderNo,
    async account(order, _args, context) {
      const account = await context.loaders.accounts.byId.load(order.accountId);
      // The importer never writes an order without its account: this is a broken database.
      if (account === null) throw new Error(`Order ${order._id} refers to missing account ${order.accountId}`);
      return account;
    },
    async user(order, _args, context) {
      const account = await context.loaders.accounts.byId.load(order.accountId);
      return account?.xiaomiUserId ? { id: account.xiaomiUserId } : null;
    },
    currencyCode: (order) => order.currency,
    subtotal: (order) => ({ minor: order.subtotal, currency: order.currency }),
    shippingFee: (order) => ({ minor: order.shippingFee, currency: order.currency }),
    discountTotal: (order) => ({ minor: order.discount, currency: order.currency }),
    taxTotal: (order) => ({ minor: order.tax, currency: order.currency }),
    total: (order) => ({ minor: order.total, currency: order.currency }),
    refundedTotal: (order) => ({ minor: order.refunded, currency: order.currency }),
    lineItems: (order) => order.items.map((item) => ({ item, currency: order.currency, order })),
    feedback: (order, _args, context) => context.loaders.orders.feedbackOf.load(order._id),
    // Hidden from the erasure's decision on, before the scrub reaches the order (the account is
    // usually primed by the read that led here, so this costs no query).
    async shippingAddress(order, _args, context) {
      if (order.shippingAddress === null) return null;
      return visibleShippingAddress(order, await context.loaders.accounts.byId.load(order.accountId));
    },
  },
  PocoOrderLineItem: {
    sku: ({ item }) => item.sku,
    product: ({ item }) => ({ sku: item.sku }),
    productName: ({ item }) => item.name,
    variant: ({ item }) => item.variant,
    quantity: ({ item }) => item.qty,
    unitPrice: ({ item, currency }) => ({ minor: item.unitPrice, currency }),
    lineTotal: ({ item, currency }) => ({ minor: item.unitPrice * item.qty, currency }),
  },
  PocoAddress: {
    postalCode: (address) => address.postcode,
    countryCode: (address) => address.country,
  },
  PocoShipment: {
    trackingNumber: (shipment) => shipment.trackingNo,
  },
  PocoTrackingEvent: {
    occurredAt: (event) => event.at,
    description: (event) => event.desc,
  },
  PocoFeedback: {
    id: (feedback) => feedback._id,
    async title(feedback, _args, context) {
      if (feedback.title === null) return null;
      return visibleFeedbackText(feedback, await context.loaders.accounts.byId.load(feedback.accountId)).title;
    },
    async body(feedback, _args, context) {
      if (feedback.body === null) return null;
      return visibleFeedbackText(feedback, await context.loaders.accounts.byId.load(feedback.accountId)).body;
    },
  },
  PocoFeedbackReply: {
    repliedAt: (reply) => reply.at,
  },
  Query: {
    async pocoOrder(_root, { id }, context) {
      assertSignedIn(context);
      const key = validIdOf(id);
      return key === undefined ? null : readableOrder(context, key);
    },
    async pocoOrderByNumber(_root, { orderNumber }, context) {
      assertSignedIn(context);
      const key = validIdOf(orderNumber);
      if (key === undefined) return null;
      return readableOrNull(context, await context.loaders.orders.byNumber.load(key));
    },
  },
};
