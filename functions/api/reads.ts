import { serve } from '../http/routing.js';
import { handler as getCustomerAccount } from './customer-account.js';
import { feedHandler, poEventsHandler } from './events.js';
import { handler as getDocument } from './get-document.js';
import { handler as getPurchaseOrder } from './get-purchase-order.js';
import { handler as listPurchaseOrders } from './list-purchase-orders.js';
import { getHandler as getPolicy } from './policy.js';

/** The function of the API's reads (POs, documents, events, customer accounts, the policy): it may read the table and nothing else. */
export const handler = serve('Reads', {
  GetPurchaseOrder: getPurchaseOrder,
  GetDocument: getDocument,
  ListPurchaseOrders: listPurchaseOrders,
  GetCustomerAccount: getCustomerAccount,
  ListPurchaseOrderEvents: poEventsHandler,
  ListEvents: feedHandler,
  GetPolicy: getPolicy,
});
