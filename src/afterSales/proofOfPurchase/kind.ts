/**
 * The proof of purchase document kind: a PDF about one order (subject = the
 * order id), readable by whoever may read the order when the link is opened.
 */
import { mayReadAccountItem } from '../../accounts/access';
import type { OrderDoc } from '../../db/documents';
import { defineDocumentKind } from '../../documents/kind';
import { proofOfPurchaseContent } from './content';
import { renderProofOfPurchase } from './renderPool';

export const proofOfPurchaseKind = defineDocumentKind<OrderDoc>({
  name: 'proofOfPurchase',
  contentType: 'application/pdf',
  load: (context, orderId) => context.loaders.orders.byId.load(orderId),
  mayRead: (context, order) => mayReadAccountItem(context, order.accountId),
  fileName: (order) => `poco-order-${order.orderNo}.pdf`,
  render: (context, order) =>
    renderProofOfPurchase(
      proofOfPurchaseContent(order, { warrantyMonths: context.warrantyMonths[order.store], now: context.now }),
    ),
});
