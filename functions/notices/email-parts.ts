import { formatMoney } from '../domain/money.js';
import { type PurchaseOrder, outstanding } from '../domain/purchase-order/index.js';
import type { SellerProfile } from '../domain/seller.js';
import type { Block } from './render.js';

/** The blocks several emails share: the order's facts, its lines, how to pay. */

export const total = (po: PurchaseOrder) => formatMoney(po.total, po.currency);

/** The order in four facts; `staff` reads the buyer's PO number as the buyer's, not as "yours". */
export function orderFacts(po: PurchaseOrder, reader: 'buyer' | 'staff' = 'buyer'): Block {
  return {
    kind: 'facts',
    rows: [
      ['Order reference', po.reference],
      ...(po.poNumber ? ([[reader === 'buyer' ? 'Your PO number' : "Buyer's PO number", po.poNumber]] as [string, string][]) : []),
      ['Company', po.customer.company],
      ['Total', total(po)],
    ],
  };
}

export function lineItems(po: PurchaseOrder): Block {
  return {
    kind: 'list',
    items: po.lines.map((line) => `${line.quantity} x ${line.description} (${line.sku}): ${formatMoney(line.amount, po.currency)}`),
  };
}

/** How much to pay, by when (`when`: rows such as the due date), to whom and with which reference. */
export function payTo(po: PurchaseOrder, seller: SellerProfile, reference: string, when: [string, string][] = []): Block {
  return {
    kind: 'facts',
    rows: [
      ['Amount due', formatMoney(outstanding(po), po.currency)],
      ...when,
      ['Pay to', `${seller.bank.accountHolder}, ${seller.bank.bankName}`],
      ['IBAN', seller.bank.iban],
      ['BIC', seller.bank.bic],
      ['Payment reference', reference],
    ],
  };
}
