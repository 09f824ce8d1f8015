import { taxationOf, type PurchaseOrder } from '../domain/purchase-order/index.js';
import { documentLinks } from '../domain/events.js';

/** The contract's view of a PO: everything a checkout or finance team needs, nothing internal. */
export function presentPurchaseOrder(po: PurchaseOrder) {
  return {
    id: po.id,
    reference: po.reference,
    status: po.status,
    channel: po.channel,
    paymentMethod: po.paymentMethod,
    delivery: po.delivery,
    poNumber: po.poNumber,
    customer: po.customer,
    currency: po.currency,
    lines: po.lines,
    ...taxationOf(po),
    taxIds: po.taxIds,
    billingAddress: po.billingAddress,
    shippingAddress: po.shippingAddress,
    paymentTermsDays: po.paymentTermsDays,
    review: po.review,
    payment: {
      status: po.payment.status,
      amountDue: po.payment.amountDue,
      amountPaid: po.payment.amountPaid,
      dueDate: po.payment.dueDate,
      // Cancelled after money arrived: what is owed back. Settled short after a dispute: what was written off.
      ...(po.payment.refundDue ? { refundDue: po.payment.refundDue } : {}),
      ...(po.payment.shortfall ? { shortfall: po.payment.shortfall } : {}),
      payments: po.payment.records,
    },
    documents: po.documents.map(({ formats, ...doc }) => ({ ...doc, href: `/purchase-orders/${po.id}/documents/${doc.id}`, links: documentLinks(`/purchase-orders/${po.id}/documents/${doc.id}`, formats) })),
    shippingOrders: po.shippingOrders,
    licences: po.licences,
    attachments: po.attachments.map((attachment) => ({ ...attachment, href: `/purchase-orders/${po.id}/attachments/${attachment.id}` })),
    /** Set when the workflow stopped at a failed step and waits for finance (POST .../resume). */
    attention: po.attention,
    history: po.history,
    version: po.version,
    createdAt: po.createdAt,
    updatedAt: po.updatedAt,
  };
}
