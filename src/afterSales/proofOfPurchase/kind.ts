/**
 * The proof of purchase document kind: a PDF about one order (subject = the
 * order id), readable by whoever may read the order when the link is opened.
 */
import { mayReadAccountItem } from '../../accounts/access';
import type { OrderDoc } from '../../db/documents';
import { defineDocumentKind } from '../../documents/kind';
import { visibleShippingAddress } from '../../privacy/hiding';
import { proofOfPurchaseContent } from './content';
import { renderProofOfPurchase } from './renderPool';

export const proofOfPurchaseKind = defineDocumentKind<OrderDoc>({
  name: 'proofOfPurchase',
  contentType: 'application/pdf',
  load: (context, orderId) => context.loaders.orders.byId.load(orderId),
  mayRead: (context, order) => mayReadAccountItem(context, order.accountId),
  fileName: (order) => `poco-order-${order.orderNo}.pdf`,
  async render(context, order) {
    // An erased account's address is not printed, even before the scrub reached the order
    // (the account was read by mayRead, after the order: no extra query, never older than it).
    const account = await context.loaders.accounts.byId.load(order.accountId);
    const printed = { ...order, shippingAddress: visibleShippingAddress(order, account) };
    return renderProofOfPurchase(
      proofOfPurchaseContent(printed, { warrantyMonths: context.warrantyMonths[order.store], now: context.now }),
    );
  },
});
