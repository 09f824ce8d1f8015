import type { PurchaseOrder } from '../../domain/purchase-order/index.js';

/**
 * A PO item as older versions of the product stored it, made what the domain's types say of every
 * PO, once, as it is read. Each field that was added later gets the value that means what its
 * absence meant:
 * - `subtotal`, `tax`, `taxIds` (taxes): no tax, the net amount is the total, no seller tax id;
 * - `unpaidCalendar` (reminders of unpaid offline orders and proformas): none;
 * - `attention` (a step failed for good): none; `attachments`: none.
 * A save writes the upgraded PO, so each item is upgraded on disk at its next change.
 */
type Stored = Omit<PurchaseOrder, 'subtotal' | 'tax' | 'taxIds' | 'unpaidCalendar' | 'attention' | 'attachments'> & Partial<Pick<PurchaseOrder, 'subtotal' | 'tax' | 'taxIds' | 'unpaidCalendar' | 'attention' | 'attachments'>>;

export function upgradePurchaseOrder(item: unknown): PurchaseOrder {
  const po = item as Stored;
  return {
    ...po,
    subtotal: po.subtotal ?? po.total,
    tax: po.tax ?? [],
    taxIds: po.taxIds ?? { seller: null, buyer: po.customer.taxId ?? null },
    unpaidCalendar: po.unpaidCalendar ?? { reminderDays: [], cancelAfterDays: null },
    attention: po.attention ?? null,
    attachments: po.attachments ?? [],
  };
}
